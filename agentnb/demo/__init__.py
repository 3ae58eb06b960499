"""The offline demo server: ``python -m agentnb.demo`` or ``agentnb demo`` (needs the ``demo`` extra).

A real Agno AgentOS on 127.0.0.1:7777 serving scripted agents (``chat``, ``tools``, ``confirm``,
``email``, ``shell``, ``slow``, ``failing``) and an a2a-sdk v0.3 server (agent ``facts``) on the
next port. ``agentnb.demo.cli.main(["demo", "--port", "7777"])`` runs it from Python; see
``python -m agentnb.demo --help`` for the options.
"""

from __future__ import annotations
