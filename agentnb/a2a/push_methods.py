"""A2AClient's push-notification methods (a mixin, so client.py stays one idea)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from agentnb import _sync
from agentnb.a2a.dialects import Call, Dialect
from agentnb.a2a.push import (
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_QUEUE,
    PushConfig,
    PushInbox,
    config_call,
    decode_config,
    decode_configs,
)

__all__ = ["PushMethods"]


class PushMethods:
    """Create / get / list / delete a task's push configs, and receive what is pushed."""

    max_artifact_bytes: int

    async def anegotiate(self) -> Dialect:
        raise NotImplementedError  # A2AClient's

    async def _call(
        self,
        dialect: Dialect,
        call: Call,
        headers: Mapping[str, str] | None = None,
        extensions: Sequence[str] | None = None,
    ) -> Any:
        raise NotImplementedError  # A2AClient's

    async def acreate_push_config(
        self,
        task_id: str,
        config: PushConfig | PushInbox,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> PushConfig:
        """Ask the agent to push ``task_id``'s updates to ``config`` (a PushConfig or an inbox)."""
        wanted = config.push_config(task_id) if isinstance(config, PushInbox) else config
        dialect = await self.anegotiate()
        payload = await self._call(dialect, config_call(dialect, "create", task_id, config=wanted), headers)
        return decode_config(dialect, payload)

    async def aget_push_config(
        self, task_id: str, config_id: str, *, headers: Mapping[str, str] | None = None
    ) -> PushConfig:
        dialect = await self.anegotiate()
        call = config_call(dialect, "get", task_id, config_id=config_id)
        return decode_config(dialect, await self._call(dialect, call, headers))

    async def alist_push_configs(
        self, task_id: str, *, headers: Mapping[str, str] | None = None
    ) -> list[PushConfig]:
        dialect = await self.anegotiate()
        return decode_configs(
            dialect, await self._call(dialect, config_call(dialect, "list", task_id), headers)
        )

    async def adelete_push_config(
        self, task_id: str, config_id: str, *, headers: Mapping[str, str] | None = None
    ) -> None:
        dialect = await self.anegotiate()
        await self._call(dialect, config_call(dialect, "delete", task_id, config_id=config_id), headers)

    create_push_config = _sync.twin(acreate_push_config)
    get_push_config = _sync.twin(aget_push_config)
    list_push_configs = _sync.twin(alist_push_configs)
    delete_push_config = _sync.twin(adelete_push_config)

    def push_receiver(
        self,
        task_id: str | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        max_queue: int = DEFAULT_MAX_QUEUE,
    ) -> PushInbox:
        """A receiver for pushed task updates: ``async with client.push_receiver(task_id) as inbox``.

        Listens on 127.0.0.1 (a free port) unless ``host``/``port`` say otherwise; with a
        ``task_id`` it registers itself for that task on entry. Or pass the inbox as
        ``send_message(..., push=inbox)`` to register inside the send.
        """

        async def register(inbox: PushInbox) -> None:
            if task_id is not None:
                inbox.config = await self.acreate_push_config(task_id, inbox)

        return PushInbox(
            host=host,
            port=port,
            max_body_bytes=max_body_bytes,
            max_queue=max_queue,
            max_artifact_bytes=self.max_artifact_bytes,
            on_start=register,
        )
