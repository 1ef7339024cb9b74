"""Create every topic (with its dead-letter and partner topics) on a Kafka cluster.

    python -m deploy.topics --bootstrap kafka-1:9092 --partitions 12 --replication-factor 3

Idempotent: existing topics are left alone. Used by ``make run`` (through the
local broker) and by the Kubernetes job in ``deploy/k8s``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
from collections.abc import Sequence

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from services.partners.settings import PartnersSettings
from shared.topics import all_topics


async def create_topics(
    bootstrap: str, names: Sequence[str], partitions: int, replication_factor: int = 1
) -> list[str]:
    """Create the topics that do not exist yet; return the ones created."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [n for n in names if n not in existing]
        if missing:
            # Another process may create the same topics at the same time: that is fine.
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(
                    [
                        NewTopic(name, num_partitions=partitions, replication_factor=replication_factor)
                        for name in missing
                    ]
                )
        return missing
    finally:
        await admin.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"))
    parser.add_argument("--partitions", type=int, default=int(os.environ.get("TOPIC_PARTITIONS", "6")))
    parser.add_argument("--replication-factor", type=int, default=int(os.environ.get("TOPIC_REPLICATION_FACTOR", "1")))
    parser.add_argument("--prefix", default=os.environ.get("TOPIC_PREFIX", ""))
    args = parser.parse_args(argv)
    names = all_topics(args.prefix, list(PartnersSettings().keys))
    created = asyncio.run(create_topics(args.bootstrap, names, args.partitions, args.replication_factor))
    print(f"{len(created)} topics created, {len(names) - len(created)} already there")
    return 0


if __name__ == "__main__":
    sys.exit(main())
