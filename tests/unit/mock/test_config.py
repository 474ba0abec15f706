"""Config loading: defaults are the documented numbers; bad values are refused naming the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from activitysmith_mock.config import DEFAULT_API_KEY, ConfigError, build_config, load_config_file


def test_defaults_are_the_documented_seed_and_numbers() -> None:
    config = build_config(None)
    (account,) = config.accounts
    assert account.name == "local" and account.api_keys[0].key == DEFAULT_API_KEY
    assert account.channels == ["ops", "deploys"] and account.metrics == [
        "deploy.success_rate",
        "queue.depth",
    ]
    (member,) = account.members
    assert member.name == "you" and member.channels == ["ops", "deploys"]
    assert member.devices[0].id == "iphone" and config.capacity_of(member.devices[0]) == 5
    settings = config.settings
    assert (
        settings.no_recipients_status,
        settings.auto_dismiss_minutes,
        settings.activity_max_age_hours,
    ) == (422, 3, 8)
    limits = settings.rate_limits
    assert (
        limits.window_seconds,
        limits.ip,
        limits.notifications,
        limits.live_activities,
        limits.metrics,
        limits.badges,
    ) == (60, 600, 60, 300, 300, 60)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {"settings": {"auto_dismiss_minutes": -1}},
            "settings.auto_dismiss_minutes: Input should be greater than or equal to 0",
        ),
        ({"settings": {"unknown": 1}}, "settings.unknown: Extra inputs are not permitted"),
        (
            {"accounts": [{"name": "a", "api_keys": [{"key": "short"}]}]},
            "accounts.0.api_keys.0.key: String should have at least 8 characters",
        ),
        (
            {"accounts": [{"name": "a", "api_keys": [{"key": "ask_12345678", "channels": ["ops"]}]}]},
            "accounts.0: api_keys.0.channels: 'ops' is not in this account's channels",
        ),
        (
            {"accounts": [{"name": "a", "billing": "broke", "api_keys": [{"key": "ask_12345678"}]}]},
            "accounts.0.billing: Input should be 'active', 'trial_expired', 'trial_exhausted' or "
            "'billing_overage_cap_reached'",
        ),
        (
            {"accounts": [{"name": "a", "api_keys": [{"key": "ask_12345678"}], "metrics": ["Bad Key"]}]},
            "accounts.0.metrics: 'Bad Key' does not match ^[a-z0-9][a-z0-9_.-]{0,63}$",
        ),
        (
            {
                "accounts": [
                    {"name": "a", "api_keys": [{"key": "ask_12345678"}]},
                    {"name": "b", "api_keys": [{"key": "ask_12345678"}]},
                ]
            },
            "api_keys: key (a duplicated key) is used twice; each must be unique",
        ),
        (
            {
                "accounts": [
                    {
                        "name": "a",
                        "api_keys": [{"key": "ask_12345678"}],
                        "members": [{"name": "m", "devices": [{"id": "d", "capacity": 0}]}],
                    }
                ]
            },
            "accounts.0.members.0.devices.0.capacity: Input should be greater than or equal to 1",
        ),
    ],
)
def test_bad_config_names_the_field(document: object, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        build_config(document)
    assert str(caught.value) == message
    assert "ask_12345678" not in str(caught.value)


def test_yaml_file_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "service.yml"
    path.write_text("settings:\n  rate_limits:\n    notifications: lots\n")
    with pytest.raises(ConfigError) as caught:
        load_config_file(path)
    assert str(caught.value) == f"{path}: settings.rate_limits.notifications: Input should be a valid integer"
    path.write_text("settings: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config_file(path)
    with pytest.raises(ConfigError, match="cannot read the config file"):
        load_config_file(tmp_path / "missing.yml")


def test_yaml_file_with_accounts(tmp_path: Path) -> None:
    path = tmp_path / "service.yml"
    path.write_text(
        "settings:\n  no_recipients_status: 404\n  webhook_redirects:\n    https://hooks.example.com: http://127.0.0.1:9999/\n"
        "accounts:\n  - name: team\n    channels: [ops]\n    api_keys:\n      - key: ask_team_key_123\n"
        "      - key: ask_ops_key_123\n        channels: [ops]\n"
        "    members:\n      - name: ann\n        channels: [ops]\n"
        "        devices:\n          - id: ann-phone\n            connected: false\n"
    )
    config = load_config_file(path)
    assert config.settings.no_recipients_status == 404
    assert config.settings.webhook_redirects == {"https://hooks.example.com": "http://127.0.0.1:9999"}
    assert config.accounts[0].api_keys[1].channels == ["ops"]
    assert config.accounts[0].members[0].devices[0].connected is False
