"""The per-account sliding window, on a clock the test moves (no real waiting)."""

from __future__ import annotations

import threading

from editor.sending.throttle import HOUR, Throttle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.lock = threading.Lock()

    def __call__(self) -> float:
        with self.lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.now += seconds


def test_per_minute_is_a_sliding_window() -> None:
    clock = Clock()
    throttle = Throttle(per_minute=3, clock=clock, sleep=clock.sleep)
    assert [throttle.try_acquire() for _ in range(3)] == [0, 0, 0]
    assert throttle.try_acquire() == 60  # the oldest of the three leaves the window at +60
    clock.sleep(30)
    assert throttle.try_acquire() == 30
    clock.sleep(30)
    assert throttle.try_acquire() == 0


def test_per_hour_counts_any_sixty_minutes_not_clock_hours() -> None:
    clock = Clock()
    throttle = Throttle(per_hour=2, clock=clock, sleep=clock.sleep)
    assert throttle.acquire() and throttle.acquire()
    clock.sleep(59 * 60)  # "next hour" on the wall clock, still inside the same 60 minutes
    assert throttle.try_acquire() == 60
    assert throttle.acquire()  # waits (on the fake clock) then takes it
    assert clock.now == 1000.0 + HOUR


def test_seeded_from_earlier_sends_so_a_restart_keeps_the_window() -> None:
    clock = Clock()
    seed = [clock.now - 600, clock.now - 300]  # two sent in the last hour, before a restart
    throttle = Throttle(per_hour=3, clock=clock, sleep=clock.sleep, seed=seed)
    assert throttle.try_acquire() == 0
    assert throttle.try_acquire() == HOUR - 600
    assert throttle.taken() == 3


def test_shared_by_threads_never_exceeds_the_limit() -> None:
    clock = Clock()
    throttle = Throttle(per_minute=5, clock=clock, sleep=lambda s: None)
    taken: list[float] = []

    def worker() -> None:
        for _ in range(50):
            if throttle.try_acquire() == 0:
                taken.append(clock())

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(taken) == 5  # time never moved: exactly the limit, whatever the interleaving


def test_stop_ends_the_wait_and_give_back() -> None:
    clock = Clock()
    throttle = Throttle(per_minute=1, clock=clock, sleep=clock.sleep)
    assert throttle.acquire()
    assert not throttle.acquire(stop=lambda: True)
    throttle.give_back()
    assert throttle.try_acquire() == 0
    assert not Throttle().limited and Throttle().try_acquire() == 0
