"""Removes the API key from text the action did not write itself, before anything shortens that text.

Messages quote what the user or the server wrote, cut to a readable length. Cutting first and redacting
later would split the key and leave a fragment that neither this redaction nor the runner's masker (which
matches the whole value only) can recognise; so every shortening goes through `Redactor.clip`, which redacts
first.

One `Redactor` is made from the key in `main()` and handed explicitly to every module that quotes foreign text
(inputs, request, client, writer): no module-level state, so a test sees exactly what each function redacts.
"""

from __future__ import annotations

import base64
from urllib.parse import quote

__all__ = ["REDACTED", "Redactor"]

REDACTED = "***"
# Below this length a key's base64 core would be a handful of characters and match unrelated text.
_MIN_BASE64_KEY = 16


def _encoded_forms(secret: str) -> set[str]:
    """The key as a server may echo it back: URL-encoded, JSON-escaped, hex and base64 (plain and URL-safe).

    Inside a longer base64 text (an echoed `Authorization` header, a token) the key's characters depend on
    where it starts modulo 3, so for each of the three alignments the part of the encoding that only the key
    determines is a form too.
    """
    raw = secret.encode("utf-8")
    forms = {quote(secret, safe=""), secret.encode("unicode_escape").decode("ascii")}
    forms |= {raw.hex(), raw.hex().upper()}
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        forms.add(encode(raw).decode("ascii"))
        if len(raw) < _MIN_BASE64_KEY:
            continue
        for offset in range(3):
            encoded = encode(b"\0" * offset + raw).decode("ascii")
            start = 4 if offset else 0  # the first group mixes in the unknown bytes before the key
            end = (offset + len(raw)) // 3 * 4  # the last partial group mixes in the bytes after it
            forms.add(encoded[start:end])
    return forms


class Redactor:
    """The key in every form it can come back in (see `_encoded_forms`)."""

    def __init__(self, secret: str) -> None:
        forms = {secret, *_encoded_forms(secret)} if secret else set()
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
