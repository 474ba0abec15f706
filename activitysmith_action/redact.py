"""Removes the API key from text the action did not write itself, before anything shortens that text.

Messages quote what the user or the server wrote, cut to a readable length. Cutting first and redacting
later would split the key and leave a fragment that neither this redaction nor the runner's masker (which
matches the whole value only) can recognise; so every shortening goes through `Redactor.clip`, which redacts
first.

One `Redactor` is made from the key in `main()` and handed explicitly to every module that quotes foreign text
(inputs, request, client, writer): no module-level state, so a test sees exactly what each function redacts.
"""

from __future__ import annotations

from urllib.parse import quote

__all__ = ["REDACTED", "Redactor"]

REDACTED = "***"


class Redactor:
    """The key in the forms it can come back in: as is, URL-encoded and JSON-escaped."""

    def __init__(self, secret: str) -> None:
        forms = (
            {secret, quote(secret, safe=""), secret.encode("unicode_escape").decode("ascii")}
            if secret
            else set()
        )
        # Longest first, so a form that contains another is replaced whole.
        self._forms = sorted(forms, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for form in self._forms:
            text = text.replace(form, REDACTED)
        return text

    def clip(self, text: str, limit: int) -> str:
        """Redact, then shorten to `limit` characters with an ellipsis."""
        text = self.redact(text)
        return text if len(text) <= limit else text[: limit - 1] + "…"
