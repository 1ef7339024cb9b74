"""Start the whole system on this machine: broker, SMTP sink, every service, the gateway.

    python -m deploy.local.run        (what ``make run`` calls)

Each process is started by honcho from ``deploy/local/Procfile``; Ctrl-C stops
them all (SIGTERM, then SIGKILL after 5 s).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from honcho.manager import Manager

from shared.settings import default_data_dir
from shared.telemetry import log_format

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    os.chdir(ROOT)
    var = Path(os.environ.get("VAR_DIR", "var"))
    for folder in ("stores", "mail", "traces", "logs"):
        (var / folder).mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)}
    # The Procfile says "python": the interpreter running this, even when its environment is not activated.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.setdefault("DATA_DIR", str(default_data_dir()))
    # The services write to a pipe (honcho), not a terminal: they are told how the person reads them.
    env.setdefault("LOG_FORMAT", log_format(stream=sys.stdout))
    env["LOG_PREFIXED"] = "1"  # honcho starts every line with the time and the process name
    # Every trace locally: `make traces` is for the request just made. Production samples (deploy/k8s).
    env.setdefault("OTEL_TRACES_SAMPLER", "parentbased_always_on")
    print(
        "\n  Coach emploi is starting.\n"
        "    Web app and API:   http://127.0.0.1:8000/\n"
        "    API reference:     http://127.0.0.1:8000/docs\n"
        "    Readiness:         http://127.0.0.1:8000/health/ready\n"
        "    Gateway metrics:   http://127.0.0.1:9000/metrics\n"
        f"    Emails received:   {var / 'mail'}/\n"
        f"    Stores:            {var / 'stores'}/\n"
        "  Press Ctrl-C to stop everything.\n",
        flush=True,
    )
    manager = Manager()
    for line in (ROOT / "deploy" / "local" / "Procfile").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, command = line.split(":", 1)
            manager.add_process(name.strip(), command.strip(), env=env, cwd=str(ROOT))
    manager.loop()
    return manager.returncode or 0


if __name__ == "__main__":
    sys.exit(main())
