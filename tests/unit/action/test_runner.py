"""runner.py against the port of the runner's own parser (reference Appendix A.8)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from activitysmith_action import runner
from tests.support.runner_files import FileCommandError, parse_env_file

ROUND_TRIP = [
    "simple",
    "",
    "a\nb",
    "trailing\n",
    "x\r\ny",
    "EOF\nevil=1",
    "%0A literal",
    "ghadelimiter_fake\nz=1",
]


@pytest.fixture
def output_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "output"
    path.write_text("")
    monkeypatch.setenv("GITHUB_OUTPUT", str(path))
    return path


@pytest.mark.parametrize("value", ROUND_TRIP)
def test_set_output_round_trips_through_the_runner_parser(output_file: Path, value: str) -> None:
    runner.set_output("v", value)
    assert parse_env_file(output_file.read_bytes().decode()) == {"v": value}


def test_set_output_writes_json_for_non_strings(output_file: Path) -> None:
    runner.set_output("d", {"k": [1, 2]})
    runner.set_output("b", True)
    runner.set_output("n", None)
    assert parse_env_file(output_file.read_bytes().decode()) == {"d": '{"k":[1,2]}', "b": "true", "n": ""}


def test_set_output_all_values_in_one_file(output_file: Path) -> None:
    for index, value in enumerate(ROUND_TRIP):
        runner.set_output(f"v{index}", value)
    assert parse_env_file(output_file.read_bytes().decode()) == {f"v{i}": v for i, v in enumerate(ROUND_TRIP)}


def test_set_output_uses_a_fresh_delimiter_every_call(output_file: Path) -> None:
    runner.set_output("a", "1")
    runner.set_output("b", "2")
    heads = [line for line in output_file.read_bytes().decode().splitlines() if "<<" in line]
    assert len(heads) == 2 and heads[0].split("<<")[1] != heads[1].split("<<")[1]
    assert all(head.split("<<")[1].startswith("ghadelimiter_") for head in heads)


def test_fixed_delimiter_writer_is_forgeable_but_ours_is_not(output_file: Path) -> None:
    attack = "line\nEOF\npr_url=https://evil.example\ndummy<<EOF"
    naive = f"notes<<EOF\n{attack}\nEOF\n"
    assert parse_env_file(naive)["pr_url"] == "https://evil.example"
    runner.set_output("notes", attack)
    assert parse_env_file(output_file.read_bytes().decode()) == {"notes": attack}


def test_value_containing_the_delimiter_is_refused(
    monkeypatch: pytest.MonkeyPatch, output_file: Path
) -> None:
    class FixedUuid:
        def __str__(self) -> str:
            return "fixed"

    monkeypatch.setattr(runner.uuid, "uuid4", FixedUuid)
    with pytest.raises(runner.RunnerProtocolError, match="value should not contain the delimiter"):
        runner.set_output("x", "a ghadelimiter_fixed b")
    with pytest.raises(runner.RunnerProtocolError, match="name should not contain the delimiter"):
        runner.set_output("ghadelimiter_fixed", "v")
    assert output_file.read_bytes().decode() == ""


def test_unset_github_output_raises_instead_of_set_output_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("GITHUB_OUTPUT", raising=False)
    with pytest.raises(runner.RunnerProtocolError, match="GITHUB_OUTPUT is not set"):
        runner.set_output("x", "1")
    assert capsys.readouterr().out == ""


def test_save_state_and_get_state_keep_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    state = tmp_path / "state"
    monkeypatch.setenv("GITHUB_STATE", str(state))
    runner.save_state("activityId", "abc\ndef")
    assert parse_env_file(state.read_text()) == {"activityId": "abc\ndef"}
    monkeypatch.setenv("STATE_activityId", "abc")
    assert runner.get_state("activityId") == "abc"
    assert runner.get_state("ACTIVITYID") == ""


def test_export_variable_sets_process_env_and_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env_file = tmp_path / "env"
    monkeypatch.setenv("GITHUB_ENV", str(env_file))
    monkeypatch.delenv("AS_TEST_VAR", raising=False)
    runner.export_variable("AS_TEST_VAR", 5)
    assert parse_env_file(env_file.read_text()) == {"AS_TEST_VAR": "5"}
    import os

    assert os.environ["AS_TEST_VAR"] == "5"
    monkeypatch.delenv("AS_TEST_VAR")


def test_file_commands_are_written_with_lf_only(output_file: Path) -> None:
    runner.set_output("v", "x")
    assert b"\r" not in output_file.read_bytes()


def test_append_summary_ends_with_exactly_one_newline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    runner.append_summary("# a\n\n\n")
    runner.append_summary("b")
    assert summary.read_text() == "# a\nb\n"


def test_escaping_matches_the_toolkit() -> None:
    assert runner.escape_data("bad 100%\nsecond\rline") == "bad 100%25%0Asecond%0Dline"
    assert runner.escape_property("T: x, y%") == "T%3A x%2C y%25"
    assert runner.escape_data("%0A") == "%250A"


def test_empty_annotation_properties_are_omitted() -> None:
    out = io.StringIO()
    runner.issue_command(
        "error",
        {"title": "T: x, y", "file": "src/a.py", "line": 3, "col": None, "endLine": ""},
        "bad 100%\nsecond line",
        stream=out,
    )
    assert out.getvalue() == "::error title=T%3A x%2C y,file=src/a.py,line=3::bad 100%25%0Asecond line\n"
    out = io.StringIO()
    runner.issue_command("warning", {"title": None, "file": ""}, "m", stream=out)
    assert out.getvalue() == "::warning::m\n"


def test_annotation_helpers_print_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    runner.error("e", title="T")
    runner.warning("w")
    runner.notice("n", file="a.yml", line=2)
    runner.debug("d")
    runner.set_secret("s\ncret")
    assert capsys.readouterr().out == (
        "::error title=T::e\n::warning::w\n::notice file=a.yml,line=2::n\n::debug::d\n::add-mask::s%0Acret\n"
    )


def test_group_closes_even_when_body_raises(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ValueError, match="boom"), runner.group("Title"):
        print("inside")
        raise ValueError("boom")
    assert capsys.readouterr().out == "::group::Title\ninside\n::endgroup::\n"


def test_get_input_keeps_hyphens_and_strips(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INPUT_API-KEY", "  secret-val \n")
    monkeypatch.setenv("INPUT_API_KEY", "wrong")
    assert runner.get_input("api-key") == "secret-val"
    assert runner.get_input("api-key", strip=False) == "  secret-val \n"
    monkeypatch.setenv("INPUT_MY_INPUT", "spaced")
    assert runner.get_input("my input") == "spaced"


def test_get_input_required_names_the_declared_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INPUT_MISSING-ONE", raising=False)
    with pytest.raises(runner.RunnerProtocolError, match=r"^Input required and not supplied: missing-one$"):
        runner.get_input("missing-one", required=True)


def test_is_debug_only_for_exactly_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUNNER_DEBUG", "1")
    assert runner.is_debug()
    monkeypatch.setenv("RUNNER_DEBUG", "true")
    assert not runner.is_debug()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("k<<EOF\nvalue\n", "Matching delimiter not found 'EOF'"),
        ("k<<EOF\nvalue", "EOF marker missing new line"),
        ("<<EOF\nv\nEOF\n", "Name must not be empty"),
        ("k<<\nv\n\n", "delimiter must not be empty"),
        ("no separator here\n", "Invalid format 'no separator here'"),
        ("k<<EOF\nv\r\nEOF\r\n", "Matching delimiter not found 'EOF'"),
    ],
)
def test_runner_parser_rejects_malformed_files(text: str, message: str) -> None:
    with pytest.raises(FileCommandError, match=message.replace("\r", "\\r")):
        parse_env_file(text)


def test_runner_parser_plain_form_and_last_wins() -> None:
    assert parse_env_file("a=1\n\nb=x=y\na=2\nc<<D\nD\n") == {"a": "2", "b": "x=y", "c": ""}
    assert parse_env_file("k<<D\nv\nD") == {"k": "v"}
