"""Who is calling and whether their account may send: Bearer-key authentication and billing blocks (402)."""

from __future__ import annotations

from typing import Any

from activitysmith_mock.domain.entities import ApiKey
from activitysmith_mock.domain.world import World
from activitysmith_mock.errors import ApiError, unauthorized

UPGRADE_URL = "https://activitysmith.com/app/account?billing=upgrade"
BILLING_MESSAGES = {
    "trial_expired": "Your free trial has ended. Start a subscription or lifetime membership to resume using "
    "ActivitySmith.",
    "trial_exhausted": "Your free trial allowance is used up. Start a subscription or lifetime membership to "
    "resume using ActivitySmith.",
    "billing_overage_cap_reached": "Your account reached its billing overage cap. Raise the cap or upgrade "
    "your plan to resume using ActivitySmith.",
}


def authenticate(world: World, authorization: str | None) -> ApiKey:
    """`Authorization: Bearer <key>` → the key; anything else is the documented 401."""
    if not authorization:
        raise unauthorized()
    scheme, _, token = authorization.partition(" ")
    key = world.keys.get(token.strip()) if scheme.lower() == "bearer" else None
    if key is None:
        raise unauthorized()
    return key


def check_billing(world: World, key: ApiKey) -> None:
    """A blocked account gets the documented 402 for anything that notifies (not for metrics or ending)."""
    account = world.accounts[key.account]
    if account.billing == "active":
        return
    body: dict[str, Any] = {
        "error": account.billing,
        "message": BILLING_MESSAGES[account.billing],
        "upgrade_url": UPGRADE_URL,
    }
    if account.trial_period:
        body["trial_period"] = dict(account.trial_period)
    raise ApiError(402, body)
