"""A standalone ApprovalForm in a real JupyterLab page (issue 16, items 4 and 5)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.harness import REPO_ROOT, Notebook, NotebookFactory
from tests.peers.agentos import AgentOSPeer

pytestmark = pytest.mark.peer

WAIT_MS = 30_000
SHOTS = REPO_ROOT / "test-artifacts" / "issue16"


def paused_form(notebook: NotebookFactory, peer: AgentOSPeer, agent_id: str, prompt: str) -> Notebook:
    nb = notebook(
        [
            "import uuid\n"
            "from agentnb import RemoteAgent\n"
            "from agentnb.widgets import ApprovalForm\n"
            f"agent = RemoteAgent({peer.base_url!r}, agent_id={agent_id!r})\n"
            f"paused = await agent.arun({prompt!r}, session_id=uuid.uuid4().hex)\n"
            "print(paused.status.value)",
            "form = ApprovalForm(agent, paused)\nform",
            "print(form.result.status.value if form.result else 'no result')",
        ]
    )
    expect(nb.run_cell(0)).to_contain_text("PAUSED", timeout=WAIT_MS)
    expect(nb.run_cell(1)).to_contain_text("waiting for your decision", timeout=WAIT_MS)
    return nb


def test_a_single_confirmation_is_one_click_and_the_form_collapses(
    notebook: NotebookFactory, agentos: AgentOSPeer
) -> None:
    """On main Approve only marked the choice, and "waiting for your decision" stayed after the run."""
    nb = paused_form(notebook, agentos, "confirm-agent", "please delete it")
    form = nb.output(1)
    expect(form.get_by_role("button", name="Submit")).to_be_hidden()
    note = form.get_by_placeholder("optional note to the agent")
    note.click()
    nb.page.keyboard.type("go ahead")
    form.get_by_role("button", name="Approve").click()
    expect(form).to_contain_text("Deleted /tmp/important.txt", timeout=WAIT_MS)
    expect(form).to_contain_text("approved delete_file · continued ✓")
    expect(form).not_to_contain_text("waiting for your decision")
    expect(form.get_by_role("button", name="Approve")).to_have_count(0)
    nb.wait_for_idle()
    expect(nb.run_cell(2)).to_contain_text("COMPLETED")
    nb.screenshot(SHOTS / "after" / "approval-standalone.png")


def test_a_user_input_form_keeps_submit_and_collapses_after(
    notebook: NotebookFactory, agentos: AgentOSPeer
) -> None:
    nb = paused_form(notebook, agentos, "input-agent", "send an email")
    form = nb.output(1)
    submit = form.get_by_role("button", name="Submit")
    expect(submit).to_be_disabled()
    row = form.locator(".widget-hbox", has=nb.page.locator("b", has_text=re.compile(r"^to$")))
    row.locator("input[type=text]").first.click()
    nb.page.keyboard.type("grace@example.com")
    expect(submit).to_be_enabled(timeout=WAIT_MS)
    submit.click()
    expect(form).to_contain_text("grace@example.com", timeout=WAIT_MS)
    expect(form).to_contain_text("answered send_email · continued ✓")
    expect(form).not_to_contain_text("waiting for your decision")
