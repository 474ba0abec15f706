"""Runs the local ActivitySmith service as a real process on 127.0.0.1 for tests.

Tests talk to it over real HTTP, exactly as the action and users do; nothing is imported in-process, so the
action under test and the service share nothing but the wire. For tests where the wire does not matter,
tests/support/in_process.py offers the same calls without a process.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from tests.support import processes
from tests.support.service_api import TEST_API_KEY, ServiceApi

__all__ = ["TEST_API_KEY", "LocalService", "free_port"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LocalService(ServiceApi):
    """One `python -m activitysmith_mock` process, driven over real HTTP."""

    def __init__(
        self, *, api_key: str = TEST_API_KEY, config: Path | None = None, args: tuple[str, ...] = ()
    ):
        self.api_key = api_key
        self.config = config
        self.args = args
        self.port = 0
        self.process: subprocess.Popen[str] | None = None
        self.log_path: Path | None = None

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, log_dir: Path) -> LocalService:
        self.port = free_port()
        self.log_path = log_dir / f"activitysmith-mock-{self.port}.log"
        cmd = [
            sys.executable,
            "-m",
            "activitysmith_mock",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--api-key",
            self.api_key,
            *self.args,
        ]
        if self.config is not None:
            cmd += ["--config", str(self.config)]
        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, text=True, env=env)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"local service exited early:\n{self.log_path.read_text()}")
            try:
                if httpx.get(f"{self.base_url}/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"local service did not answer /api/health:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        processes.stop(self.process)

    def send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return httpx.request(method, url, **kwargs)
