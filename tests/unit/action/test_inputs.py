"""inputs.py: every input read, checked, and every problem reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from activitysmith_action import inputs as inputs_module
from activitysmith_action.errors import InputError
from activitysmith_action.inputs import DEFAULT_BASE_URL, read_inputs
from activitysmith_action.redact import Redactor

NO_KEY = Redactor("")  # these runs have no API key to remove from messages


@pytest.fixture
def runner_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    out = tmp_path / "out"
    out.write_text("")
    monkeypatch.setenv("GITHUB_OUTPUT", str(out))
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    monkeypatch.delenv("ACTIVITYSMITH_BASE_URL", raising=False)
    return tmp_path


def given(monkeypatch: pytest.MonkeyPatch, **values: str) -> None:
    for name, value in values.items():
        monkeypatch.setenv(f"INPUT_{name.replace('_', '-').upper()}", value)


def problems(monkeypatch: pytest.MonkeyPatch, **values: str) -> list[str]:
    given(monkeypatch, **values)
    with pytest.raises(InputError) as exc:
        read_inputs(NO_KEY)
    return [str(p) for p in exc.value.problems]


def test_read_inputs_defaults(runner_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    given(monkeypatch, action="send_push_notification", api_key="k", payload="title: x")
    got = read_inputs(NO_KEY)
    assert (got.errors, got.summary, got.dry_run, got.timeout, got.retries, got.base_url) == (
        True,
        True,
        False,
        10.0,
        3,
        DEFAULT_BASE_URL,
    )
    assert got.workspace == runner_env and got.warnings == ()


def test_read_inputs_reads_every_declared_input(runner_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[str] = []
    real = inputs_module.runner.get_input

    def spy(name: str, **kw: bool) -> str:
        read.append(name)
        return real(name, **kw)

    monkeypatch.setattr(inputs_module.runner, "get_input", spy)
    given(monkeypatch, action="send_push_notification", api_key="k", payload="title: x")
    read_inputs(NO_KEY)
    assert set(read) == set(inputs_module.INPUT_NAMES)


def test_base_url_falls_back_to_environment(runner_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    given(monkeypatch, action="send_push_notification", api_key="k", payload="title: x")
    monkeypatch.setenv("ACTIVITYSMITH_BASE_URL", "http://127.0.0.1:8787/api/")
    assert read_inputs(NO_KEY).base_url == "http://127.0.0.1:8787/api"
    given(monkeypatch, base_url="https://proxy.example/as")
    assert read_inputs(NO_KEY).base_url == "https://proxy.example/as"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            {"action": ""},
            [
                "action: is required; one of: send_push_notification, start_live_activity, "
                "update_live_activity, end_live_activity, stream_live_activity, end_live_activity_stream, "
                "update_metric_value, update_app_icon_badge_count"
            ],
        ),
        (
            {"api_key": ""},
            ["api-key: is required (store it as a secret: api-key: ${{ secrets.ACTIVITYSMITH_API_KEY }})"],
        ),
        (
            {"payload": ""},
            ["payload: is required for action send_push_notification (or give payload-file-path)"],
        ),
        ({"payload_file_path": "p.yml"}, ["payload: give either payload or payload-file-path, not both"]),
        ({"errors": "yes"}, ['errors: must be true or false; got "yes"']),
        ({"dry_run": "1"}, ['dry-run: must be true or false; got "1"']),
        ({"summary": "on"}, ['summary: must be true or false; got "on"']),
        ({"timeout": "-1"}, ['timeout: must be a number of seconds above 0 and at most 300; got "-1"']),
        ({"timeout": "nan"}, ['timeout: must be a number of seconds above 0 and at most 300; got "nan"']),
        ({"retries": "11"}, ['retries: must be a whole number from 0 to 10; got "11"']),
        ({"retries": "1.5"}, ['retries: must be a whole number from 0 to 10; got "1.5"']),
        (
            {"base_url": "ftp://x"},
            ['base-url: must be an http:// or https:// URL with a host; got "ftp://x"'],
        ),
        (
            {"base_url": "https://u:p@h.example"},
            ["base-url: must not contain a user name or password (send the key as api-key)"],
        ),
        (
            {"base_url": "https://h.example/api?x=1"},
            ['base-url: must not contain a query, fragment or whitespace; got "https://h.example/api?x=1"'],
        ),
    ],
)
def test_read_inputs_problems(
    runner_env: Path, monkeypatch: pytest.MonkeyPatch, values: dict[str, str], expected: list[str]
) -> None:
    base = {"action": "send_push_notification", "api_key": "k", "payload": "title: x"}
    assert problems(monkeypatch, **{**base, **values}) == expected


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("stream-key", "a/b"),
        ("stream-key", ".."),
        ("stream-key", "a%2Fb"),
        ("stream-key", "a b"),
        ("stream-key", "a\nb"),
        ("stream-key", "x" * 256),
        ("live-activity-id", "../start"),
        ("live-activity-id", " id"),
        ("metric-key", "Upper"),
        ("metric-key", "a..b"),
        ("metric-key", ".a"),
        ("metric-key", "a/b"),
    ],
)
def test_identifiers_that_could_change_the_url_are_refused(
    runner_env: Path, monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    action = {
        "stream-key": "stream_live_activity",
        "live-activity-id": "update_live_activity",
        "metric-key": "update_metric_value",
    }[name]
    monkeypatch.setenv(f"INPUT_{name.upper()}", value)
    found = problems(monkeypatch, action=action, api_key="k", payload="value: 1")
    assert (
        len(found) == 1
        and found[0].startswith(f"{name}: must be ")
        and "(it becomes part of the request URL)" in found[0]
    )


@pytest.mark.parametrize(
    ("action", "needed"),
    [
        ("update_live_activity", "live-activity-id"),
        ("end_live_activity", "live-activity-id"),
        ("stream_live_activity", "stream-key"),
        ("end_live_activity_stream", "stream-key"),
        ("update_metric_value", "metric-key"),
    ],
)
def test_required_identifier_per_action(
    runner_env: Path, monkeypatch: pytest.MonkeyPatch, action: str, needed: str
) -> None:
    assert problems(monkeypatch, action=action, api_key="k", payload="value: 1") == [
        f"{needed}: is required for action {action}"
    ]


def test_all_problems_at_once_and_code(runner_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    given(monkeypatch, action="nope", api_key="k", retries="x", timeout="0")
    with pytest.raises(InputError) as exc:
        read_inputs(NO_KEY)
    assert [p.field for p in exc.value.problems] == ["action", "timeout", "retries"]
    assert exc.value.code == "invalid_input"
    given(monkeypatch, action="", api_key="", retries="", timeout="")
    with pytest.raises(InputError) as exc:
        read_inputs(NO_KEY)
    assert exc.value.code == "missing_input"


def test_missing_github_output_is_an_input_error(runner_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_OUTPUT")
    assert problems(monkeypatch, action="send_push_notification", api_key="k", payload="title: x") == [
        "GITHUB_OUTPUT: is not set: the action must run as a GitHub Actions step (or set GITHUB_OUTPUT to a "
        "file when running it by hand)"
    ]


def test_warnings_for_deprecated_delimiter_and_ignored_channels(
    runner_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    given(
        monkeypatch,
        action="update_live_activity",
        api_key="k",
        payload="x: 1",
        live_activity_id="A",
        payload_delimiter="_",
        channels="ops",
    )
    assert read_inputs(NO_KEY).warnings == (
        "payload-delimiter is deprecated and ignored: the API takes the "
        "payload's nested objects as they are, "
        "so flattening them would break the request",
        "channels is ignored for update_live_activity: only push, start, "
        "stream and badge requests take a target",
    )


def test_warnings_for_ids_the_action_does_not_use(runner_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A stream-key on start_live_activity usually means the user wanted stream mode: say it is not used."""
    given(
        monkeypatch,
        action="start_live_activity",
        api_key="k",
        payload="x: 1",
        stream_key="deploy-web",
        metric_key="queue.depth",
    )
    assert read_inputs(NO_KEY).warnings == (
        "stream-key is ignored for start_live_activity: only stream_live_activity and "
        "end_live_activity_stream use it",
        "metric-key is ignored for start_live_activity: only update_metric_value uses it",
    )
    given(monkeypatch, action="stream_live_activity", stream_key="k", live_activity_id="A", metric_key="")
    assert read_inputs(NO_KEY).warnings == (
        "live-activity-id is ignored for stream_live_activity: only update_live_activity and "
        "end_live_activity use it",
    )


