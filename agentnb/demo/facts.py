"""The small built-in fact table behind the Tools Agent's ``lookup`` and the A2A "facts" agent."""

from __future__ import annotations

import re

FACTS: dict[str, str] = {
    "france": "The capital of France is Paris.",
    "germany": "The capital of Germany is Berlin.",
    "japan": "The capital of Japan is Tokyo.",
    "italy": "The capital of Italy is Rome.",
    "spain": "The capital of Spain is Madrid.",
    "python": "Python was first released by Guido van Rossum in 1991.",
    "jupyter": "Project Jupyter grew out of IPython in 2014; its name nods to Julia, Python and R.",
    "agno": "Agno is a Python framework for building agents; AgentOS serves them over HTTP.",
    "a2a": "A2A (Agent2Agent) is an open protocol that lets agents talk to each other over HTTP.",
    "moon": "The Moon is about 384,400 km from Earth on average.",
    "everest": "Mount Everest is 8,849 m high.",
}

_LEAD_INS = re.compile(
    r"^(please\s+)?(look\s*up|lookup|search( for)?|find|tell me about|what is|what's|who is|facts? about)\s+",
    re.IGNORECASE,
)


def find_topic(text: str) -> str:
    """The topic a message asks about: a known one if it is mentioned, else the text minus lead-ins."""
    low = text.lower()
    for topic in FACTS:
        if re.search(rf"\b{re.escape(topic)}\b", low):
            return topic
    stripped = _LEAD_INS.sub("", text.strip()).strip(" ?!.\"'")
    return stripped or "agno"


def lookup_fact(topic: str) -> str:
    """The fact for ``topic`` (case-insensitive), or a sentence listing what is known."""
    fact = FACTS.get(topic.strip().lower())
    if fact is not None:
        return fact
    known = ", ".join(sorted(FACTS))
    return f"I have no facts about {topic!r}. I know about: {known}."
