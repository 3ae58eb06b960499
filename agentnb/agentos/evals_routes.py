"""AgentOS evals (``/eval-runs``) and metrics (``/metrics``), and database migration.

An eval run is executed by the server against one of its own agents or teams; accuracy and
agent-as-judge evals need a judge model, which the server resolves from ``model_id`` and
``model_provider`` (the agent's own model when they name it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, Literal

from agentnb import _sync
from agentnb.agentos._routes import Routes, db_params, one
from agentnb.agentos.db_models import (
    DayMetrics,
    EvalRun,
    EvalRunPage,
    MetricsRefresh,
    MetricsRefreshStatus,
    MetricsResult,
)

__all__ = ["EvalType", "EvalsRoutes"]

EvalType = Literal["accuracy", "agent_as_judge", "performance", "reliability"]


def _day(value: date | str | None) -> str | None:
    if isinstance(value, datetime):
        value = value.date()
    return value.strftime("%Y-%m-%d") if isinstance(value, date) else value


class EvalsRoutes(Routes):
    """The eval, metrics and database endpoints of AgentOSClient."""

    async def alist_eval_runs(
        self,
        *,
        agent_id: str | None = None,
        team_id: str | None = None,
        workflow_id: str | None = None,
        model_id: str | None = None,
        filter_type: Literal["agent", "team", "workflow"] | None = None,
        eval_types: Sequence[EvalType] | None = None,
        limit: int = 20,
        page: int = 1,
        sort_by: str = "created_at",
        sort_order: str = "desc",
        db_id: str | None = None,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> EvalRunPage:
        params = db_params(
            db_id,
            table,
            agent_id=agent_id,
            team_id=team_id,
            workflow_id=workflow_id,
            model_id=model_id,
            type=filter_type,
            eval_types=",".join(eval_types) if eval_types else None,
            limit=limit,
            page=page,
            sort_by=sort_by,
            sort_order=sort_order,
        )
        data = await self._call(
            "GET", "/eval-runs", endpoint="GET /eval-runs", params=params, auth_token=auth_token
        )
        return one(EvalRunPage, data, "GET /eval-runs")

    async def aget_eval_run(
        self,
        eval_run_id: str,
        *,
        db_id: str | None = None,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> EvalRun:
        data = await self._call(
            "GET",
            f"/eval-runs/{eval_run_id}",
            endpoint="GET /eval-runs/{eval_run_id}",
            what=f"eval run {eval_run_id!r}",
            params=db_params(db_id, table),
            auth_token=auth_token,
        )
        return one(EvalRun, data, f"GET /eval-runs/{eval_run_id}")

    async def adelete_eval_runs(
        self,
        eval_run_ids: Sequence[str],
        *,
        db_id: str | None = None,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> None:
        await self._call(
            "DELETE",
            "/eval-runs",
            endpoint="DELETE /eval-runs",
            params=db_params(db_id, table),
            json={"eval_run_ids": list(eval_run_ids)},
            auth_token=auth_token,
        )

    async def aupdate_eval_run(
        self,
        eval_run_id: str,
        name: str,
        *,
        db_id: str | None = None,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> EvalRun:
        data = await self._call(
            "PATCH",
            f"/eval-runs/{eval_run_id}",
            endpoint="PATCH /eval-runs/{eval_run_id}",
            what=f"eval run {eval_run_id!r}",
            params=db_params(db_id, table),
            json={"name": name},
            auth_token=auth_token,
        )
        return one(EvalRun, data, f"PATCH /eval-runs/{eval_run_id}")

    async def arun_eval(
        self,
        eval_type: EvalType,
        input_text: str,
        *,
        agent_id: str | None = None,
        team_id: str | None = None,
        model_id: str | None = None,
        model_provider: str | None = None,
        name: str | None = None,
        expected_output: str | None = None,
        criteria: str | None = None,
        scoring_strategy: Literal["numeric", "binary"] | None = None,
        threshold: int | None = None,
        additional_guidelines: str | None = None,
        additional_context: str | None = None,
        expected_tool_calls: Sequence[str] | None = None,
        allow_additional_tool_calls: bool = False,
        expected_tool_call_arguments: Mapping[str, Any] | None = None,
        num_iterations: int = 1,
        warmup_runs: int | None = None,
        db_id: str | None = None,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> EvalRun | None:
        """Run an eval on the server and store it; None when the server cannot (a remote agent)."""
        body: dict[str, Any] = {
            "eval_type": eval_type,
            "input": input_text,
            "agent_id": agent_id,
            "team_id": team_id,
            "model_id": model_id,
            "model_provider": model_provider,
            "name": name,
            "expected_output": expected_output,
            "criteria": criteria,
            "scoring_strategy": scoring_strategy,
            "threshold": threshold,
            "additional_guidelines": additional_guidelines,
            "additional_context": additional_context,
            "expected_tool_calls": list(expected_tool_calls) if expected_tool_calls is not None else None,
            "allow_additional_tool_calls": allow_additional_tool_calls,
            "expected_tool_call_arguments": dict(expected_tool_call_arguments)
            if expected_tool_call_arguments is not None
            else None,
            "num_iterations": num_iterations,
            "warmup_runs": warmup_runs,
        }
        data = await self._call(
            "POST",
            "/eval-runs",
            endpoint="POST /eval-runs",
            params=db_params(db_id, table),
            json={k: v for k, v in body.items() if v is not None},
            auth_token=auth_token,
        )
        return None if data is None else one(EvalRun, data, "POST /eval-runs")

    # -- metrics -----------------------------------------------------------------------------

    async def aget_metrics(
        self,
        starting_date: date | str | None = None,
        ending_date: date | str | None = None,
        *,
        db_id: str | None = None,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> MetricsResult:
        params = db_params(db_id, table, starting_date=_day(starting_date), ending_date=_day(ending_date))
        data = await self._call(
            "GET", "/metrics", endpoint="GET /metrics", params=params, auth_token=auth_token
        )
        return one(MetricsResult, data, "GET /metrics")

    async def arefresh_metrics(
        self,
        *,
        background: bool = False,
        db_id: str | None = None,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> list[DayMetrics] | MetricsRefresh:
        """Aggregate the metrics again: the days (at once) or, with ``background``, a status."""
        params = db_params(db_id, table, background=True if background else None)
        data = await self._call(
            "POST", "/metrics/refresh", endpoint="POST /metrics/refresh", params=params, auth_token=auth_token
        )
        if isinstance(data, list):
            return [DayMetrics.from_wire(item) for item in data if isinstance(item, dict)]
        return one(MetricsRefresh, data, "POST /metrics/refresh")

    async def aget_metrics_refresh_status(
        self, *, db_id: str | None = None, table: str | None = None, auth_token: str | None = None
    ) -> MetricsRefreshStatus:
        data = await self._call(
            "GET",
            "/metrics/refresh/status",
            endpoint="GET /metrics/refresh/status",
            params=db_params(db_id, table),
            auth_token=auth_token,
        )
        return one(MetricsRefreshStatus, data, "GET /metrics/refresh/status")

    async def amigrate_database(
        self, db_id: str, target_version: str | None = None, *, auth_token: str | None = None
    ) -> Any:
        """Migrate the database's schema (to the latest version unless ``target_version``)."""
        return await self._call(
            "POST",
            f"/databases/{db_id}/migrate",
            endpoint="POST /databases/{db_id}/migrate",
            what=f"database {db_id!r}",
            params={"target_version": target_version},
            auth_token=auth_token,
        )

    list_eval_runs = _sync.twin(alist_eval_runs)
    get_eval_run = _sync.twin(aget_eval_run)
    delete_eval_runs = _sync.twin(adelete_eval_runs)
    update_eval_run = _sync.twin(aupdate_eval_run)
    run_eval = _sync.twin(arun_eval)
    get_metrics = _sync.twin(aget_metrics)
    refresh_metrics = _sync.twin(arefresh_metrics)
    get_metrics_refresh_status = _sync.twin(aget_metrics_refresh_status)
    migrate_database = _sync.twin(amigrate_database)
