"""tls.py: which certificate authorities a step trusts, in the order users expect."""

from __future__ import annotations

from pathlib import Path

import certifi
import pytest

from activitysmith_action import tls


def test_ssl_cert_file_then_ssl_cert_dir_win() -> None:
    assert tls.trust_source({"SSL_CERT_FILE": "/x/ca.pem", "SSL_CERT_DIR": "/y"}) == ("cafile", "/x/ca.pem")
    assert tls.trust_source({"SSL_CERT_DIR": "/y"}) == ("capath", "/y")


def test_the_system_hashed_directory_then_certifi(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hashed = tmp_path / "certs"
    hashed.mkdir()
    monkeypatch.setattr(tls, "SYSTEM_CA_DIRECTORY", str(hashed))
    assert tls.trust_source({}) == ("cafile", certifi.where()), "an empty directory has nothing to look up"
    (hashed / "002c0b4f.0").write_text("")
    assert tls.trust_source({}) == ("capath", str(hashed))
    monkeypatch.setattr(tls, "SYSTEM_CA_DIRECTORY", str(tmp_path / "missing"))
    assert tls.trust_source({}) == ("cafile", certifi.where())


def test_the_context_verifies_certificates_and_host_names() -> None:
    context = tls.verifying_context()
    assert context.check_hostname and context.verify_mode.name == "CERT_REQUIRED"
