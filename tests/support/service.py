"""Runs the local ActivitySmith service as a real process on 127.0.0.1 for tests.

Tests talk to it over real HTTP, exactly as the action and users do; nothing is imported in-process, so the
action under test and the service share nothing but the wire.
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

TEST_API_KEY = "ask_test_Zq7uV2mN9xR4kL8pW3sT6yB1cD5fG0hJ"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LocalService:
    """One `python -m activitysmith_mock` process plus a small client for its operator API (`/_mock/*`)."""

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

    @property
    def base_url(self) -> str:
        """What the action's `base-url` input takes."""
        return f"{self.root}/api"

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
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    # --- operator API -------------------------------------------------------------------------------------
    def _call(self, method: str, path: str, json: Any = None) -> Any:
        response = httpx.request(method, f"{self.root}/_mock/{path}", json=json, timeout=10)
        response.raise_for_status()
        return response.json()

    def reset(self, config: dict[str, Any] | None = None) -> None:
        self._call("POST", "reset", json=config)

    def requests(self) -> list[dict[str, Any]]:
        return self._call("GET", "requests")

    def devices(self) -> dict[str, Any]:
        return self._call("GET", "devices")

    def fault(self, **spec: Any) -> dict[str, Any]:
        return self._call("POST", "faults", json=spec)

    def advance_clock(self, seconds: float) -> None:
        self._call("POST", "clock", json={"advance_seconds": seconds})

    def api(self, method: str, path: str, *, key: str | None = None, **kwargs: Any) -> httpx.Response:
        """A raw API call with a Bearer key (the service's own key unless `key` is given)."""
        headers = kwargs.pop("headers", {})
        if key != "":
            headers.setdefault("Authorization", f"Bearer {key or self.api_key}")
        return httpx.request(method, f"{self.base_url}{path}", headers=headers, timeout=10, **kwargs)
