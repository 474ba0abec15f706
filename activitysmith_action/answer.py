"""One HTTP answer, read as a stream under a size cap, and its body understood as the API's JSON.

An ActivitySmith answer is a few hundred bytes. A server (or a proxy, or a captive portal) that sends an
endless or gigantic body must not grow the step's memory: the body is read chunk by chunk and reading stops
one byte past `MAX_ANSWER_BYTES`. The request asks for no compression; a body compressed anyway (gzip or
deflate) is inflated under the same cap, so a small compressed bomb cannot expand either.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx

__all__ = ["MAX_ANSWER_BYTES", "Answer", "read_answer"]

MAX_ANSWER_BYTES = 1024 * 1024
_INFLATE_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


@dataclass(frozen=True)
class Answer:
    status: int
    reason: str
    retry_after: str | None
    # At most MAX_ANSWER_BYTES bytes, decoded from the transfer's content encoding.
    body: bytes
    # True when the answer had more than MAX_ANSWER_BYTES bytes (`body` is then incomplete and not used).
    over_cap: bool
    # Why the body could not be decoded at all (an unknown content encoding), else None.
    undecodable: str | None = None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> tuple[Any, str | None]:
        """The body as JSON, or (None, why not): never raises, however hostile the body."""
        if self.undecodable:
            return None, self.undecodable
        if not self.body.strip():
            return None, "an empty body"
        try:
            return json.loads(self.body), None
        except RecursionError:
            return None, "JSON nested too deeply to read"
        except UnicodeDecodeError:
            return None, "a body that is not UTF-8 text"
        except ValueError as exc:  # malformed JSON, or an integer too long to convert
            return None, f"a body that is not valid JSON ({str(exc)[:80]})"


def _raw_chunks(response: httpx.Response) -> Iterator[bytes]:
    if response.is_stream_consumed:  # a transport that loads bodies itself (httpx.MockTransport in tests)
        yield response.content
    else:
        yield from response.iter_raw()


def read_answer(response: httpx.Response) -> Answer:
    """Read the body of a streamed response, stopping one byte past the cap."""
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    inflater = zlib.decompressobj(_INFLATE_WBITS[encoding]) if encoding in _INFLATE_WBITS else None
    undecodable = None
    if inflater is None and encoding not in ("", "identity"):
        undecodable = f"a body in the unsupported content encoding {encoding!r}"
    chunks: list[bytes] = []
    size = received = 0
    try:
        for raw in _raw_chunks(response):
            received += len(raw)
            # Inflated output is limited to what still fits plus one byte, which tells the cap was passed.
            chunk = inflater.decompress(raw, MAX_ANSWER_BYTES + 1 - size) if inflater else raw
            size += len(chunk)
            if size > MAX_ANSWER_BYTES or received > MAX_ANSWER_BYTES:
                size = max(size, received)
                break
            chunks.append(chunk)
    except zlib.error:
        undecodable = f"a body that is not valid {encoding} data"
    return Answer(
        status=response.status_code,
        reason=response.reason_phrase,
        retry_after=response.headers.get("retry-after"),
        body=b"".join(chunks),
        over_cap=size > MAX_ANSWER_BYTES,
        undecodable=undecodable,
    )
