"""The one place that knows the API key, so text is cleaned before anything shortens it.

Messages quote what the user or the server wrote, cut to a readable length. Cutting first and redacting later
would split the key and leave a fragment that neither our redaction nor the runner's masker (which matches the
whole value only) can recognise; so every shortening goes through `clip`, which redacts first.
"""

from __future__ import annotations

from urllib.parse import quote

REDACTED = "***"
_forms: list[str] = []


def register(secret: str) -> None:
    """Remember the key in the forms it can come back in: as is, URL-encoded, JSON-escaped."""
    if not secret:
        return
    for form in (secret, quote(secret, safe=""), secret.encode("unicode_escape").decode("ascii")):
        if form not in _forms:
            _forms.append(form)
    _forms.sort(key=len, reverse=True)


def redact(text: str) -> str:
    for form in _forms:
        text = text.replace(form, REDACTED)
    return text


def clip(text: str, limit: int) -> str:
    """Redact, then shorten to `limit` characters with an ellipsis."""
    text = redact(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