def test_dry_run_does_not_need_a_key(runner_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    given(monkeypatch, action="send_push_notification", payload="title: x", dry_run="true")
    assert read_inputs(NO_KEY).api_key == ""


def test_action_yml_defaults_are_the_code_defaults() -> None:
    """The defaults are written once in inputs.py; action.yml must show the same ones."""
    import yaml

    from activitysmith_action.inputs import DEFAULT_RETRIES, DEFAULT_TIMEOUT_SECONDS

    declared = yaml.safe_load((Path(__file__).resolve().parents[3] / "action.yml").read_text())["inputs"]
    assert float(declared["timeout"]["default"]) == DEFAULT_TIMEOUT_SECONDS
    assert int(declared["retries"]["default"]) == DEFAULT_RETRIES
    assert declared["base-url"]["default"] == ""  # empty: ACTIVITYSMITH_BASE_URL, then DEFAULT_BASE_URL
    assert DEFAULT_BASE_URL in declared["base-url"]["description"]


@pytest.mark.parametrize(
    "key",
    [
        "ask_with\nnewline",
        "ask_zero\u200bwidth",
        "ask_tab\there",
        "ask_nul\x01ctl",
        "ask_space here",
        "ask_é",
    ],
)
def test_a_key_with_whitespace_control_or_non_ascii_characters_is_refused_without_echo(
    runner_env: Path, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    found = problems(monkeypatch, action="send_push_notification", api_key=key, payload="title: x")
    assert found == [
        "api-key: holds a space, a line break, a control or non-ASCII character (often an invisible "
        "character pasted with the secret); store the key alone as the secret"
    ]
    assert key not in found[0]


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://api.example:port/api", "has a port that is not a number from 1 to 65535"),
        ("https://api.example:99999/api", "has a port that is not a number from 1 to 65535"),
        ("https://☃☃☃☃.example/api", "has a host name that is not a valid (IDNA) domain name"),
        ("https://xn--a.example/api", "has a host name that is not a valid (IDNA) domain name"),
        (
            "http://activitysmith.example/api",
            "http:// would send the API key unencrypted to activitysmith.example",
        ),
        ("http://10.0.0.5:8787/api", "http:// would send the API key unencrypted to 10.0.0.5"),
    ],
)
def test_base_urls_httpx_cannot_use_or_that_would_send_the_key_in_clear_are_refused(
    runner_env: Path, monkeypatch: pytest.MonkeyPatch, url: str, problem: str
) -> None:
    found = problems(
        monkeypatch, action="send_push_notification", api_key="k", payload="title: x", base_url=url
    )
    assert len(found) == 1 and found[0].startswith(f"base-url: {problem}"), found


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8787/api",
        "http://localhost:8787/api",
        "http://[::1]:8787/api",
        "https://bücher.example/api",
    ],
)
def test_loopback_http_and_valid_international_hosts_are_accepted(
    runner_env: Path, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    given(monkeypatch, action="send_push_notification", api_key="k", payload="title: x", base_url=url)
    assert read_inputs(NO_KEY).base_url == url.rstrip("/")


def test_allow_http_lets_a_trusted_network_use_plain_http(
    runner_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = "http://activitysmith-mock:8787/api"
    given(monkeypatch, action="send_push_notification", api_key="k", payload="title: x", base_url=url)
    monkeypatch.setenv("INPUT_ALLOW-HTTP", "true")
    assert read_inputs(NO_KEY).base_url == url
