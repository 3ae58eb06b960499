"""compare_table: the same prompts through an AgentOS agent and an a2a-sdk peer, side by side."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.figure import Figure

from agentnb import A2AClient, RemoteAgent
from agentnb.tables import COMPARE_FIELDS, compare_table, duration_plot
from tests.peers.a2a_peers import A2APeer
from tests.peers.agentos import AgentOSPeer

pytestmark = pytest.mark.peer


def test_compare_mixes_protocols_one_row_per_prompt(
    agentos: AgentOSPeer, a2a_peers: dict[str, A2APeer]
) -> None:
    agents = {
        "agno": RemoteAgent(agentos.base_url, agent_id="assistant"),
        "sdk": A2AClient(a2a_peers["v03"].base_url),
        "agno-a2a": RemoteAgent(
            f"{agentos.base_url}/a2a/agents/assistant", agent_id="assistant", protocol="a2a"
        ),
    }
    prompts = ["hello there", "please fail", "third one"]
    table = compare_table(agents, prompts, concurrency=2)
    assert table.index.tolist() == prompts and table.index.name == "prompt"
    assert table.columns.tolist() == [(a, f) for a in agents for f in COMPARE_FIELDS]
    assert table[("agno", "status")].tolist() == ["completed", "error", "completed"]
    assert table[("sdk", "status")].tolist() == ["completed", "error", "completed"]
    assert table.loc["hello there", ("agno", "answer")].startswith("Hello! You said: hello there.")
    assert table.loc["hello there", ("sdk", "answer")].endswith("You said: hello there.")
    assert "exploded on purpose" in table.loc["please fail", ("agno", "answer")]  # the error stands in
    assert table[("agno", "tokens")].tolist()[0::2] == [21, 21]  # 10 in + 11 streamed words out
    assert table[("sdk", "tokens")].isna().all()  # A2A reports no token counts
    assert (table.xs("duration", axis=1, level="field") > 0).all().all()

    fig = duration_plot(table)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == list(agents)
    assert ax.get_ylabel() == "seconds"


def test_compare_labels_agents_by_id_and_keeps_them_apart(agentos: AgentOSPeer) -> None:
    one = RemoteAgent(agentos.base_url, agent_id="assistant")
    two = RemoteAgent(agentos.base_url, agent_id="assistant")
    table = compare_table([one, two], pd.Series(["hi"]))
    assert list(dict.fromkeys(table.columns.get_level_values("agent"))) == ["assistant", "assistant #2"]
    with pytest.raises(ValueError, match="at least one agent"):
        compare_table([], ["hi"])
