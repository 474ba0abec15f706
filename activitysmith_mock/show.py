"""`python -m activitysmith_mock.show [--url http://127.0.0.1:8787]`: print what every device shows now."""

from __future__ import annotations

import argparse
import sys

import httpx

from activitysmith_mock.render import render_devices


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m activitysmith_mock.show", description=__doc__)
    parser.add_argument(
        "--url", default="http://127.0.0.1:8787", help="the service root (default %(default)s)"
    )
    args = parser.parse_args(argv)
    root = args.url.rstrip("/").removesuffix("/api")
    try:
        response = httpx.get(f"{root}/_mock/devices", timeout=10, trust_env=False)
        response.raise_for_status()
        document = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        print(f"activitysmith_mock.show: cannot read {root}/_mock/devices: {exc}", file=sys.stderr)
        return 1
    print(render_devices(document))
    return 0


if __name__ == "__main__":
    sys.exit(main())
