"""A MongoDB wire-protocol server (mongoeco, SQLite storage) for the store contract tests.

Run by the test fixture with a Python ≥ 3.13 interpreter that has mongoeco:
    uv run --no-project --python <py3.13> --with "mongoeco[wire]==4.11.0" \
        python tests/support/mongoeco_server.py PORT PATH
It prints "ready" once it accepts connections and serves until terminated.
"""

import asyncio
import signal
import sys

from mongoeco.engines import SQLiteEngine
from mongoeco.wire import AsyncMongoEcoProxyServer


async def main(port: int, path: str) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    async with AsyncMongoEcoProxyServer(engine=SQLiteEngine(path), host="127.0.0.1", port=port):
        print("ready", flush=True)
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), sys.argv[2]))
