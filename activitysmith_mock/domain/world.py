"""The `World`: every store one service holds, seeded from its config, plus the clock and the settings.

Domain functions take the world and change it in place. None of them locks: the caller (`ServiceState`)
holds the one state lock around each whole operation, so every operation sees and leaves a consistent world.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from activitysmith_mock.clock import Clock, iso
from activitysmith_mock.config import ServiceConfig, Settings
from activitysmith_mock.domain.entities import (
    Account,
    Activity,
    ApiKey,
    Device,
    Notification,
    Stream,
    StreamId,
)


@dataclass
class World:
    settings: Settings
    clock: Clock
    accounts: dict[str, Account] = field(default_factory=dict)
    keys: dict[str, ApiKey] = field(default_factory=dict)
    devices: dict[str, Device] = field(default_factory=dict)
    activities: dict[str, Activity] = field(default_factory=dict)
    streams: dict[StreamId, Stream] = field(default_factory=dict)
    notifications: dict[str, Notification] = field(default_factory=dict)
    taps: list[dict[str, Any]] = field(default_factory=list)  # every simulated tap's outcome, oldest first

    @classmethod
    def seeded(cls, config: ServiceConfig, clock: Clock) -> World:
        """The accounts, keys and devices of `config`; no activities, streams or taps yet."""
        world = cls(settings=config.settings, clock=clock)
        for account in config.accounts:
            world.accounts[account.name] = Account(
                name=account.name,
                billing=account.billing,
                trial_period=account.trial_period.model_dump() if account.trial_period else None,
                channels=list(account.channels),
                metrics=dict.fromkeys(account.metrics),
            )
            for key in account.api_keys:
                world.keys[key.key] = ApiKey(
                    key.key, account.name, list(key.channels) if key.channels else None
                )
            for member in account.members:
                for device in member.devices:
                    world.devices[device.id] = Device(
                        id=device.id,
                        name=device.name or device.id,
                        member=member.name,
                        account=account.name,
                        channels=list(member.channels),
                        capacity=config.capacity_of(device),
                        connected=device.connected,
                    )
        return world

    def now(self) -> float:
        return self.clock.now()

    def stamp(self) -> str:
        """Now, in the API's timestamp format."""
        return iso(self.now())
