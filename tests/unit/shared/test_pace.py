"""A consumer polls at the busy pace while events flow and at the idle pace after a quiet spell."""

from __future__ import annotations

from types import SimpleNamespace

from shared.pace import ConsumerPace, Waits

BUSY = Waits(fetch_max_wait_ms=50, batch_timeout_ms=50)
IDLE = Waits(fetch_max_wait_ms=500, batch_timeout_ms=250)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def started_subscriber() -> SimpleNamespace:
    """What FastStream's batch subscriber looks like once started: its waits and aiokafka's fetcher."""
    fetcher = SimpleNamespace(_fetch_max_wait_ms=50)
    return SimpleNamespace(batch_timeout_ms=50, consumer=SimpleNamespace(_fetcher=fetcher))


def waits_of(subscriber: SimpleNamespace) -> Waits:
    return Waits(subscriber.consumer._fetcher._fetch_max_wait_ms, subscriber.batch_timeout_ms)


def test_a_quiet_consumer_slows_down_and_the_next_event_brings_the_busy_pace_back() -> None:
    clock = Clock()
    subscriber = started_subscriber()
    pace = ConsumerPace(subscriber, busy=BUSY, idle=IDLE, idle_after_s=10, clock=clock)
    clock.now += 9.9
    pace.check()
    assert waits_of(subscriber) == BUSY
    clock.now += 0.1
    pace.check()
    assert waits_of(subscriber) == IDLE
    pace.event_seen()
    assert waits_of(subscriber) == BUSY
    clock.now += 5
    pace.check()
    assert waits_of(subscriber) == BUSY  # the quiet spell counts from the last event


def test_a_consumer_rebuilt_after_an_outage_gets_the_idle_pace_again() -> None:
    clock = Clock()
    subscriber = started_subscriber()
    pace = ConsumerPace(subscriber, busy=BUSY, idle=IDLE, idle_after_s=10, clock=clock)
    clock.now += 11
    pace.check()
    subscriber.consumer = SimpleNamespace(_fetcher=SimpleNamespace(_fetch_max_wait_ms=50))  # the configured wait
    pace.check()
    assert waits_of(subscriber) == IDLE


def test_a_subscriber_not_started_yet_or_of_another_shape_is_left_alone() -> None:
    pace = ConsumerPace(SimpleNamespace(consumer=None), busy=BUSY, idle=IDLE, idle_after_s=0.001)
    pace.check()
    pace.event_seen()
    assert pace.current == BUSY
