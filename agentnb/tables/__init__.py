"""pandas tables of sessions, runs, artifacts and agent cards.

Each table has a sync function (fine inside a notebook cell) and an ``a``-prefixed async twin
that does the work. Columns and dtypes are fixed (the ``*_COLUMNS`` tuples), also for an empty
table, so code that filters or joins them never meets a surprise. Text from the wire stays plain
text (no HTML is added) and long text is clipped, ending in "…".

    sessions_table(agent)                  # every session of the agent, all server pages
    runs_table(agent, session_id)          # the session's runs with tokens and timings
    artifacts_table(result)                # the artifacts of A2A results (or of a v1.0 peer)
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

__all__ = [
    "AGENT_CARD_COLUMNS",
    "ARTIFACT_COLUMNS",
    "COMPARE_FIELDS",
    "DIRECTORY_COLUMNS",
    "RUN_COLUMNS",
    "SESSION_COLUMNS",
    "aagent_cards_table",
    "aartifacts_table",
    "acompare_table",
    "adirectory_table",
    "agent_cards_table",
    "artifacts_table",
    "aruns_table",
    "asessions_table",
    "compare_table",
    "directory_table",
    "duration_plot",
    "runs_table",
    "sessions_table",
]
