"""Print traces kept locally as trees with durations — no tracing server needed.

Reads ``var/traces/*.jsonl`` and the previous files their rotation kept (``*.jsonl.1``).

python -m deploy.ops.traces                 the most recent traces, one line each
python -m deploy.ops.traces --last          the tree of the most recent request
python -m deploy.ops.traces TRACE_ID        the tree of one trace
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Span:
    trace_id: str
    span_id: str
    parent_id: str | None
    name: str
    service: str
    start_ns: int
    end_ns: int
    status: str
    attributes: dict[str, Any]
    children: list[Span] = field(default_factory=list)

    @property
    def duration_ms(self) -> float:
        return (self.end_ns - self.start_ns) / 1e6


def read_spans(folder: Path) -> tuple[dict[str, list[Span]], int]:
    """Return every span found in the folder by trace id, and how many lines could not be read.

    Reads each service's file and the previous one its rotation kept (``*.jsonl.1``). A line cut short
    (a process killed mid-write, a full disk) or otherwise unreadable is skipped and counted.
    """
    traces: dict[str, list[Span]] = defaultdict(list)
    skipped = 0
    fields = [k for k in Span.__dataclass_fields__ if k != "children"]
    for path in sorted([*folder.glob("*.jsonl.1"), *folder.glob("*.jsonl")]):
        for line in path.read_text(errors="replace").splitlines():
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                span = Span(**{k: raw.get(k) for k in fields})
                if not (
                    span.trace_id and span.span_id and isinstance(span.start_ns, int) and isinstance(span.end_ns, int)
                ):
                    raise ValueError("not a span")
            except (ValueError, TypeError, AttributeError):
                skipped += 1
                continue
            span.attributes = span.attributes if isinstance(span.attributes, dict) else {}
            traces[span.trace_id].append(span)
    return traces, skipped


def load_spans(folder: Path) -> dict[str, list[Span]]:
    """Return every readable span found in the folder, by trace id."""
    return read_spans(folder)[0]


def roots(spans: Iterable[Span]) -> list[Span]:
    """Link spans to their parents; return the roots (spans whose parent is not in the trace), oldest first."""
    by_id = {s.span_id: s for s in spans}
    top = []
    for span in by_id.values():
        parent = by_id.get(span.parent_id or "")
        if parent is None:
            top.append(span)
        else:
            parent.children.append(span)
    for span in by_id.values():
        span.children.sort(key=lambda s: s.start_ns)
    return sorted(top, key=lambda s: s.start_ns)


def render(spans: list[Span]) -> str:
    """Return the trace as an indented tree with services and durations."""
    top = roots(spans)
    start = min(s.start_ns for s in spans)
    end = max(s.end_ns for s in spans)
    services = sorted({s.service for s in spans})
    lines = [f"trace {spans[0].trace_id}  {(end - start) / 1e6:.1f} ms  {len(spans)} spans  {', '.join(services)}"]

    def walk(span: Span, prefix: str, last: bool) -> None:
        branch = "└─ " if last else "├─ "
        offset = (span.start_ns - start) / 1e6
        flag = "  !" + span.status if span.status == "ERROR" else ""
        lines.append(
            f"{prefix}{branch}{span.service:<13} {span.name}  {span.duration_ms:.1f} ms  (+{offset:.1f}){flag}"
        )
        for index, child in enumerate(span.children):
            walk(child, prefix + ("   " if last else "│  "), index == len(span.children) - 1)

    for index, root in enumerate(top):
        walk(root, "", index == len(top) - 1)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("trace_id", nargs="?")
    parser.add_argument("--last", action="store_true", help="show the most recent request")
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--dir", type=Path, default=Path(os.environ.get("VAR_DIR", "var")) / "traces")
    args = parser.parse_args(argv)
    traces, skipped = read_spans(args.dir)
    if skipped:
        print(f"{skipped} unreadable line(s) skipped in {args.dir}/ (cut short or corrupt)", file=sys.stderr)
    if not traces:
        print(f"no traces in {args.dir}/ (start the system with `make run` and use it first)")
        return 1
    requests = {t: s for t, s in traces.items() if any(x.service == "gateway" for x in s)} or traces
    ordered = sorted(requests, key=lambda t: min(s.start_ns for s in requests[t]))
    if args.trace_id or args.last:
        trace_id = args.trace_id or ordered[-1]
        if trace_id not in traces:
            print(f"unknown trace {trace_id}")
            return 1
        print(render(traces[trace_id]))
        return 0
    for trace_id in ordered[-args.limit :]:
        spans = traces[trace_id]
        first = min(spans, key=lambda s: s.start_ns)
        total = (max(s.end_ns for s in spans) - first.start_ns) / 1e6
        print(
            f"{trace_id}  {total:8.1f} ms  {len(spans):3d} spans  {len({s.service for s in spans})} services  "
            f"{first.name}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
