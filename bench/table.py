"""``python -m bench.table results.jsonl``: the JSON lines of a run as a Markdown table."""
from __future__ import annotations

import json
import sys


def _fmt(value) -> str:
    if value is None:
        return "-"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def markdown(lines: list[str]) -> str:
    rows = [json.loads(line) for line in lines if line.startswith("{")]
    out = ["| bench | what | params | metric | median | min..max (runs) |", "|---|---|---|---|---:|---|"]
    for r in rows:
        params = ", ".join(f"{k}={v}" for k, v in r["params"].items())
        spread = f"{_fmt(r['min'])}..{_fmt(r['max'])} ({r['reps']})" if r["reps"] > 1 else f"({r['reps']})"
        out.append(f"| {r['bench']} | {r['what']} | {params} | {r['metric']} | {_fmt(r['median'])} | {spread} |")
    return "\n".join(out)


if __name__ == "__main__":
    with open(sys.argv[1]) as handle:
        print(markdown(handle.readlines()))
