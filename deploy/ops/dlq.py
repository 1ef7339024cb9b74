"""List, inspect and replay dead-lettered messages.

    python -m deploy.ops.dlq list                          every dead-letter topic and its messages
    python -m deploy.ops.dlq inspect TOPIC.dlq OFFSET      one message: the error, headers and body
    python -m deploy.ops.dlq replay TOPIC.dlq [--offset N] [--dry-run]
                                                           publish again to the original topic, after a fix

Replaying is safe: consumers apply each event id once, so an event that had
in fact been applied has no second effect. Replayed offsets are committed under
the consumer group ``ops.dlq-replay``, so a message is replayed once.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient

from shared.topics import DLQ_SUFFIX

REPLAY_GROUP = "ops.dlq-replay"


@dataclass
class DeadLetter:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: dict[str, str]

    @property
    def original_topic(self) -> str:
        return self.headers.get("x-dlq-original-topic", self.topic.removesuffix(DLQ_SUFFIX))

    def summary(self) -> str:
        return (
            f"{self.topic} p{self.partition}@{self.offset}  {self.headers.get('x-dlq-failed-at', '?')}  "
            f"group={self.headers.get('x-dlq-consumer-group', '?')}  "
            f"{self.headers.get('x-dlq-error-type', '?')}: {self.headers.get('x-dlq-error', '')[:120]}"
        )


async def dlq_topics(bootstrap: str, prefix: str = "") -> list[str]:
    """Return the dead-letter topics on the broker (under the prefix)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        return sorted(t for t in await admin.list_topics() if t.endswith(DLQ_SUFFIX) and t.startswith(prefix))
    finally:
        await admin.close()


async def read(bootstrap: str, topic: str, *, group: str | None = None, timeout_ms: int = 1500) -> list[DeadLetter]:
    """Return the messages of a dead-letter topic (those not yet replayed when a group is given)."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=group,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        session_timeout_ms=2000,
        heartbeat_interval_ms=500,
    )
    await consumer.start()
    letters: list[DeadLetter] = []
    try:
        while batch := await consumer.getmany(timeout_ms=timeout_ms):
            for records in batch.values():
                letters.extend(
                    DeadLetter(
                        r.topic,
                        r.partition,
                        r.offset,
                        r.key,
                        r.value or b"",
                        {k: v.decode(errors="replace") for k, v in r.headers or ()},
                    )
                    for r in records
                )
    finally:
        await consumer.stop()
    return sorted(letters, key=lambda d: (d.partition, d.offset))


async def replay(bootstrap: str, topic: str, *, offset: int | None = None, dry_run: bool = False) -> list[DeadLetter]:
    """Publish dead letters again to their original topic; return the ones replayed."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=REPLAY_GROUP,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        session_timeout_ms=2000,
        heartbeat_interval_ms=500,
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await consumer.start()
    await producer.start()
    replayed: list[DeadLetter] = []
    try:
        while batch := await consumer.getmany(timeout_ms=2000):
            for partition, records in batch.items():
                for record in records:
                    letter = DeadLetter(
                        record.topic,
                        record.partition,
                        record.offset,
                        record.key,
                        record.value or b"",
                        {k: v.decode(errors="replace") for k, v in record.headers or ()},
                    )
                    if offset is not None and record.offset != offset:
                        continue
                    if not dry_run:
                        headers = [(k, v.encode()) for k, v in letter.headers.items() if not k.startswith("x-dlq-")]
                        headers.append(("x-replayed-from", f"{topic}@{record.offset}".encode()))
                        await producer.send_and_wait(
                            letter.original_topic, letter.value, key=letter.key, headers=headers
                        )
                    replayed.append(letter)
                if not dry_run and records:
                    await consumer.commit({partition: records[-1].offset + 1})
    finally:
        await producer.stop()
        await consumer.stop()
    return replayed


def _print_letter(letter: DeadLetter) -> None:
    print(letter.summary())
    for key, value in sorted(letter.headers.items()):
        print(f"  {key}: {value}")
    print(f"  key: {letter.key!r}")
    print("  value:", letter.value.decode(errors="replace")[:4000])


async def run(args: argparse.Namespace) -> int:
    bootstrap = args.bootstrap
    if args.command == "list":
        for topic in await dlq_topics(bootstrap, args.prefix):
            letters = await read(bootstrap, topic)
            print(f"{topic}: {len(letters)} message(s)")
            for letter in letters:
                print("  " + letter.summary())
        return 0
    if args.command == "inspect":
        for letter in await read(bootstrap, args.topic):
            if letter.offset == args.offset:
                _print_letter(letter)
                return 0
        print(f"no message at offset {args.offset} in {args.topic}")
        return 1
    replayed = await replay(bootstrap, args.topic, offset=args.offset, dry_run=args.dry_run)
    verb = "would replay" if args.dry_run else "replayed"
    for letter in replayed:
        print(f"{verb} {letter.topic}@{letter.offset} -> {letter.original_topic}")
    print(f"{len(replayed)} message(s) {verb}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"))
    parser.add_argument("--prefix", default=os.environ.get("TOPIC_PREFIX", ""))
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="list dead-letter topics and their messages")
    inspect = commands.add_parser("inspect", help="show one message")
    inspect.add_argument("topic")
    inspect.add_argument("offset", type=int)
    replayer = commands.add_parser("replay", help="publish dead letters again to their original topic")
    replayer.add_argument("topic")
    replayer.add_argument("--offset", type=int)
    replayer.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
