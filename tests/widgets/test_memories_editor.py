"""MemoriesEditor in Python against the real AgentOS peer: trait values, comm messages, Button.click().

No kernel loop runs here, so each click runs its coroutine to the end before returning.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from agentnb import AgentOSClient, RemoteAgent, RemoteDb
from agentnb.errors import ConfigurationError
from agentnb.widgets import MemoriesEditor
from agentnb.widgets.memories_editor import MAX_MEMORY_CHARS, MAX_TOPICS, memories_html
from tests.conftest import SECURITY_KEY
from tests.peers.agentos import AgentOSPeer
from tests.widgets.conftest import updates

pytestmark = pytest.mark.peer

HOSTILE = '<img src=x onerror="alert(1)">'


@pytest.fixture(params=["open", "secured"])
def db(
    request: pytest.FixtureRequest, agentos: AgentOSPeer, agentos_secured: AgentOSPeer
) -> Iterator[RemoteDb]:
    peer, token = (agentos, None) if request.param == "open" else (agentos_secured, SECURITY_KEY)
    agent = RemoteAgent(peer.base_url, agent_id="memory-agent", auth_token=token)
    agent.agent_config()
    assert isinstance(agent.db, RemoteDb)
    yield agent.db


def _user() -> str:
    return f"editor-{uuid.uuid4().hex[:8]}"


def test_it_shows_the_users_memories_and_only_theirs(db: RemoteDb) -> None:
    user, other = _user(), _user()
    db.create_memory_sync("Likes green tea", ["drinks"], user)
    db.create_memory_sync("Lives in Berlin", ["places"], user)
    db.create_memory_sync("Someone else's memory", ["x"], other)
    editor = MemoriesEditor(db, user_id=user)
    assert sorted(m.memory for m in editor.memories) == ["Likes green tea", "Lives in Berlin"]
    labels = sorted(label for label, _ in editor.select.options)
    assert labels == ["Likes green tea [drinks]", "Lives in Berlin [places]"]
    assert "Likes green tea" in editor.table.value and "Someone else" not in editor.table.value
    assert SECURITY_KEY not in repr(editor.db) and SECURITY_KEY not in editor.table.value


def test_add_with_topics_through_the_button(db: RemoteDb) -> None:
    user = _user()
    editor = MemoriesEditor(db, user_id=user)
    assert editor.memories == [] and "No memories" in editor.table.value
    editor.memory_text.value = "Plays the cello"
    editor.topics_text.value = "music, hobbies ,"
    before = len(updates(editor.table, "value"))
    editor.add_button.click()
    stored = db.get_memories_sync(user_id=user).data
    assert [(m.memory, m.topics) for m in stored] == [("Plays the cello", ["music", "hobbies"])]
    assert [m.memory_id for m in editor.memories] == [stored[0].memory_id]
    assert len(updates(editor.table, "value")) == before + 1  # one redraw for one add
    assert (editor.memory_text.value, editor.topics_text.value) == ("", "")  # the form is cleared
    assert "Added: Plays the cello" in editor.status.value


def test_delete_the_selected_rows_through_the_button(db: RemoteDb) -> None:
    user = _user()
    keep = db.create_memory_sync("Keep me", None, user)
    drop1 = db.create_memory_sync("Drop me", None, user)
    drop2 = db.create_memory_sync("Drop me too", None, user)
    editor = MemoriesEditor(db, user_id=user)
    editor.delete_button.click()  # nothing selected: nothing deleted, and it says so
    assert "Select the memories" in editor.status.value and len(editor.memories) == 3
    editor.select.value = (drop1.memory_id, drop2.memory_id)
    editor.delete_button.click()
    assert [m.memory_id for m in db.get_memories_sync(user_id=user).data] == [keep.memory_id]
    assert [value for _, value in editor.select.options] == [keep.memory_id]
    assert editor.status.value.endswith("Deleted 2 memories.</div>")


def test_untrusted_memories_are_escaped_and_oversized_input_refused(db: RemoteDb) -> None:
    user = _user()
    db.create_memory_sync(HOSTILE, [HOSTILE], user)
    editor = MemoriesEditor(db, user_id=user)
    assert HOSTILE not in editor.table.value and "&lt;img src=x" in editor.table.value

    editor.memory_text.value = "x" * (MAX_MEMORY_CHARS + 1)
    editor.add_button.click()
    assert f"over {MAX_MEMORY_CHARS}" in editor.status.value
    editor.memory_text.value = "ok"
    editor.topics_text.value = ",".join(f"t{i}" for i in range(MAX_TOPICS + 1))
    editor.add_button.click()
    assert f"over {MAX_TOPICS}" in editor.status.value
    editor.memory_text.value, editor.topics_text.value = "   ", ""
    editor.add_button.click()
    assert "Write the memory first" in editor.status.value
    assert len(db.get_memories_sync(user_id=user).data) == 1  # nothing refused was sent


def test_a_server_error_is_said_not_raised(agentos_secured: AgentOSPeer) -> None:
    agent = RemoteAgent(agentos_secured.base_url, agent_id="memory-agent", auth_token=SECURITY_KEY)
    agent.agent_config()
    assert agent.db is not None
    wrong = RemoteDb(agent.db.id, AgentOSClient(agentos_secured.base_url))  # no key
    editor = MemoriesEditor(wrong, user_id=_user())
    assert "Could not read the memories" in editor.status.value
    editor.memory_text.value = "refused without the key"
    editor.add_button.click()
    assert "Could not add the memory" in editor.status.value


def test_it_needs_a_database_and_a_user() -> None:
    with pytest.raises(ConfigurationError):
        MemoriesEditor(object(), user_id="ada")
    with pytest.raises(ValueError):
        MemoriesEditor(RemoteDb("x", client=None), user_id="")  # type: ignore[arg-type]
    assert "No memories" in memories_html([])
