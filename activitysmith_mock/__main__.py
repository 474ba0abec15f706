"""`python -m activitysmith_mock --host 127.0.0.1 --port 8787 [--config FILE] [--api-key KEY]`.

Prints the base URL, the key to use and the preview page's address, then serves until interrupted. A bad
config file is one clear line naming the field, and exit code 2; never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from activitysmith_mock.config import DEFAULT_API_KEY, ConfigError, build_config, load_config_file

GRACEFUL_SHUTDOWN_SECONDS = 2  # requests in flight may finish; an open event stream is cut after this


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m activitysmith_mock", description="A local stand-in for the ActivitySmith API."
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8787, help="port (default 8787)")
    parser.add_argument(
        "--config", type=Path, help="YAML config: accounts, keys, channels, devices, settings"
    )
    parser.add_argument(
        "--api-key", default=DEFAULT_API_KEY, help="the key of the default account (no --config)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        if args.config is not None:
            config = load_config_file(args.config, args.api_key)
        else:
            config = build_config(None, args.api_key)
    except ConfigError as exc:
        print(f"activitysmith_mock: config error: {exc}", file=sys.stderr)
        return 2

    import uvicorn

    from activitysmith_mock.app import create_app

    app = create_app(config, api_key=args.api_key)
    keys = [key.key for account in config.accounts for key in account.api_keys]
    print(f"ActivitySmith local service: base URL http://{args.host}:{args.port}/api", flush=True)
    print(
        f"API key: {keys[0]}" + (f" (and {len(keys) - 1} more in the config)" if len(keys) > 1 else ""),
        flush=True,
    )
    print(
        f"Operator API: http://{args.host}:{args.port}/_mock/  (devices, requests, faults, clock, tap)",
        flush=True,
    )
    print(f"Preview page: http://{args.host}:{args.port}/  (each phone's lock screen, live)", flush=True)
    # An open preview page holds an endless event stream; without a bound, stopping would wait for the tab.
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
