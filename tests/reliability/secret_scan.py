"""Find the API key (or a recognisable piece or encoding of it) anywhere a run wrote text.

The runner masks only the exact string registered with `::add-mask::`, so a truncated, URL-encoded or
JSON-escaped copy of the key would show in the log and in outputs in clear. The scan therefore looks for every
12-character window of the key and its common encodings, everywhere except the single mask line.
"""

from __future__ import annotations

import base64
import json
from urllib.parse import quote, quote_plus

from tests.support.run_action import Result

# Recognisable; the service accepts keys of [A-Za-z0-9_-] only, so the encoded forms below coincide with the
# key today, and stay in the scan for keys (or services) that allow more characters.
CANARY_KEY = "ask_CANARY_secret_7Hq2Wm9Zx4Kv8Np3Rt6Yb1cD"
WINDOW = 12


def _windows(text: str, width: int) -> set[str]:
    return {text[i : i + width] for i in range(len(text) - width + 1)}


def _base64_cores(key: str) -> set[str]:
    """The key's base64 at each alignment inside a longer base64 text (plain and URL-safe alphabets)."""
    raw = key.encode()
    cores = set()
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        for offset in range(3):
            encoded = encode(b"\0" * offset + raw).decode()
            cores.add(encoded[4 if offset else 0 : (offset + len(raw)) // 3 * 4])
    return cores


def needles(key: str = CANARY_KEY) -> set[str]:
    """Every 12-character piece of the key, whole encoded forms a server or log line could carry, and
    16-character pieces of its hex and base64 forms (a server may reflect the key encoded)."""
    pieces = _windows(key, WINDOW)
    encoded = {quote(key, safe=""), quote_plus(key), json.dumps(key)[1:-1], key.replace("/", "\\/")}
    hexed = _windows(key.encode().hex(), 2 * WINDOW) | _windows(key.encode().hex().upper(), 2 * WINDOW)
    based = set().union(*(_windows(core, 16) for core in _base64_cores(key)))
    return pieces | encoded | hexed | based


def captured_text(result: Result) -> dict[str, str]:
    """Every place a run leaves text, by name, with the one allowed mask line taken out of stdout."""
    mask_line = f"::add-mask::{CANARY_KEY}"
    stdout_lines = result.stdout.split("\n")
    assert stdout_lines.count(mask_line) == 1, "the key is masked exactly once"
    assert stdout_lines[0] == mask_line, "the mask comes before anything else"
    outputs = "\n".join(f"{name}={value}" for name, value in result.outputs.items())
    return {
        "stdout": "\n".join(line for line in stdout_lines if line != mask_line),
        "stderr": result.stderr,
        "GITHUB_OUTPUT": outputs,
        "GITHUB_STATE": result.state,
        "GITHUB_STEP_SUMMARY": result.summary,
    }


def leaks(result: Result, key: str = CANARY_KEY) -> list[tuple[str, str]]:
    """(where, what) for each needle found; empty when nothing leaked."""
    found = []
    for where, text in captured_text(result).items():
        found += [(where, needle) for needle in sorted(needles(key)) if needle in text]
    return found


def scanned_bytes(result: Result) -> int:
    return sum(len(text.encode("utf-8")) for text in captured_text(result).values())
