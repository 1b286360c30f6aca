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


def test_explain_of_a_utility_statement_is_a_syntax_error(conn):
    with pytest.raises(psycopg.Error) as failure:
        conn.execute("EXPLAIN SHOW timezone")
    assert failure.value.sqlstate == "42601"
