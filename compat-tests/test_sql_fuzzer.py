"""A bounded run of the SQL fuzzer (`sqlfuzz`): random tables, which Weir writes as Iceberg tables,
and random queries over them, whose answers on Weir must agree with PostgreSQL's (rows, column
types, SQLSTATE classes), plus the checks on Weir alone (ternary logic partitioning, a filter
against its own count, each optimizer rule switched off). The seed is fixed, so a failure names
queries that fail again the same way; `make fuzz-sql` runs long ones with fresh seeds.
"""

import os

import pytest

from sqlfuzz.runner import Fuzzer
from conftest import missing_server

SEED = int(os.environ.get("SQLFUZZ_SEED", "20261207"))
QUERIES = int(os.environ.get("SQLFUZZ_QUERIES", "3000"))


@pytest.mark.timeout_seconds(1800)
def test_random_queries_agree_with_postgresql(capsys):
    weir, postgres = os.environ.get("WEIR_DSN"), os.environ.get("PG_DSN")
    if not weir or not postgres:
        missing_server("the fuzzer compares Weir with PostgreSQL: both WEIR_DSN and PG_DSN are needed")
    fuzzer = Fuzzer(weir, postgres, SEED, schema_name="fuzz_bounded", log=lambda text: None)
    report = fuzzer.run(QUERIES)
    with capsys.disabled():
        print(f"\n[sqlfuzz] seed {SEED}: {report.summary()}")
    assert report.aborted is None, report.aborted
    assert not report.findings, f"{len(report.findings)} findings (seed {SEED}):\n\n" + "\n\n".join(report.findings)
    assert report.queries == QUERIES
    # The oracle-free checks ran too, not only the comparison with PostgreSQL.
    assert all(report.counts[check] > 0 for check in ("differential", "partitioned", "counted", "unoptimized"))
