"""A small threaded HTTP server on 127.0.0.1 that answers every request in one hostile way.

Used by test_hostile_servers.py to prove the action's deadline, size cap and error classification against
servers that trickle, never end, send gigabytes, nest JSON 100,000 deep or write Markdown into their errors.
Every mode is bounded on the server side too (a byte budget and the server's lifetime), and a handler stops
as soon as the client goes away.
"""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
import zlib
from collections.abc import Callable
from functools import cache
from types import TracebackType

BLOCK = 64 * 1024
BYTE_BUDGET = 512 * 1024 * 1024  # what a handler sends at most, whatever the mode
TRICKLE_INTERVAL = 0.5

Handler = Callable[["_Connection"], None]


class _Connection:
    def __init__(self, sock: socket.socket, request: bytes, stop: threading.Event) -> None:
        self.sock = sock
        self.request = request
        self.stop = stop
        self.sent = 0

    def send(self, data: bytes) -> bool:
        """False once the client is gone, the server stops or the byte budget is spent."""
        if self.stop.is_set() or self.sent > BYTE_BUDGET:
            return False
        try:
            self.sock.sendall(data)
        except OSError:
            return False
        self.sent += len(data)
        return True

    def header(self, name: str) -> str:
        for line in self.request.split(b"\r\n")[1:]:
            key, _, value = line.decode("latin-1").partition(":")
            if key.strip().lower() == name.lower():
                return value.strip()
        return ""

    def answer(self, status: str, body: bytes, headers: tuple[str, ...] = ()) -> None:
        head = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}", "Connection: close", *headers]
        self.send(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)


def _trickle_headers(conn: _Connection) -> None:
    """The status line, then one header byte every half second: a read timeout per byte never trips."""
    conn.send(b"HTTP/1.1 200 OK\r\n")
    while conn.send(b"X"):
        time.sleep(TRICKLE_INTERVAL)


def _trickle_body(conn: _Connection) -> None:
    conn.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{")
    while conn.send(b" "):
        time.sleep(TRICKLE_INTERVAL)


def _endless_chunked(conn: _Connection) -> None:
    conn.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = f"{BLOCK:x}\r\n".encode() + b"[" * BLOCK + b"\r\n"
    while conn.send(chunk):
        pass


def _huge(status: str) -> Handler:
    def handler(conn: _Connection) -> None:
        conn.send(
            f"HTTP/1.1 {status}\r\nContent-Type: text/plain\r\nContent-Length: {2**30}\r\n\r\n".encode()
        )
        block = b"x" * BLOCK
        while conn.send(block):
            pass

    return handler


@cache
def _gzip_bomb() -> bytes:
    """1 GiB of zeros, gzip-compressed to about 1 MB."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1024 * 1024)
    return b"".join(packer.compress(zeros) for _ in range(1024)) + packer.flush()


def _gzip_bomb_handler(conn: _Connection) -> None:
    conn.answer("200 OK", _gzip_bomb(), ("Content-Type: application/json", "Content-Encoding: gzip"))


def _body(status: str, body: bytes, *headers: str) -> Handler:
    return lambda conn: conn.answer(status, body, ("Content-Type: application/json", *headers))


def _echo_key(conn: _Connection) -> None:
    """A 401 that reflects the Authorization header back in plain, base64 and hex forms."""
    key = conn.header("authorization").removeprefix("Bearer ").encode()
    body = {
        "error": "Unauthorized",
        "message": f"bad token {base64.b64encode(key).decode()} / {key.hex()}",
        "debug": base64.b64encode(b"Authorization: Bearer " + key).decode(),
    }
    conn.answer("401 Unauthorized", json.dumps(body).encode(), ("Content-Type: application/json",))


MODES: dict[str, Handler] = {
    "trickle_headers": _trickle_headers,
    "trickle_body": _trickle_body,
    "endless_chunked": _endless_chunked,
    "huge_2xx": _huge("200 OK"),
    "huge_error": _huge("503 Service Unavailable"),
    "gzip_bomb": _gzip_bomb_handler,
    "deep_json_2xx": _body("200 OK", b"[" * 100_000 + b"]" * 100_000),
    "bigint_2xx": _body("200 OK", b'{"success": true, "activity_id": ' + b"9" * 5000 + b"}"),
    "odd_retry_after": _body(
        # "²" travels as the single latin-1 byte 0xB2; httpx reads header values as latin-1, so the action
        # sees a character for which str.isdigit() is True but float() fails.
        "503 Service Unavailable",
        b'{"error": "Service Unavailable"}',
        "Retry-After: \u00b2",
    ),
    "markdown_error": _body(
        "400 Bad Request",
        json.dumps(
            {
                "error": "Bad\n## Injected heading",
                "message": "<a href='https://evil.example'>click</a>\n- [ ] x ![i](https://evil.example/i.png)",
            }
        ).encode(),
    ),
    "echo_key": _echo_key,
}


class HostileServer:
    """`with HostileServer("trickle_body") as server: ... server.base_url ...`; stops its handlers on exit."""

    def __init__(self, mode: str) -> None:
        self.handler = MODES[mode]
        if mode == "gzip_bomb":
            _gzip_bomb()  # built before the first request, so building it does not look like a slow server
        self.stop = threading.Event()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.requests = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def __enter__(self) -> HostileServer:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop.set()
        self.sock.close()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        with client:
            client.settimeout(10)
            request = b""
            try:
                while b"\r\n\r\n" not in request:
                    data = client.recv(BLOCK)
                    if not data:
                        return
                    request += data
                head, _, body = request.partition(b"\r\n\r\n")
                length = next(
                    (
                        int(line.split(b":")[1])
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length")
                    ),
                    0,
                )
                while len(body) < length:
                    body += client.recv(BLOCK)
            except (OSError, ValueError):
                return
            self.requests += 1
            self.handler(_Connection(client, request, self.stop))
