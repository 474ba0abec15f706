"""Config documents for tests that need more than the default seed (sent with `service.reset(config)`)."""

from __future__ import annotations

from typing import Any

from tests.support.service_api import TEST_API_KEY

SCOPED_KEY = "ask_scoped_ops_key_00000000000000"
OTHER_KEY = "ask_second_key_same_account_000000"
FOREIGN_KEY = "ask_other_account_key_00000000000"


def team(
    *, settings: dict[str, Any] | None = None, billing: str = "active", **overrides: Any
) -> dict[str, Any]:
    """Account `acme`: channels ops/deploys/marketing; alice (ops: iphone-a, ipad-a), bob (deploys: iphone-b).

    Keys: the test key (all recipients), a second all-recipients key, a key scoped to `ops`; plus account
    `other` with its own key and device.
    """
    acme: dict[str, Any] = {
        "name": "acme",
        "billing": billing,
        "channels": ["ops", "deploys", "marketing"],
        "api_keys": [
            {"key": TEST_API_KEY},
            {"key": OTHER_KEY},
            {"key": SCOPED_KEY, "channels": ["ops"]},
        ],
        "members": [
            {
                "name": "alice",
                "channels": ["ops"],
                "devices": [{"id": "iphone-a"}, {"id": "ipad-a", "capacity": 2}],
            },
            {"name": "bob", "channels": ["deploys"], "devices": [{"id": "iphone-b"}]},
        ],
        "metrics": ["deploy.success_rate"],
    }
    acme.update(overrides)
    other = {
        "name": "other",
        "channels": ["ops"],
        "api_keys": [{"key": FOREIGN_KEY}],
        "members": [{"name": "eve", "channels": ["ops"], "devices": [{"id": "eve-phone"}]}],
    }
    return {"settings": settings or {}, "accounts": [acme, other]}


def single_device(
    *, capacity: int = 5, connected: bool = True, settings: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "settings": settings or {},
        "accounts": [
            {
                "name": "solo",
                "channels": ["ops"],
                "api_keys": [{"key": TEST_API_KEY}],
                "members": [
                    {
                        "name": "me",
                        "channels": ["ops"],
                        "devices": [{"id": "phone", "capacity": capacity, "connected": connected}],
                    }
                ],
            }
        ],
    }
