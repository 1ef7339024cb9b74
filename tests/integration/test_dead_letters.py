"""The dead-letter tool: list, inspect and replay after a fix (each dead letter replayed once)."""

from __future__ import annotations

import pytest
from aiokafka import AIOKafkaProducer

from deploy.ops.dlq import dlq_topics, read, replay
from shared.contracts.diagnostic import DiagnosisReady
from tests.integration.test_delivery import complete_profile, diagnostic, read_topic  # noqa: F401 - fixture
from tests.support.system import System

pytestmark = pytest.mark.integration


async def test_a_dead_letter_is_replayed_once_after_the_fix(diagnostic: System) -> None:  # noqa: F811
    event = complete_profile("u_00000000000000e1")
    # As the consumer leaves it: the original message, and why it failed in the headers.
    producer = AIOKafkaProducer(bootstrap_servers=diagnostic.broker.bootstrap)
    await producer.start()
    dlq = diagnostic.prefix + "profile-updated.dlq"
    await producer.send_and_wait(
        dlq,
        event.model_dump_json().encode(),
        key=event.key(),
        headers=[
            ("x-dlq-original-topic", (diagnostic.prefix + "profile-updated").encode()),
            ("x-dlq-error-type", b"KeyError"),
            ("x-dlq-error", b"'market' (fixed in 1.2.1)"),
            ("x-dlq-attempts", b"3"),
            ("x-dlq-consumer-group", b"diagnostic"),
        ],
    )
    await producer.stop()

    assert dlq in await dlq_topics(diagnostic.broker.bootstrap, diagnostic.prefix)
    (letter,) = await read(diagnostic.broker.bootstrap, dlq)
    assert letter.headers["x-dlq-error-type"] == "KeyError"
    assert letter.original_topic == diagnostic.prefix + "profile-updated"

    dry = await replay(diagnostic.broker.bootstrap, dlq, dry_run=True)
    assert len(dry) == 1
    assert len(await replay(diagnostic.broker.bootstrap, dlq)) == 1
    ready = await read_topic(diagnostic, "diagnosis-ready", expect=1)
    assert DiagnosisReady.model_validate_json(ready[0].value).subject == "u_00000000000000e1"
    assert await replay(diagnostic.broker.bootstrap, dlq) == []  # replayed once only
