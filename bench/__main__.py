"""``python -m bench [--quick] [names...]``: run factlog's benchmarks and print every figure.

Sub-benchmarks: append, feed, rebuild, growth, freshness, reads, sources (all by default, in that order);
merkle (the tamper-evident log's tree, proofs and verification), freshness-rebuild (freshness while a
rebuild runs beside) and extraction (the article extractor against its gold annotations) only when named.
"""
from __future__ import annotations

import argparse
import importlib
import sys
import time

from bench.common import Report, Settings, log, machine

BENCHMARKS = ("append", "feed", "rebuild", "growth", "freshness", "reads", "sources")
# Run only when named: the tamper-evident log's tree, proofs and verification; freshness while a rebuild runs;
# the article extractor against its gold annotations.
EXTRA = ("merkle", "freshness-rebuild", "extraction")


def _show_progress_lines() -> None:
    """Long phases (loading, rebuilding) report progress: a bar on a terminal, these lines otherwise."""
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("# %(message)s"))
    progress = logging.getLogger("factlog.progress")
    progress.addHandler(handler)
    progress.setLevel(logging.INFO)
    progress.propagate = False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", default=[],
                        help="sub-benchmarks to run (default: all)")
    parser.add_argument("--quick", action="store_true", help="reduced scale, one repetition: a smoke run")
    parser.add_argument("--reps", type=int, help="repetitions per figure (default 3, quick 1)")
    parser.add_argument("--events", type=int, help="events in the large log (default 1,000,000)")
    parser.add_argument("--duration", type=float, help="seconds per timed run")
    parser.add_argument("--seed", type=int, help="seed of the synthetic data (default 8)")
    parser.add_argument("--json", dest="json_path", help="also append every JSON result to this file")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark databases")
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if name not in BENCHMARKS + EXTRA]
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; choose from {', '.join(BENCHMARKS + EXTRA)}")
    settings = Settings.make(args.quick, reps=args.reps, events=args.events, duration=args.duration,
                             seed=args.seed, json_path=args.json_path, keep=args.keep or None)
    report = Report(settings)
    _show_progress_lines()
    log(f"machine: {machine()}; settings: {settings}")
    started = time.perf_counter()
    for name in args.names or BENCHMARKS:
        begun = time.perf_counter()
        importlib.import_module(f"bench.{name.replace('-', '_')}").run(report, settings)
        log(f"{name} took {time.perf_counter() - begun:.0f} s")
    report.print_table(title=f"all results ({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
