"""A container registry of the test's own: Debian's `docker-registry` on 127.0.0.1, a free port, its own
config and storage directory, stopped by its pid. The Docker engine treats 127.0.0.0/8 registries as
insecure-allowed, so plain HTTP needs no engine configuration. Its access log shows every pull.
"""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.support import processes
from tests.support.service import free_port

CONFIG = """\
version: 0.1
log:
  level: info
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: {storage}
  delete:
    enabled: true
http:
  addr: 127.0.0.1:{port}
"""


def registry_binary() -> str | None:
    return shutil.which("docker-registry") or (
        "/usr/bin/docker-registry" if Path("/usr/bin/docker-registry").exists() else None
    )


class LocalRegistry:
    def __init__(self, root: Path, binary: str):
        self.root = root
        self.binary = binary
        self.port = free_port()
        self.log_path = root / "registry.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def host(self) -> str:
        """host:port, the prefix of image names pushed here."""
        return f"127.0.0.1:{self.port}"

    def start(self) -> LocalRegistry:
        config = self.root / "config.yml"
        config.write_text(CONFIG.format(storage=self.root / "storage", port=self.port))
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen([self.binary, "serve", str(config)], stdout=log, stderr=log)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"docker-registry exited early:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"http://{self.host}/v2/", timeout=1) as answer:
                    if answer.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"docker-registry did not answer on {self.host}:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        processes.stop(self.process)
