"""pandas tables of sessions, runs, artifacts and agent cards.

Each table has a sync function (fine inside a notebook cell) and an ``a``-prefixed async twin
that does the work. Columns and dtypes are fixed (the ``*_COLUMNS`` tuples), also for an empty
table, so code that filters or joins them never meets a surprise. Text from the wire stays plain
text (no HTML is added) and long text is clipped, ending in "…".

    sessions_table(agent)                  # every session of the agent, all server pages
    memories_table(agent, user_id="ada")   # memories; traces_table, evals_table, metrics_table too
    knowledge_table(agent)                 # knowledge contents with status; search_table(agent, q)
    runs_table(agent, session_id)          # the session's runs with tokens and timings
    artifacts_table(result)                # the artifacts of A2A results (or of a v1.0 peer)
    tasks_table(client, status="working")  # an A2A agent's tasks (v1.0 lists; v0.3: the ones seen)
    agent_cards_table([url, client])       # one row per A2A agent, fetched concurrently
    directory_table(os, card)              # every agent, team and workflow of AgentOS servers and A2A cards

The package re-exports what the single ``tables`` module had, so ``from agentnb.tables import X``
keeps working: ``_frame`` (column kinds, cell limits, building a frame), ``sessions`` (sessions
and runs), ``artifacts`` and ``cards``.
"""

from __future__ import annotations

# Names outside __all__ (the frame builders, ArtifactSource, the cell limits) were importable from
# the old module too; "X as X" re-exports them without widening ``import *``.
from agentnb.tables._frame import CONTENT_CHARS as CONTENT_CHARS
from agentnb.tables._frame import DESCRIPTION_CHARS as DESCRIPTION_CHARS
from agentnb.tables._frame import ERROR_CHARS as ERROR_CHARS
from agentnb.tables._frame import NAME_CHARS as NAME_CHARS
from agentnb.tables._frame import PREVIEW_CHARS as PREVIEW_CHARS
from agentnb.tables.artifacts import (
    ARTIFACT_COLUMNS,
    aartifacts_table,
    artifacts_table,
)
from agentnb.tables.artifacts import ArtifactSource as ArtifactSource
from agentnb.tables.artifacts import artifact_frame as artifact_frame
from agentnb.tables.cards import AGENT_CARD_COLUMNS, aagent_cards_table, agent_cards_table
from agentnb.tables.compare import COMPARE_FIELDS, acompare_table, compare_table, duration_plot
from agentnb.tables.directory import DIRECTORY_COLUMNS, adirectory_table, directory_table
from agentnb.tables.evals import EVAL_COLUMNS, aevals_table, evals_table
from agentnb.tables.knowledge import (
    KNOWLEDGE_COLUMNS,
    SEARCH_COLUMNS,
    aknowledge_table,
    asearch_table,
    knowledge_table,
    search_table,
)
from agentnb.tables.memories import MEMORY_COLUMNS, amemories_table, memories_table
from agentnb.tables.metrics import METRICS_COLUMNS, ametrics_table, metrics_plot, metrics_table
from agentnb.tables.sessions import (
    RUN_COLUMNS,
    SESSION_COLUMNS,
    aruns_table,
    asessions_table,
    runs_table,
    sessions_table,
)
from agentnb.tables.sessions import run_frame as run_frame
from agentnb.tables.sessions import session_frame as session_frame
from agentnb.tables.tasks import TASK_COLUMNS, atasks_table, tasks_table
from agentnb.tables.traces import TRACE_COLUMNS, atraces_table, traces_table

__all__ = [
    "AGENT_CARD_COLUMNS",
    "ARTIFACT_COLUMNS",
    "COMPARE_FIELDS",
    "DIRECTORY_COLUMNS",
    "EVAL_COLUMNS",
    "KNOWLEDGE_COLUMNS",
    "MEMORY_COLUMNS",
    "METRICS_COLUMNS",
    "RUN_COLUMNS",
    "SEARCH_COLUMNS",
    "SESSION_COLUMNS",
    "TASK_COLUMNS",
    "TRACE_COLUMNS",
    "aagent_cards_table",
    "aartifacts_table",
    "acompare_table",
    "adirectory_table",
    "aevals_table",
    "agent_cards_table",
    "aknowledge_table",
    "amemories_table",
    "ametrics_table",
    "artifacts_table",
    "aruns_table",
    "asearch_table",
    "asessions_table",
    "atasks_table",
    "atraces_table",
    "compare_table",
    "directory_table",
    "duration_plot",
    "evals_table",
    "knowledge_table",
    "memories_table",
    "metrics_plot",
    "metrics_table",
    "runs_table",
    "search_table",
    "sessions_table",
    "tasks_table",
    "traces_table",
]
