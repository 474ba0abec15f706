"""redact.py: the key is removed in every form it comes back in, before anything shortens the text."""

from __future__ import annotations

import pytest

from activitysmith_action.redact import Redactor

SECRET = "ask_report_test_Hq2L9vXk4TzW7mNc"


def test_clip_redacts_before_shortening() -> None:
    redactor = Redactor(SECRET)
    text = "x" * 50 + SECRET + "tail"
    clipped = redactor.clip(text, 60)
    assert clipped == "x" * 50 + "***tail"
    assert redactor.clip("y" * 57 + SECRET, 60) == "y" * 57 + "***"
    assert redactor.clip("z" * 100, 60) == "z" * 59 + "…"


ODD_SECRET = "ask_odd/key+with=chars"


@pytest.mark.parametrize("form", [ODD_SECRET, "ask_odd%2Fkey%2Bwith%3Dchars"])
def test_redact_covers_plain_and_url_encoded_forms(form: str) -> None:
    assert Redactor(ODD_SECRET).redact(f"[{form}]") == "[***]"


def test_no_key_redacts_nothing() -> None:
    assert Redactor("").redact("text *** stays") == "text *** stays"
