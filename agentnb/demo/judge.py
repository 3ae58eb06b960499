"""An offline judge: the scripted model answering agno's eval and memory-optimizer prompts.

agno's accuracy and agent-as-judge evals ask a model for a JSON verdict, and its memory
optimizer asks a model to summarise a user's memories. ``JudgingModel`` recognises those three
prompts (by agno's own system prompts) and answers them deterministically; everything else goes
to its ``ScriptedModel`` script. The rules, so a test or a notebook can predict the verdict:

* accuracy - ``score = 1 + round(9 * share)`` where ``share`` is the share of the expected
  output's words found in the agent's output (1 = none, 10 = all).
* agent as judge - the criteria's quoted phrases (``"..."``; else its words of 4+ letters) are
  looked for in the output: ``score = 1 + round(9 * found / wanted)``; binary scoring passes
  when all are found.
* memory optimizer - the memories sorted, each without the words an earlier one said, joined
  with ``", "`` (cut short if that is not shorter than the memories; see ``summary_of``).

How AgentOS picks the judge: ``POST /eval-runs`` judges with a copy of the evaluated agent's own
model when ``model_id``/``model_provider`` are given (and runs the agent on the named model if it
differs), and ``POST /optimize-memories`` builds its model from ``"provider:id"``.
``register_offline_provider()`` adds the provider ``offline`` to agno's table, so
``"offline:judge"`` (or ``model_provider="offline"``) is a ``JudgingModel`` with no network.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from agno.models.message import Message

from agentnb.demo.plans import Plan, message_text, split_words
from agentnb.demo.scripted import MODEL_ID, ScriptedModel

__all__ = [
    "JUDGE_PROVIDER",
    "JudgingModel",
    "accuracy_score",
    "criteria_verdict",
    "judge_plan",
    "register_offline_provider",
    "summary_of",
]

JUDGE_PROVIDER = "offline"

# agno's own opening lines of each prompt (agno/eval/accuracy.py, agno/eval/agent_as_judge.py,
# agno/memory/strategies/summarize.py); a prompt is only judged when it is one of these.
_ACCURACY_PROMPT = "You are an expert judge tasked with comparing"
_CRITERIA_PROMPT = "You are an expert evaluator."
_SUMMARY_PROMPT = "You are a memory compression assistant"

_WORD = re.compile(r"[a-z0-9]+")
_LONG_WORD = re.compile(r"[a-z0-9]{4,}")
_QUOTED = re.compile(r"\"([^\"]+)\"|'([^']+)'")
_MEMORY_LINE = re.compile(r"^Memory \d+: (.*)$", re.MULTILINE)


def _between(text: str, start: str, end: str) -> str:
    _head, found, tail = text.partition(start)
    return tail.partition(end)[0].strip() if found else ""


def accuracy_score(output: str, expected: str) -> tuple[int, int, int]:
    """(score 1-10, expected words found, expected words) of ``output`` against ``expected``."""
    wanted = set(_WORD.findall(expected.lower()))
    found = len(wanted & set(_WORD.findall(output.lower())))
    score = 1 + round(9 * found / len(wanted)) if wanted else 10
    return score, found, len(wanted)


def criteria_verdict(output: str, criteria: str) -> tuple[int, list[str], list[str]]:
    """(score 1-10, phrases found, phrases missing) of ``output`` against ``criteria``."""
    phrases = [a or b for a, b in _QUOTED.findall(criteria)] or _LONG_WORD.findall(criteria.lower())
    low = output.lower()
    found = [p for p in phrases if p.lower() in low]
    missing = [p for p in phrases if p.lower() not in low]
    score = 1 + round(9 * len(found) / len(phrases)) if phrases else 10
    return score, found, missing


def summary_of(memories: list[str]) -> str:
    """The optimizer's one memory: the memories sorted, each without the words already said.

    agno's route refuses a summary with more tokens than the memories it replaces (it counts
    about four characters a token without a tokenizer), so a summary that would not be shorter
    by four characters per memory is cut to that length and ends with an ellipsis.
    """
    texts = sorted(m.strip() for m in memories if m.strip())
    seen: set[str] = set()
    parts = []
    for text in texts:
        fresh = [w for w in text.split() if w.lower().strip(".,;:!?") not in seen]
        seen.update(w.lower().strip(".,;:!?") for w in text.split())
        if fresh:
            parts.append(" ".join(fresh))
    summary = ", ".join(parts)
    budget = sum(len(t) for t in texts) - 4 * len(texts)
    if len(summary) <= budget:
        return summary
    return summary[: budget - 1] + "…" if budget > 1 else min(texts, key=len, default="")


def _accuracy(user: str) -> dict[str, Any]:
    output = _between(user, "<agent_output>", "</agent_output>")
    expected = _between(user, "<expected_output>", "</expected_output>")
    score, found, wanted = accuracy_score(output, expected)
    reason = f"Offline judge: {found} of the {wanted} expected words are in the output."
    return {"accuracy_score": score, "accuracy_reason": reason}


def _criteria(system: str, user: str) -> dict[str, Any]:
    criteria = _between(system, "## Criteria", "\n## ")
    # agno fences the judged output with a random nonce; the text between the tags is the output.
    match = re.search(r'<output nonce="([0-9a-f]+)">\n(.*)\n</output nonce="\1">', user, re.DOTALL)
    output = match.group(2) if match else user
    score, found, missing = criteria_verdict(output, criteria)
    reason = f"Offline judge: found {found or 'nothing'}; missing {missing or 'nothing'}."
    if "## Scoring (1-10)" in system:
        return {"score": score, "reason": reason}
    return {"passed": not missing, "reason": reason}


def judge_plan(messages: list[Message]) -> Plan | None:
    """The answer to an eval or optimizer prompt, or None when ``messages`` are not one."""
    system = "\n".join(message_text(m) for m in messages if m.role == "system")
    users = [message_text(m) for m in messages if m.role == "user"]
    user = users[-1] if users else ""
    if _SUMMARY_PROMPT in system:
        return Plan("text", split_words(summary_of(_MEMORY_LINE.findall(user)), 4))
    if system.lstrip().startswith(_ACCURACY_PROMPT):
        verdict = _accuracy(user)
    elif system.lstrip().startswith(_CRITERIA_PROMPT):
        verdict = _criteria(system, user)
    else:
        return None
    return Plan("text", [json.dumps(verdict)])


@dataclass
class JudgingModel(ScriptedModel):
    """``ScriptedModel`` that also judges agno's evals and summarises memories (see module doc)."""

    id: str = MODEL_ID

    def _plan(self, kwargs: dict[str, Any]) -> Plan:
        judged = judge_plan(list(kwargs.get("messages") or []))
        return judged if judged is not None else super()._plan(kwargs)


def register_offline_provider() -> None:
    """Make ``"offline:<id>"`` name a ``JudgingModel`` in agno's model table (idempotent).

    agno's AgentOS builds the optimizer's model (and an eval's replacement model) from a
    ``"provider:id"`` string through ``agno.models.utils.MODEL_PROVIDER_CLASSES``; no offline
    provider is listed there, so the demo and the test peer add one.
    """
    from agno.models import utils

    utils.MODEL_PROVIDER_CLASSES.setdefault(JUDGE_PROVIDER, (__name__, JudgingModel.__name__))
