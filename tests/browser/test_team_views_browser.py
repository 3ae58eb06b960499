"""Teams and workflows in a real JupyterLab page, against the real AgentOS test peer: a team
member's tool approved in the chat pane, a workflow step approved in an ApprovalForm.

Plain ``def`` tests: the sync Playwright API refuses to run inside an asyncio loop.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.harness import NotebookFactory
from tests.peers.agentos import AgentOSPeer

pytestmark = pytest.mark.peer

WAIT_MS = 30_000
DELETED = "Deleted /tmp/important.txt"


def test_chat_with_a_team_approves_a_members_tool(notebook: NotebookFactory, agentos: AgentOSPeer) -> None:
    nb = notebook(
        [
            "from agentnb import RemoteTeam\n"
            "from agentnb.widgets import ChatPane\n"
            f"pane = ChatPane(RemoteTeam({agentos.base_url!r}, 'ops-team'))\n"
            "pane"
        ]
    )
    out = nb.run_cell(0)
    box = out.locator("textarea.agentnb-chat-input")
    expect(box).to_be_enabled(timeout=WAIT_MS)
    box.click()
    nb.page.keyboard.type("please delete the file")
    nb.page.keyboard.press("Enter")
    # the member that asks is named, in its own section and on the form
    expect(out).to_contain_text("The team is waiting for your decision", timeout=WAIT_MS)
    expect(out.locator(".agentnb-asker")).to_have_text("member Janitor asks")
    member = out.locator("details.agentnb-member").first
    expect(member).to_contain_text("Janitor")
    expect(member).to_contain_text("waiting for you")
    expect(member.locator("code", has_text="delete_file")).to_be_visible()
    nb.screenshot("test-artifacts/browser/team-chat-paused.png")
    # one paused tool: Approve sends at once (issue 16 item 5), no Submit is offered
    expect(out.get_by_role("button", name="Submit")).to_be_hidden()
    out.get_by_role("button", name="Approve").click()
    expect(out.locator(".agentnb-text").last).to_contain_text(DELETED, timeout=WAIT_MS)
    expect(out.get_by_role("button", name="Send")).to_be_visible(timeout=WAIT_MS)
    # the continued run folds the finished member: its tool card shows once the section is opened
    done = out.locator('details.agentnb-member[data-state="done"]').last
    expect(done).to_contain_text("Janitor")
    tool = done.locator("details.agentnb-member-tool")
    expect(tool).to_be_hidden()
    done.locator("summary").first.click()
    expect(tool).to_be_visible()
    expect(tool).to_contain_text("delete_file")
    nb.screenshot("test-artifacts/browser/team-chat-approved.png")


def test_workflow_step_approved_in_an_approval_form(notebook: NotebookFactory, agentos: AgentOSPeer) -> None:
    nb = notebook(
        [
            "from agentnb import RemoteWorkflow, stream\n"
            "from agentnb.widgets import ApprovalForm\n"
            f"wf = RemoteWorkflow({agentos.base_url!r}, 'publish-workflow')\n"
            "paused = await stream(wf, 'write a note')",
            "form = ApprovalForm(wf, paused)\nform",
            "print(form.result.status.value, form.result.text)",
        ]
    )
    streamed = nb.run_cell(0)
    steps = streamed.locator(".agentnb-steps")
    expect(steps.locator('li[data-step="draft"]')).to_contain_text("done", timeout=WAIT_MS)
    expect(steps.locator('li[data-step="publish"]')).to_contain_text("waiting for you")
    expect(steps.locator('li[data-step="publish"]')).to_contain_text("Publish the draft?")
    form = nb.run_cell(1)
    expect(form.locator(".agentnb-asker")).to_have_text(
        "step publish asks before it runs: Publish the draft?", timeout=WAIT_MS
    )
    expect(form).to_contain_text("The workflow is waiting for your decision")
    nb.screenshot("test-artifacts/browser/workflow-step-paused.png")
    expect(form.get_by_role("button", name="Submit")).to_be_hidden()
    form.get_by_role("button", name="Approve").click()
    expect(form.locator('li[data-step="publish"]')).to_contain_text("done", timeout=WAIT_MS)
    expect(form).to_contain_text("Published the draft.")
    printed = nb.run_cell(2)
    expect(printed).to_contain_text("COMPLETED Published the draft.")
    nb.screenshot("test-artifacts/browser/workflow-step-approved.png")
