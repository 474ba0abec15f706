"""The body limit over a real socket: what a 300 MB PUT, an endless chunked body or a keyless upload get.

The service reads at most `settings.max_body_bytes` of any body (413 in the API's error shape above it), reads
nothing large before the key is found valid, and its memory stays flat under repeated oversized requests
(measured as the process's peak resident size, VmHWM, over a bounded loop on 127.0.0.1).
"""

from __future__ import annotations

import json
import select
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.service import LocalService

MIB = 1024 * 1024
LIMIT = 1 * MIB  # the default settings.max_body_bytes
STREAM_PATH = "/api/live-activity/stream/big"


@pytest.fixture
def fresh_service(tmp_path: Path) -> Iterator[LocalService]:
    """A process of its own, so its peak memory reflects only this test's requests."""
    service = LocalService().start(tmp_path)
    yield service
    service.stop()


def _head(path: str, key: str | None, *, length: int | None) -> bytes:
    lines = [f"PUT {path} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json"]
    if key is not None:
        lines.append(f"Authorization: Bearer {key}")
    lines.append(f"Content-Length: {length}" if length is not None else "Transfer-Encoding: chunked")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _chunked(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def exchange(port: int, head: bytes, chunks: Iterator[bytes]) -> tuple[int | None, dict]:
    """Send the head, then chunks until the server answers (or stops listening); return its status and body.

    Bounded: at most what `chunks` yields, and 10 s of waiting per socket operation.
    """
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head)
        for chunk in chunks:
            if select.select([sock], [], [], 0)[0]:
                break  # an answer (or a close) arrived: stop sending
            try:
                sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError, TimeoutError):
                break
        answer = b""
        try:
            while True:
                data = sock.recv(65536)
                if not data:
                    break
                answer += data
                head_end = answer.find(b"\r\n\r\n")
                if head_end >= 0:
                    headers = answer[:head_end].decode("latin-1").lower()
                    length = next(
                        (
                            int(line.split(":", 1)[1])
                            for line in headers.split("\r\n")
                            if line.startswith("content-length:")
                        ),
                        None,
                    )
                    if length is not None and len(answer) >= head_end + 4 + length:
                        break
        except (ConnectionResetError, TimeoutError):
            pass
    if not answer.startswith(b"HTTP/1.1 "):
        return None, {}
    status = int(answer[9:12])
    body = answer[answer.find(b"\r\n\r\n") + 4 :]
    return status, json.loads(body) if body else {}


def megabytes(count: int) -> Iterator[bytes]:
    for _ in range(count):
        yield b"a" * MIB


def chunked_megabytes(count: int) -> Iterator[bytes]:
    for _ in range(count):
        yield _chunked(b"a" * MIB)


def assert_too_large(status: int | None, body: dict) -> None:
    assert status == 413, (status, body)
    assert body["error"] == "Payload Too Large" and body["code"] == "body_too_large"
    assert body["message"].startswith(f"body: the request body is larger than {LIMIT} bytes")


def test_a_declared_300_mb_body_is_refused_before_it_is_read(service: LocalService) -> None:
    head = _head(STREAM_PATH, service.api_key, length=300 * MIB)
    assert_too_large(*exchange(service.port, head, megabytes(4)))
    (entry,) = service.requests()
    assert (entry["status"], entry["body"]) == (413, None)


def test_a_chunked_body_is_cut_off_at_the_limit(service: LocalService) -> None:
    head = _head(STREAM_PATH, service.api_key, length=None)
    assert_too_large(*exchange(service.port, head, chunked_megabytes(8)))


def test_a_large_body_without_a_valid_key_is_not_read(service: LocalService) -> None:
    head = _head(STREAM_PATH, "ask_not_a_key_of_this_service", length=None)
    status, body = exchange(service.port, head, chunked_megabytes(8))
    assert status == 401, body
    assert body["error"] == "Unauthorized"
    (entry,) = service.requests()
    assert (entry["status"], entry["body"]) == (401, None)


def test_a_body_just_over_the_limit_is_refused_and_one_at_the_limit_is_read(service: LocalService) -> None:
    title = "t" * (LIMIT - 100)
    document = json.dumps({"content_state": {"title": title, "type": "alert", "message": "m"}}).encode()
    over = document + b" " * (LIMIT + 1 - len(document))
    assert_too_large(
        *exchange(service.port, _head(STREAM_PATH, service.api_key, length=len(over)), iter([over]))
    )
    status, body = exchange(
        service.port, _head(STREAM_PATH, service.api_key, length=len(document)), iter([document])
    )
    assert status == 200, body
    assert body["operation"] == "started"


def _peak_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM in /proc/<pid>/status")


def test_memory_stays_flat_under_repeated_oversized_requests(fresh_service: LocalService) -> None:
    assert fresh_service.process is not None
    pid = fresh_service.process.pid
    warm_up = _head(STREAM_PATH, fresh_service.api_key, length=None)
    exchange(fresh_service.port, warm_up, chunked_megabytes(2))
    before = _peak_rss_kib(pid)
    for round_ in range(6):  # bounded: 6 rounds of three oversized requests, 32 MiB offered by each
        key = fresh_service.api_key
        assert_too_large(
            *exchange(fresh_service.port, _head(STREAM_PATH, key, length=None), chunked_megabytes(32))
        )
        assert_too_large(
            *exchange(fresh_service.port, _head(STREAM_PATH, key, length=300 * MIB), megabytes(32))
        )
        status, _ = exchange(fresh_service.port, _head(STREAM_PATH, None, length=None), chunked_megabytes(32))
        assert status == 401, round_
    grown_mib = (_peak_rss_kib(pid) - before) / 1024
    assert grown_mib < 16, f"peak memory grew by {grown_mib:.1f} MiB over 18 oversized requests"
