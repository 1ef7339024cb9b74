"""An example partner: reads its own topic and prints what it receives.

Run it against the local system (``make run`` in another terminal):

    uv run python docs/partners/example_subscriber.py --partner example-partner

Each line is one event: the per-partner pseudonym of the person, what happened,
and the fields partners may see. Nothing arrives for people who have not
consented to partner events, and nothing more after they withdraw. The schema
of every message is in docs/asyncapi.json (channel ``partner.{partner_id}``).
A real partner uses its own consumer group and commits its offsets.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
from collections.abc import Sequence
from typing import Any

from aiokafka import AIOKafkaConsumer


async def consume(
    bootstrap: str, topic: str, *, group: str | None = None, limit: int | None = None, idle_s: float = 5.0
) -> list[dict[str, Any]]:
    """Return the partner events read from the topic (until ``limit`` or ``idle_s`` without news), printing each."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=group,
        auto_offset_reset="earliest",
        enable_auto_commit=group is not None,
        session_timeout_ms=6000,
        heartbeat_interval_ms=2000,
    )
    await consumer.start()
    received: list[dict[str, Any]] = []
    try:
        while limit is None or len(received) < limit:
            batch = await consumer.getmany(timeout_ms=int(idle_s * 1000))
            if not batch:
                break
            for records in batch.values():
                for record in records:
                    event = json.loads(record.value)
                    received.append(event)
                    print(
                        f"{event['occurred_at']}  {event['subject']}  {event['source_event_type']:<16} "
                        f"{json.dumps(event['data'], ensure_ascii=False)}"
                    )
    finally:
        await consumer.stop()
    return received


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"))
    parser.add_argument("--partner", default="example-partner")
    parser.add_argument("--prefix", default=os.environ.get("TOPIC_PREFIX", ""))
    parser.add_argument("--group", default=None, help="consumer group (commit offsets); none: read from the start")
    parser.add_argument("--follow", action="store_true", help="keep waiting for new events")
    args = parser.parse_args(argv)
    idle = 3600.0 if args.follow else 5.0
    asyncio.run(consume(args.bootstrap, f"{args.prefix}partner.{args.partner}", group=args.group, idle_s=idle))


if __name__ == "__main__":
    main()
