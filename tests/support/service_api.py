"""The calls tests make to a local service, whichever way it runs: a real process or in-process.

`LocalService` (tests/support/service.py) sends them over real HTTP; `InProcessService`
(tests/support/in_process.py) through FastAPI's TestClient. A test written against `ServiceApi` runs on both.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

import httpx

TEST_API_KEY = "ask_test_Zq7uV2mN9xR4kL8pW3sT6yB1cD5fG0hJ"


class ServiceApi(ABC):
    api_key: str

    @property
    @abstractmethod
    def root(self) -> str:
        """Where the service answers, without `/api` (the operator API is under `/_mock`)."""

    @abstractmethod
    def send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One HTTP request to an absolute URL under `root`."""

    @property
    def base_url(self) -> str:
        """What the action's `base-url` input takes."""
        return f"{self.root}/api"

    def api(self, method: str, path: str, *, key: str | None = None, **kwargs: Any) -> httpx.Response:
        """A raw API call with a Bearer key (the service's own key unless `key` is given; "" sends none)."""
        headers = kwargs.pop("headers", {})
        if key != "":
            headers.setdefault("Authorization", f"Bearer {key or self.api_key}")
        return self.send(method, f"{self.base_url}{path}", headers=headers, timeout=10, **kwargs)

    # --- operator API -------------------------------------------------------------------------------------
    def operator(self, method: str, path: str, json: Any = None) -> httpx.Response:
        """A raw operator API call (`/_mock/<path>`), for tests of its errors."""
        return self.send(method, f"{self.root}/_mock/{path}", json=json, timeout=10)

    def _call(self, method: str, path: str, json: Any = None) -> Any:
        response = self.operator(method, path, json)
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

    def faults(self) -> list[dict[str, Any]]:
        return self._call("GET", "faults")

    def clear_faults(self) -> None:
        self._call("DELETE", "faults")

    def metrics(self) -> dict[str, Any]:
        return self._call("GET", "metrics")

    def advance_clock(self, seconds: float) -> None:
        self._call("POST", "clock", json={"advance_seconds": seconds})

    def preview_state(self) -> dict[str, Any]:
        """What the preview page renders (`GET /_preview/state`)."""
        response = self.send("GET", f"{self.root}/_preview/state", timeout=10)
        response.raise_for_status()
        return response.json()
