"""EXPLAIN and EXPLAIN ANALYZE. Both servers answer with one `QUERY PLAN` text column and the
EXPLAIN command tag; the plan text itself is Weir's own and checked against Weir only."""

import os

import psycopg
import pytest

QUERY = (
    "SELECT n_name, count(*) FROM tpch.nation JOIN tpch.region ON n_regionkey = r_regionkey "
    "WHERE r_name = 'ASIA' GROUP BY n_name ORDER BY 1"
)


def test_explain_returns_query_plan_lines(conn):
    cursor = conn.execute("EXPLAIN " + QUERY)
    assert [column.name for column in cursor.description] == ["QUERY PLAN"]
    assert cursor.statusmessage == "EXPLAIN"
    assert len(cursor.fetchall()) > 1


@pytest.fixture
def weir():
    dsn = os.environ.get("WEIR_DSN")
    if not dsn:
        pytest.skip("Weir's plan text is checked against Weir only")
    with psycopg.connect(dsn, autocommit=True) as connection:
        yield connection


def test_plan_names_operators_and_estimates(weir):
    lines = [row[0] for row in weir.execute("EXPLAIN " + QUERY)]
    assert lines[0] == "Sort (1 keys) (rows=3)"
    assert any(line.strip().startswith("->  Hash Join (inner, 1 keys)") for line in lines)
    assert any("Seq Scan on tpch.nation [n_name, n_regionkey] (rows=25)" in line for line in lines)


def test_analyze_reports_actual_rows_and_time(weir):
    lines = [row[0] for row in weir.execute("EXPLAIN ANALYZE " + QUERY)]
    nation = next(line for line in lines if "Seq Scan on tpch.nation" in line)
    assert "(actual rows=25 time=" in nation
    top = lines[0]
    assert "(actual rows=5 time=" in top  # five nations in ASIA
    assert lines[-1].startswith("Execution Time: ") and lines[-1].endswith(" ms")


def test_analyze_reports_what_parquet_reads_skipped(weir):
    # A copy sorted by l_orderkey: its page index bounds each 20 000-row page of the key.
    weir.execute("DROP TABLE IF EXISTS tpch.explain_sorted")
    weir.execute("CREATE TABLE tpch.explain_sorted AS SELECT l_orderkey, l_comment FROM tpch.lineitem ORDER BY l_orderkey")
    try:
        lines = [row[0] for row in weir.execute("EXPLAIN ANALYZE SELECT count(*) FROM tpch.explain_sorted WHERE l_orderkey = 7")]
        reads = [line for line in lines if line.startswith("Parquet reads of tpch.explain_sorted:")]
        assert len(reads) == 1, lines
        assert "1 row groups read" in reads[0] and "skipped by page index" in reads[0], reads[0]
        assert lines[-1].startswith("Execution Time:")
        # A value outside every file's bounds reads nothing at all.
        lines = [row[0] for row in weir.execute("EXPLAIN ANALYZE SELECT count(*) FROM tpch.explain_sorted WHERE l_orderkey = -1")]
        assert "Parquet reads of tpch.explain_sorted: 0 row groups read; 0 pages decoded; 0 bytes fetched" in lines
    finally:
        weir.execute("DROP TABLE tpch.explain_sorted")


def test_explain_of_a_utility_statement_is_a_syntax_error(conn):
    with pytest.raises(psycopg.Error) as failure:
        conn.execute("EXPLAIN SHOW timezone")
    assert failure.value.sqlstate == "42601"
