"""`python3 compat-tests/sqlfuzz --weir DSN --postgres DSN [--seed N] [--queries N]`: a fuzzing run
that prints a minimized reproducer for each mismatch and exits 1 if there was any."""

from __future__ import annotations

import argparse
import os
import sys
import time

# Run as a directory: make the package importable by its name.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlfuzz import checks  # noqa: E402
from sqlfuzz.runner import Fuzzer  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--weir", default=os.environ.get("WEIR_DSN"), help="libpq string of Weir (default $WEIR_DSN)")
    parser.add_argument("--postgres", default=os.environ.get("PG_DSN"), help="libpq string of PostgreSQL (default $PG_DSN)")
    parser.add_argument("--seed", type=int, default=int(time.time()), help="random seed (default: the time)")
    parser.add_argument("--queries", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=None, help="stop after this long")
    parser.add_argument("--checks", default=",".join(checks.CHECKS), help="comma-separated subset of " + ", ".join(checks.CHECKS))
    parser.add_argument("--schema", default="fuzz", help="schema the random tables are made in (dropped at the end)")
    arguments = parser.parse_args()
    if not arguments.weir or not arguments.postgres:
        parser.error("both --weir and --postgres (or WEIR_DSN and PG_DSN) are needed")
    print(f"sqlfuzz: seed {arguments.seed}, up to {arguments.queries} queries", flush=True)
    started = time.monotonic()
    fuzzer = Fuzzer(arguments.weir, arguments.postgres, arguments.seed, schema_name=arguments.schema,
                    enabled=tuple(arguments.checks.split(",")), log=lambda text: print(text + "\n", flush=True))
    report = fuzzer.run(arguments.queries, seconds=arguments.seconds, progress_every=5000)
    print(f"sqlfuzz: {report.summary()} in {time.monotonic() - started:.0f} s (seed {arguments.seed})")
    return 1 if report.findings or report.aborted else 0


if __name__ == "__main__":
    sys.exit(main())
