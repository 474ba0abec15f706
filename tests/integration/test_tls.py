"""Certificates are still verified after start-up stopped parsing certifi's bundle: a local HTTPS server with
a certificate from a test CA is refused until the step is told to trust that CA (SSL_CERT_FILE or a hashed
SSL_CERT_DIR, the conventions tls.py follows)."""

from __future__ import annotations

import json
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.support.run_action import run_action

INPUTS = {"action": "send_push_notification", "api-key": "ask_tls_test_0123456789", "payload": "title: TLS"}


def openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A test CA and a server certificate for 127.0.0.1 signed by it (openssl, from Debian)."""
    assert shutil.which("openssl"), "openssl is needed to make the test certificates"
    root = tmp_path_factory.mktemp("pki")
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=test CA",
            "-keyout", "ca.key", "-out", "ca.pem", cwd=root)  # fmt: skip
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "server.key",
            "-out", "server.csr", cwd=root)  # fmt: skip
    (root / "san.ext").write_text("subjectAltName=IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-days", "2", "-extfile", "san.ext", "-out", "server.pem", cwd=root)  # fmt: skip
    (root / "hashed").mkdir()
    shutil.copy(root / "ca.pem", root / "hashed" / "ca.pem")
    openssl("rehash", "hashed", cwd=root)
    return root


class _Accept(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = json.dumps({"success": True, "devices_notified": 1}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def https_url(pki: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Accept)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(pki / "server.pem", pki / "server.key")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"https://127.0.0.1:{server.server_address[1]}/api"
    server.shutdown()
    server.server_close()


def test_an_unknown_ca_is_refused(https_url: str) -> None:
    result = run_action({**INPUTS, "base-url": https_url, "retries": "0"})
    assert result.returncode == 1 and result.outputs["error"].endswith("[unreachable]")
    assert "CERTIFICATE_VERIFY_FAILED" in result.outputs["error"]


@pytest.mark.parametrize("variable", ["SSL_CERT_FILE", "SSL_CERT_DIR"])
def test_the_trusted_test_ca_is_accepted(https_url: str, pki: Path, variable: str) -> None:
    trusted = pki / "ca.pem" if variable == "SSL_CERT_FILE" else pki / "hashed"
    # The other variable is emptied: a machine may set SSL_CERT_FILE for everything (this one does).
    env = {"SSL_CERT_FILE": "", "SSL_CERT_DIR": ""} | {variable: str(trusted)}
    result = run_action({**INPUTS, "base-url": https_url}, env=env)
    assert result.returncode == 0 and result.outputs["ok"] == "true", result.stdout
