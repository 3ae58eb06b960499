"""AgentOS REST + SSE: client, models, typed events, run streams."""
