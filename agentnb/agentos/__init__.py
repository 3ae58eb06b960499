"""AgentOS: one client method per endpoint, its config and session models, form building, frame decoding."""
