"""actions.py: the one table per action is complete and consistent with action.yml and the models."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from activitysmith_action import models
from activitysmith_action.actions import ACTION_NAMES, ACTIONS, listed, spec_for
from activitysmith_action.inputs import INPUT_NAMES

REPO = Path(__file__).resolve().parents[3]


def test_every_action_is_listed_in_action_yml_description() -> None:
    description = yaml.safe_load((REPO / "action.yml").read_text())["inputs"]["action"]["description"]
    assert [name for name in ACTION_NAMES if name in description] == list(ACTION_NAMES)


@pytest.mark.parametrize("name", ACTION_NAMES)
def test_row_is_consistent(name: str) -> None:
    spec = ACTIONS[name]
    assert spec.name == name and spec_for(name) is spec
    model = getattr(models, spec.model)
    assert issubclass(model, BaseModel)
    # A Live Activity phase means the body has a content state for the per-type rules to check.
    assert ("content_state" in model.model_fields) == (spec.phase is not None)
    # An id input goes either into the path ({key}) or into a body field the model declares.
    assert spec.id_input is None or spec.id_input in INPUT_NAMES
    in_path = "{key}" in spec.path
    assert in_path == (spec.id_input is not None and spec.id_body_field is None)
    if spec.id_body_field:
        assert spec.id_input == "live-activity-id" and spec.id_body_field in model.model_fields
    # Only actions whose body can carry a target take channels.
    assert spec.takes_channels == ("target" in model.model_fields)
    # Push and start notify people: a repeat could notify twice.
    assert spec.repeat_safe == (name not in ("send_push_notification", "start_live_activity"))


def test_spec_for_an_unknown_action_is_none() -> None:
    assert spec_for("send_pigeon") is None


def test_listed() -> None:
    assert listed(["a"]) == "a"
    assert listed(["a", "b"]) == "a and b"
    assert listed(["a", "b", "c"]) == "a, b and c"
