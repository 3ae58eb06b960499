"""compare_table: the same prompts through several agents (AgentOS and A2A mixed), side by side.

    table = compare_table([agent, RemoteAgent(url, "assistant", protocol="a2a")], prompts)
    duration_plot(table)           # a small matplotlib figure: seconds per run, one box per agent

One row per prompt (the index), one column group per agent: answer, status, duration, tokens.
Every agent runs its batch at the same time, each with its own ``concurrency``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from agentnb import _sync

__all__ = ["COMPARE_FIELDS", "acompare_table", "compare_table", "duration_plot"]

COMPARE_FIELDS = ("answer", "status", "duration", "tokens")


def _labelled(agents: Sequence[Any] | Mapping[str, Any]) -> list[tuple[str, Any]]:
    """(label, agent) pairs: a mapping's keys, else each agent's id (or URL), made unique."""
    if isinstance(agents, Mapping):
        return [(str(k), v) for k, v in agents.items()]
    out: list[tuple[str, Any]] = []
    seen: dict[str, int] = {}
    for agent in agents:
        label = str(
            getattr(agent, "agent_id", None) or getattr(agent, "base_url", None) or type(agent).__name__
        )
        seen[label] = seen.get(label, 0) + 1
        out.append((label if seen[label] == 1 else f"{label} #{seen[label]}", agent))
    return out


async def acompare_table(
    agents: Sequence[Any] | Mapping[str, Any],
    prompts: Sequence[str] | pd.Series,
    *,
    concurrency: int = 4,
    progress: bool = False,
) -> pd.DataFrame:
    """Run ``prompts`` through every agent (RemoteAgents and A2AClients, via their ``abatch``)."""
    labelled = _labelled(agents)
    if not labelled:
        raise ValueError("compare_table needs at least one agent")
    prompt_list = [str(p) for p in (prompts.tolist() if isinstance(prompts, pd.Series) else prompts)]
    frames = await asyncio.gather(
        *(agent.abatch(prompt_list, concurrency=concurrency, progress=progress) for _, agent in labelled)
    )
    groups: dict[tuple[str, str], Any] = {}
    for (label, _), frame in zip(labelled, frames, strict=True):
        tokens = frame["input_tokens"] + frame["output_tokens"]
        groups[(label, "answer")] = frame["content"].where(frame["status"] != "error", frame["error"]).array
        groups[(label, "status")] = frame["status"].array
        groups[(label, "duration")] = frame["duration"].array
        groups[(label, "tokens")] = tokens.array
    table = pd.DataFrame(groups, index=pd.Index(prompt_list, name="prompt", dtype="string"))
    table.columns = pd.MultiIndex.from_tuples(list(groups), names=["agent", "field"])
    return table


def compare_table(
    agents: Sequence[Any] | Mapping[str, Any],
    prompts: Sequence[str] | pd.Series,
    *,
    concurrency: int = 4,
    progress: bool = False,
) -> pd.DataFrame:
    """Sync twin of acompare_table()."""
    return _sync.run_sync(acompare_table(agents, prompts, concurrency=concurrency, progress=progress))


def duration_plot(table: pd.DataFrame, *, title: str = "seconds per run") -> Any:
    """A small box plot of each agent's run durations (seconds); returns the matplotlib Figure."""
    import matplotlib

    if matplotlib.get_backend().lower() not in ("agg", "module://matplotlib_inline.backend_inline"):
        matplotlib.use("Agg")  # never open a window from a kernel or a test run
    from matplotlib.figure import Figure

    labels = list(dict.fromkeys(table.columns.get_level_values("agent")))
    data = [table[(label, "duration")].dropna().astype(float).tolist() for label in labels]
    fig = Figure(figsize=(1.6 + 1.2 * len(labels), 2.6))
    ax = fig.add_subplot()
    ax.boxplot(data)
    ax.set_xticks(range(1, len(labels) + 1), labels)  # boxplot's own label keyword changed in 3.9
    ax.set_ylabel("seconds")
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig
