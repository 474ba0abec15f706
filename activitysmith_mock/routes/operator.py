"""The operator API (`/_mock/*`, no auth): inspect and steer the service from tests and demos.

Contract: docs/local-service.md, "Operator API".
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from activitysmith_mock import safe_json
from activitysmith_mock.config import ConfigError, build_config
from activitysmith_mock.errors import invalid_request
from activitysmith_mock.faults import FaultSpec
from activitysmith_mock.routes.deps import RuntimeDep
from activitysmith_mock.validation import parse_json, parse_model
from activitysmith_mock.webhooks import perform


class OperatorResponse(JSONResponse):
    """The operator API never fails on what the service stores: odd values are shown, not raised on."""

    def render(self, content: Any) -> bytes:
        return safe_json.dumps(content)


def shown(content: Any) -> OperatorResponse:
    """Stored data, answered as is (FastAPI's encoding pass recurses); `render` copes with any value."""
    return OperatorResponse(content)


router = APIRouter(prefix="/_mock", tags=["operator"], default_response_class=OperatorResponse)


class TapRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    device: str
    push: int | None = Field(None, ge=0)
    action: int | None = Field(None, ge=0)
    activity_id: str | None = None
    button: Literal["action", "secondary_action"] | None = None


class ClockRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    advance_seconds: float = Field(ge=0, allow_inf_nan=False)


@router.get("/requests")
async def list_requests(runtime: RuntimeDep) -> OperatorResponse:
    return shown(runtime.log.entries())


@router.post("/reset")
async def reset(request: Request, runtime: RuntimeDep) -> dict[str, Any]:
    document = parse_json(await request.body(), optional=True)
    if document is None:
        runtime.reset()
    else:
        try:
            config = build_config(document, runtime.default_api_key)
        except ConfigError as exc:
            raise invalid_request(f"config: {exc}") from None
        runtime.reset(config)
    return {"ok": True, "accounts": [account.name for account in runtime.config.accounts]}


@router.post("/faults")
async def add_fault(request: Request, runtime: RuntimeDep) -> dict[str, Any]:
    spec = parse_model(FaultSpec, parse_json(await request.body()))
    return {"id": runtime.faults.add(spec).id}


@router.get("/faults")
async def list_faults(runtime: RuntimeDep) -> list[dict[str, Any]]:
    return runtime.faults.pending()


@router.delete("/faults")
async def clear_faults(runtime: RuntimeDep) -> dict[str, Any]:
    runtime.faults.clear()
    return {"ok": True}


@router.get("/devices")
async def devices(runtime: RuntimeDep) -> OperatorResponse:
    return shown({"devices": runtime.state.device_views()})


@router.post("/tap")
async def tap(request: Request, runtime: RuntimeDep) -> dict[str, Any]:
    body = parse_model(TapRequest, parse_json(await request.body()))
    action = runtime.state.tap_action(
        body.device, push=body.push, action=body.action, activity_id=body.activity_id, button=body.button
    )
    outcome = await perform(action, runtime.config.settings, device=body.device, at=runtime.state.stamp())
    runtime.state.record_tap(outcome)
    return outcome


@router.get("/webhooks")
async def webhooks(runtime: RuntimeDep) -> OperatorResponse:
    return shown(runtime.state.tap_outcomes())


@router.post("/clock")
async def advance_clock(request: Request, runtime: RuntimeDep) -> dict[str, Any]:
    body = parse_model(ClockRequest, parse_json(await request.body()))
    runtime.clock.advance(body.advance_seconds)
    return {"now": runtime.state.stamp()}


@router.get("/metrics")
async def metrics(runtime: RuntimeDep) -> OperatorResponse:
    return shown(runtime.state.metric_views())
