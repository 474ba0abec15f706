"""Where the trusted certificate authorities come from, loaded cheaply; certificates are always verified.

httpx's default parses certifi's whole bundle (about 140 certificates) on every client: about 40 ms of each
step's start here, paid even by steps that never open a TLS connection. A hashed CA directory (Debian's
/etc/ssl/certs, which the action's image and most Linux runners have) lets OpenSSL load just the certificate
it needs, when a connection needs it: about 1 ms. The order follows the conventions users already rely on:
SSL_CERT_FILE and SSL_CERT_DIR first (as httpx honours them), then the system's hashed directory, then
certifi's bundle (macOS and Windows runners, where there is no such directory).
"""

from __future__ import annotations

import os
import ssl

__all__ = ["SYSTEM_CA_DIRECTORY", "trust_source", "verifying_context"]

SYSTEM_CA_DIRECTORY = "/etc/ssl/certs"


def _hashed(directory: str) -> bool:
    """True when `directory` holds OpenSSL's `<hash>.0` links, which capath lookups need."""
    try:
        with os.scandir(directory) as entries:
            return any(entry.name.endswith(".0") for entry in entries)
    except OSError:
        return False


def trust_source(environ: dict[str, str] | os._Environ[str] = os.environ) -> tuple[str, str]:
    """("cafile" or "capath", path): what the context below trusts, for the log and for tests."""
    if environ.get("SSL_CERT_FILE"):
        return "cafile", environ["SSL_CERT_FILE"]
    if environ.get("SSL_CERT_DIR"):
        return "capath", environ["SSL_CERT_DIR"]
    if _hashed(SYSTEM_CA_DIRECTORY):
        return "capath", SYSTEM_CA_DIRECTORY
    import certifi  # httpx's own dependency; imported only where no hashed system directory exists

    return "cafile", certifi.where()


def verifying_context() -> ssl.SSLContext:
    """A client context that verifies the server's certificate and host name (ssl's defaults)."""
    kind, path = trust_source()
    if kind == "capath":
        return ssl.create_default_context(capath=path)
    return ssl.create_default_context(cafile=path)
