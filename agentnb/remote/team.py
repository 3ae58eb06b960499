"""RemoteTeam: a team served by an AgentOS, with agno's RemoteTeam API as its floor.

team = RemoteTeam("http://localhost:7777", team_id="ops-team")
out = await team.arun("What is the weather?")        # TeamRunOutput, out.member_responses
async for event in team.arun("Delete the file", stream=True): ...
# paused on a member's tool: out.requirements[0].member_agent_id == "janitor"
out.requirements[0].confirm()
out = await team.acontinue_run(out)
"""

from __future__ import annotations

from collections.abc import Coroutine, Sequence
from typing import Any, ClassVar, Literal, overload

from agentnb import _sync
from agentnb.agentos.models import AgentConfig
from agentnb.remote.component import RemoteComponent
from agentnb.runs.models import RunOutput
from agentnb.runs.stream import RunStream

__all__ = ["RemoteTeam"]


class RemoteTeam(RemoteComponent):
    """A team on a remote AgentOS: ``arun`` gives a TeamRunOutput, or a stream of team events.

    The leader's events carry agno's ``Team…`` names; a member's events are agent events with
    the member's ``agent_id``, and its run is kept in ``output.member_responses``. A pause (the
    team's own tool, or a member's: ``requirement.member_agent_id``) continues with
    ``acontinue_run(output)`` once every requirement is decided.
    """

    kind: ClassVar[Literal["teams"]] = "teams"
    id_name: ClassVar[str] = "team_id"
    session_type = "team"

    def __init__(self, base_url: str, team_id: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(base_url, team_id, *args, **kwargs)

    @property
    def team_id(self) -> str:
        return self.agent_id

    @property
    def user_id(self) -> str | None:
        """Always None, as in agno's RemoteTeam."""
        return None

    async def get_team_config(self, auth_token: str | None = None) -> AgentConfig:
        """The team's configuration (a TeamConfig: members, mode, model, tools), fetched fresh."""
        return await self.get_agent_config(auth_token=auth_token)

    team_config = _sync.twin(get_team_config)

    @overload
    def acontinue_run(
        self,
        run_id: str | RunOutput,
        requirements: Sequence[Any] | None = None,
        stream: Literal[False] = False,
        user_id: str | None = None,
        session_id: str | None = None,
        auth_token: str | None = None,
        *,
        keep_events: bool = False,
    ) -> Coroutine[Any, Any, RunOutput]: ...

    @overload
    def acontinue_run(
        self,
        run_id: str | RunOutput,
        requirements: Sequence[Any] | None = None,
        *,
        stream: Literal[True],
        user_id: str | None = None,
        session_id: str | None = None,
        auth_token: str | None = None,
        keep_events: bool = False,
    ) -> RunStream: ...

    def acontinue_run(
        self,
        run_id: str | RunOutput,
        requirements: Sequence[Any] | None = None,
        stream: bool = False,
        user_id: str | None = None,
        session_id: str | None = None,
        auth_token: str | None = None,
        *,
        keep_events: bool = False,
    ) -> Coroutine[Any, Any, RunOutput] | RunStream:
        """Continue a paused team run with the decided ``requirements`` (agno's signature).

        ``requirements`` may be left out when the paused TeamRunOutput is passed and its
        requirements were decided in place; undecided ones are refused (UnresolvedToolsError).
        """
        return self._continue(
            run_id,
            requirements,
            stream=stream,
            user_id=user_id,
            session_id=session_id,
            auth_token=auth_token,
            keep_events=keep_events,
        )

    def continue_run(
        self,
        run_id: str | RunOutput,
        requirements: Sequence[Any] | None = None,
        stream: bool = False,
        user_id: str | None = None,
        session_id: str | None = None,
        auth_token: str | None = None,
        *,
        keep_events: bool = False,
    ) -> Any:
        """Sync twin of acontinue_run()."""
        kwargs: dict[str, Any] = {
            "user_id": user_id,
            "session_id": session_id,
            "auth_token": auth_token,
            "keep_events": keep_events,
        }
        if stream:
            return _sync.iterate_sync(self.acontinue_run(run_id, requirements, stream=True, **kwargs))
        return _sync.run_sync(self.acontinue_run(run_id, requirements, stream=False, **kwargs))

    async def afork_session(
        self, session_id: str, *, user_id: str | None = None, auth_token: str | None = None
    ) -> str:
        """A copy of a team session to try another path from (every run copied); its new id."""
        return await self._backend.routes.afork_session(
            self.agent_id, session_id, user_id=user_id, auth_token=auth_token
        )

    fork_session = _sync.twin(afork_session)
