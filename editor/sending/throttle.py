"""Per-account sending rate: messages per minute and per hour, as sliding windows.

One :class:`Throttle` per account is shared by the runner's worker threads: each asks
:meth:`Throttle.acquire` before a message and gets a slot when fewer than the limit were taken
in the last minute (and hour). A sliding window, not a fixed bucket: a provider that allows
100 an hour refuses the 101st in *any* 60 minutes, so a burst at 10:59 and another at 11:00
must not both pass. The hourly window is seeded from the database (``deliveries.sent_at`` of the
account over the last hour) so a restart, a crash or a second campaign does not reset it.

The clock and the sleep are injectable: tests drive time by hand and never really wait.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable

MINUTE = 60.0
HOUR = 3600.0


class Throttle:
    """Sliding-window limits shared by threads. ``per_minute``/``per_hour`` 0 = no limit.

    ``clock`` returns seconds (monotonic or epoch, as long as seeded times use the same);
    ``sleep`` waits that many seconds — :meth:`acquire` passes a ``stop`` predicate it checks
    between waits, so a pause never waits out a whole hour.
    """

    def __init__(
        self,
        per_minute: int = 0,
        per_hour: int = 0,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        seed: Iterable[float] = (),
        max_wait: float = 0.5,
    ) -> None:
        self.per_minute = max(0, per_minute)
        self.per_hour = max(0, per_hour)
        self.clock = clock
        self.sleep = sleep
        self.max_wait = max_wait
        self._lock = threading.Lock()
        self._times: deque[float] = deque(sorted(seed))

    @property
    def limited(self) -> bool:
        return bool(self.per_minute or self.per_hour)

    def _drop_old(self, now: float) -> None:
        horizon = HOUR if self.per_hour else MINUTE
        while self._times and self._times[0] <= now - horizon:
            self._times.popleft()

    def delay(self, now: float | None = None) -> float:
        """Seconds until a message may go (0 = now); takes nothing."""
        if not self.limited:
            return 0.0
        with self._lock:
            return self._delay(self.clock() if now is None else now)

    def _delay(self, now: float) -> float:
        self._drop_old(now)
        wait = 0.0
        times = self._times
        if self.per_hour and len(times) >= self.per_hour:
            wait = max(wait, times[-self.per_hour] + HOUR - now)
        if self.per_minute:
            for recent, t in enumerate(reversed(times), 1):  # the last minute only
                if t <= now - MINUTE:
                    break
                if recent >= self.per_minute:
                    wait = max(wait, t + MINUTE - now)
                    break
        return max(0.0, wait)

    def try_acquire(self) -> float:
        """Take a slot if one is free now (returns 0) or return the seconds to wait."""
        if not self.limited:
            return 0.0
        with self._lock:
            now = self.clock()
            wait = self._delay(now)
            if wait <= 0:
                self._times.append(now)
            return wait

    def acquire(self, stop: Callable[[], bool] = lambda: False) -> bool:
        """Wait for a slot and take it; False if ``stop()`` became true while waiting."""
        while True:
            if stop():
                return False
            wait = self.try_acquire()
            if wait <= 0:
                return True
            self.sleep(min(wait, self.max_wait))

    def give_back(self) -> None:
        """Return the latest slot (the message did not go after all)."""
        with self._lock:
            if self._times:
                self._times.pop()

    def taken(self, window: float = HOUR) -> int:
        """Slots taken within the last ``window`` seconds."""
        with self._lock:
            now = self.clock()
            return sum(1 for t in self._times if t > now - window)


_throttles: dict[str, Throttle] = {}
_throttles_lock = threading.Lock()


def shared_throttle(key: str, make: Callable[[], Throttle]) -> Throttle:
    """The one Throttle of an account in this process (two campaigns of one account share it)."""
    with _throttles_lock:
        throttle = _throttles.get(key)
        if throttle is None:
            throttle = _throttles[key] = make()
        return throttle
