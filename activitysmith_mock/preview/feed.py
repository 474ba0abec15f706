"""A change counter the page's event stream waits on: the recorder bumps it, each open page hears it.

Everything runs on the server's event loop (the hook and the stream are both coroutines), so one
`asyncio.Event` per generation is enough: `publish` sets the current one and starts the next. A waiter that
missed several changes sees only the newest version, which is all a page needs to fetch the state once.
"""

from __future__ import annotations

import asyncio


class ChangeFeed:
    def __init__(self) -> None:
        self.version = 0
        self._next = asyncio.Event()

    def publish(self) -> int:
        """Something the page shows may have changed: wake every waiter."""
        self.version += 1
        current, self._next = self._next, asyncio.Event()
        current.set()
        return self.version

    async def wait_past(self, seen: int, timeout: float) -> int:
        """The version once it is past `seen`, or the unchanged version after `timeout` seconds."""
        if self.version > seen:
            return self.version
        try:
            await asyncio.wait_for(self._next.wait(), timeout)
        except TimeoutError:
            pass
        return self.version
