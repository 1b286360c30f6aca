"""Queries over the TPC-H tables both servers hold (Iceberg in Weir, plain tables in PostgreSQL).

run-compat.sh loads the same generated rows into both. Each query runs on PostgreSQL first, whose
answer is the expectation, then on the server under test; column names, type OIDs and rows
(as a multiset when the query has no ORDER BY) must match.
"""

from collections import Counter

import psycopg
import pytest

QUERIES = [
    "SELECT * FROM tpch.region",
    "SELECT n_nationkey, n_name FROM tpch.nation WHERE n_regionkey = 3",
    "SELECT r_name, r_comment FROM tpch.region AS r WHERE r.r_regionkey = 2",
    "SELECT l_orderkey, l_linenumber, l_quantity, l_extendedprice * (1 - l_discount) AS net, l_shipdate "
    "FROM tpch.lineitem WHERE l_shipdate >= DATE '1998-08-01' AND l_returnflag = 'R'",
    "SELECT o_orderkey, o_totalprice, o_orderdate, o_orderpriority FROM tpch.orders WHERE o_totalprice > 400000",
    "SELECT c_custkey, c_name, c_acctbal FROM tpch.customer WHERE c_mktsegment = 'BUILDING' AND c_acctbal < 0",
    "SELECT p_partkey, p_name, p_retailprice FROM tpch.part "
    "WHERE p_size BETWEEN 1 AND 3 AND p_brand IN ('Brand#12', 'Brand#23')",
    "SELECT ps_partkey, ps_suppkey, ps_availqty, ps_supplycost * ps_availqty AS value FROM tpch.partsupp "
    "WHERE ps_availqty < 20",
    "SELECT s_suppkey, s_name FROM tpch.supplier LIMIT 0",
    "SELECT l_orderkey, l_comment FROM tpch.lineitem WHERE l_orderkey = 7 AND l_linenumber <= 3",
    # joins
    "SELECT n_name, r_name FROM tpch.nation JOIN tpch.region ON n_regionkey = r_regionkey",
    "SELECT n.n_name, r.r_name FROM tpch.nation n, tpch.region r WHERE n.n_regionkey = r.r_regionkey AND r.r_name = 'ASIA'",
    "SELECT * FROM tpch.region r LEFT JOIN tpch.nation n ON n.n_regionkey = r.r_regionkey AND n.n_name LIKE 'I%'",
    "SELECT r_name, n_name FROM tpch.nation n RIGHT JOIN tpch.region r ON n.n_regionkey = r.r_regionkey AND n.n_nationkey < 3",
    "SELECT a.n_name, b.n_name FROM tpch.nation a FULL JOIN tpch.nation b ON a.n_nationkey = b.n_nationkey + 20",
    "SELECT * FROM (SELECT n_nationkey AS k, n_name FROM tpch.nation) AS a JOIN (SELECT n_nationkey AS k, n_comment FROM tpch.nation) AS b USING (k)",
    "SELECT o_orderkey, o_orderdate, l_linenumber, l_quantity FROM tpch.orders, tpch.lineitem "
    "WHERE o_orderkey = l_orderkey AND o_orderdate < DATE '1992-01-10'",
    "SELECT c_name, o_orderkey, l_extendedprice FROM tpch.customer JOIN tpch.orders ON c_custkey = o_custkey "
    "JOIN tpch.lineitem ON l_orderkey = o_orderkey WHERE c_nationkey = 7 AND l_quantity > 49",
    "SELECT r1.r_name, r2.r_name FROM tpch.region r1 CROSS JOIN tpch.region r2 WHERE r1.r_regionkey < r2.r_regionkey",
    "SELECT s_name, n_name FROM tpch.supplier JOIN tpch.nation ON s_nationkey = n_nationkey AND s_acctbal > n_nationkey * 400",
    # aggregates, DISTINCT
    "SELECT count(*), count(o_comment), sum(o_totalprice), min(o_orderdate), max(o_orderdate) FROM tpch.orders",
    "SELECT l_returnflag, l_linestatus, sum(l_quantity), sum(l_extendedprice), count(*) FROM tpch.lineitem "
    "GROUP BY l_returnflag, l_linestatus",
    "SELECT n_regionkey, count(*) AS nations, string_agg(n_name, ',' ORDER BY n_name) FROM tpch.nation GROUP BY 1",
    "SELECT o_orderpriority, count(DISTINCT o_custkey) FROM tpch.orders GROUP BY o_orderpriority HAVING count(*) > 2900",
    "SELECT c_mktsegment, avg(c_acctbal) FILTER (WHERE c_acctbal > 0), bool_and(c_acctbal > -1000) FROM tpch.customer "
    "GROUP BY c_mktsegment",
    "SELECT DISTINCT n_regionkey FROM tpch.nation",
    "SELECT DISTINCT l_shipmode, l_returnflag FROM tpch.lineitem WHERE l_quantity < 2",
    "SELECT count(*) FROM tpch.region WHERE r_regionkey > 10",
    "SELECT r_name, count(n_nationkey) FROM tpch.region LEFT JOIN tpch.nation ON n_regionkey = r_regionkey "
    "AND n_name < 'F' GROUP BY r_name",
    "SELECT o_orderstatus, percentile_disc(0.5) WITHIN GROUP (ORDER BY o_totalprice) FROM tpch.orders GROUP BY o_orderstatus",
    "SELECT extract(year FROM o_orderdate) AS y, sum(o_totalprice) FROM tpch.orders GROUP BY extract(year FROM o_orderdate)",
    # subqueries
    "SELECT n_name FROM tpch.nation WHERE n_regionkey IN (SELECT r_regionkey FROM tpch.region WHERE r_name LIKE 'A%')",
    "SELECT n_name FROM tpch.nation WHERE n_regionkey NOT IN (SELECT r_regionkey FROM tpch.region WHERE r_name LIKE 'A%')",
    "SELECT r_name FROM tpch.region WHERE r_regionkey NOT IN "
    "(SELECT CASE WHEN n_nationkey = 0 THEN NULL ELSE n_regionkey END FROM tpch.nation WHERE n_nationkey < 3)",
    "SELECT c_custkey FROM tpch.customer WHERE NOT EXISTS (SELECT 1 FROM tpch.orders WHERE o_custkey = c_custkey)",
    "SELECT o_orderkey FROM tpch.orders WHERE o_orderkey IN "
    "(SELECT l_orderkey FROM tpch.lineitem GROUP BY l_orderkey HAVING sum(l_quantity) > 250)",
    "SELECT p_partkey, p_retailprice FROM tpch.part WHERE p_retailprice > (SELECT max(p_retailprice) - 20 FROM tpch.part)",
    "SELECT n_name, (SELECT count(*) FROM tpch.region) AS regions FROM tpch.nation WHERE n_nationkey < 3",
    "SELECT s_name FROM tpch.supplier WHERE EXISTS (SELECT * FROM tpch.nation WHERE n_nationkey = s_nationkey "
    "AND n_name = 'GERMANY') AND s_acctbal > 0",
]

# Queries with ORDER BY: rows must come back in the same order.
ORDERED_QUERIES = [
    "SELECT n_name, n_regionkey FROM tpch.nation ORDER BY n_regionkey DESC, n_name",
    "SELECT o_orderkey, o_totalprice FROM tpch.orders ORDER BY o_totalprice DESC LIMIT 10",
    "SELECT o_orderkey, o_totalprice FROM tpch.orders ORDER BY 2, 1 LIMIT 5 OFFSET 100",
    "SELECT n_name FROM tpch.nation ORDER BY n_nationkey % 5, n_name DESC",
    "SELECT c_name, c_acctbal AS balance FROM tpch.customer WHERE c_nationkey = 3 ORDER BY balance DESC NULLS LAST, c_name",
    "SELECT l_returnflag, l_linestatus, sum(l_quantity) AS sum_qty, avg(l_quantity) AS avg_qty, count(*) "
    "FROM tpch.lineitem WHERE l_shipdate <= DATE '1998-12-01' - INTERVAL '90 days' "
    "GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag, l_linestatus",
    "SELECT l_returnflag, avg(l_extendedprice) FROM tpch.lineitem GROUP BY l_returnflag ORDER BY 1",
    "SELECT n_regionkey, count(*) FROM tpch.nation GROUP BY n_regionkey ORDER BY count(*) DESC, n_regionkey",
    "SELECT DISTINCT n_regionkey FROM tpch.nation ORDER BY 1 DESC",
    # WITH
    "WITH big AS (SELECT o_custkey, sum(o_totalprice) AS total FROM tpch.orders GROUP BY o_custkey) "
    "SELECT c_name, total FROM tpch.customer JOIN big ON c_custkey = o_custkey WHERE total > 1500000 ORDER BY total DESC",
    "WITH r(k, name) AS (SELECT r_regionkey, r_name FROM tpch.region), n AS (SELECT n_name, n_regionkey FROM tpch.nation) "
    "SELECT name, count(*) FROM r JOIN n ON n_regionkey = k GROUP BY name ORDER BY name",
    # TPC-H Q15 (the view written as a WITH query)
    "WITH revenue AS (SELECT l_suppkey AS supplier_no, sum(l_extendedprice * (1 - l_discount)) AS total_revenue "
    "FROM tpch.lineitem WHERE l_shipdate >= DATE '1996-01-01' AND l_shipdate < DATE '1996-01-01' + INTERVAL '3' MONTH "
    "GROUP BY l_suppkey) SELECT s_suppkey, s_name, s_address, s_phone, total_revenue FROM tpch.supplier, revenue "
    "WHERE s_suppkey = supplier_no AND total_revenue = (SELECT max(total_revenue) FROM revenue) ORDER BY s_suppkey",
    # set operations
    "SELECT n_name FROM tpch.nation WHERE n_regionkey = 0 UNION ALL SELECT r_name FROM tpch.region",
    "SELECT n_regionkey FROM tpch.nation UNION SELECT r_regionkey FROM tpch.region ORDER BY 1",
    "SELECT n_regionkey FROM tpch.nation WHERE n_nationkey < 10 INTERSECT SELECT r_regionkey FROM tpch.region "
    "WHERE r_regionkey > 1 ORDER BY n_regionkey",
    "SELECT n_nationkey FROM tpch.nation EXCEPT SELECT s_nationkey FROM tpch.supplier WHERE s_acctbal > 0 ORDER BY 1",
    "SELECT 1 AS x UNION SELECT 2.5 UNION SELECT NULL ORDER BY x NULLS FIRST",
    "SELECT r_name, r_regionkey FROM tpch.region UNION ALL SELECT n_name, n_regionkey FROM tpch.nation ORDER BY 2, 1 LIMIT 7",
    # TPC-H Q2
    "SELECT s_acctbal, s_name, n_name, p_partkey, p_mfgr, s_address, s_phone, s_comment FROM tpch.part, tpch.supplier, "
    "tpch.partsupp, tpch.nation, tpch.region WHERE p_partkey = ps_partkey AND s_suppkey = ps_suppkey AND p_size = 15 "
    "AND p_type LIKE '%BRASS' AND s_nationkey = n_nationkey AND n_regionkey = r_regionkey AND r_name = 'EUROPE' "
    "AND ps_supplycost = (SELECT min(ps_supplycost) FROM tpch.partsupp, tpch.supplier, tpch.nation, tpch.region "
    "WHERE p_partkey = ps_partkey AND s_suppkey = ps_suppkey AND s_nationkey = n_nationkey "
    "AND n_regionkey = r_regionkey AND r_name = 'EUROPE') ORDER BY s_acctbal DESC, n_name, s_name, p_partkey LIMIT 100",
    # TPC-H Q17 without its p_container condition
    "SELECT sum(l_extendedprice) / 7.0 AS avg_yearly FROM tpch.lineitem, tpch.part WHERE p_partkey = l_partkey "
    "AND p_brand = 'Brand#23' AND l_quantity < (SELECT 0.2 * avg(l_quantity) FROM tpch.lineitem WHERE l_partkey = p_partkey)",
    # subqueries as values, correlated ones run per outer row
    "SELECT n_name, (SELECT count(*) FROM tpch.region r WHERE r.r_regionkey = n.n_regionkey AND r_name LIKE 'A%') AS c, "
    "EXISTS (SELECT 1 FROM tpch.customer c WHERE c.c_nationkey = n.n_nationkey AND c_acctbal > 9900) AS rich, "
    "ARRAY(SELECT r_name FROM tpch.region WHERE r_regionkey <= n.n_regionkey ORDER BY 1) FROM tpch.nation n ORDER BY 1",
    "SELECT n_name, n_nationkey IN (SELECT c_nationkey FROM tpch.customer WHERE c_acctbal > 9900), "
    "n_nationkey > ALL (SELECT c_nationkey FROM tpch.customer c WHERE c.c_custkey < n.n_nationkey), "
    "n_regionkey = ANY (SELECT CASE WHEN r_regionkey = 2 THEN NULL ELSE r_regionkey END FROM tpch.region WHERE r_regionkey < n.n_nationkey) "
    "FROM tpch.nation n ORDER BY 1",
    "SELECT (SELECT count(*) FROM tpch.region), n_name FROM tpch.nation n WHERE n_regionkey = 1 "
    "OR EXISTS (SELECT 1 FROM tpch.region r WHERE r.r_regionkey = n.n_regionkey AND r_name = 'ASIA') ORDER BY 2",
    "SELECT r_name, (SELECT n_name FROM tpch.nation WHERE n_regionkey = r_regionkey ORDER BY n_name DESC LIMIT 1) AS last_nation "
    "FROM tpch.region ORDER BY (SELECT count(*) FROM tpch.nation WHERE n_regionkey = r_regionkey AND n_name > 'F'), r_name",
    "SELECT r_name FROM tpch.region r WHERE (SELECT max(n_name) FROM tpch.nation WHERE n_regionkey = r.r_regionkey) > 'M' ORDER BY 1",
    "SELECT n_name FROM tpch.nation n WHERE n_nationkey IN "
    "(SELECT c_nationkey FROM tpch.customer WHERE c_nationkey = n.n_regionkey GROUP BY c_nationkey HAVING count(*) > 1) ORDER BY 1",
    "SELECT ARRAY(SELECT r_regionkey FROM tpch.region WHERE r_regionkey > 9), ARRAY(SELECT r_regionkey FROM tpch.region ORDER BY 1 DESC)",
    # WITH RECURSIVE
    "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 100) SELECT sum(n), count(*), max(n) FROM t",
    "WITH RECURSIVE r(k, path) AS (SELECT r_regionkey, r_name FROM tpch.region WHERE r_regionkey = 0 "
    "UNION SELECT n_regionkey + 1, path || '>' || n_name FROM r JOIN tpch.nation ON n_regionkey = r.k "
    "WHERE r.k < 2 AND n_nationkey < 6) SELECT * FROM r ORDER BY 1, 2",
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION SELECT (x % 3) + 1 FROM c) SELECT * FROM c ORDER BY 1",
    "WITH RECURSIVE parts(key, depth) AS (SELECT p_partkey, 0 FROM tpch.part WHERE p_partkey <= 3 "
    "UNION ALL SELECT key + 100, depth + 1 FROM parts WHERE depth < 3), "
    "named AS (SELECT key, depth, (SELECT p_name FROM tpch.part WHERE p_partkey = key) AS name FROM parts) "
    "SELECT * FROM named ORDER BY key",
    # DISTINCT ON
    "SELECT DISTINCT ON (n_regionkey) n_regionkey, n_name FROM tpch.nation ORDER BY n_regionkey, n_name DESC",
    "SELECT DISTINCT ON (c_nationkey) c_nationkey, c_name, c_acctbal FROM tpch.customer ORDER BY c_nationkey, c_acctbal DESC, c_custkey LIMIT 7",
    "SELECT DISTINCT ON (o_orderpriority, o_orderstatus) o_orderstatus, o_orderpriority, o_orderkey FROM tpch.orders "
    "ORDER BY o_orderstatus, o_orderpriority, o_totalprice DESC",
    "SELECT DISTINCT ON (2) n_name, n_regionkey % 2 FROM tpch.nation ORDER BY 2, 1",
    # arrays as grouping and ordering keys
    "SELECT DISTINCT a FROM (VALUES (ARRAY[1, 2]), (ARRAY[1, 2]), (ARRAY[1]), (NULL::int[]), (ARRAY[1, NULL])) v(a) ORDER BY a DESC",
    "SELECT array_agg(n_nationkey ORDER BY n_nationkey) AS keys, count(*) FROM tpch.nation GROUP BY n_regionkey ORDER BY keys",
    # TPC-H Q20
    "SELECT s_name, s_address FROM tpch.supplier, tpch.nation WHERE s_suppkey IN (SELECT ps_suppkey FROM tpch.partsupp "
    "WHERE ps_partkey IN (SELECT p_partkey FROM tpch.part WHERE p_name LIKE 'forest%') AND ps_availqty > "
    "(SELECT 0.5 * sum(l_quantity) FROM tpch.lineitem WHERE l_partkey = ps_partkey AND l_suppkey = ps_suppkey "
    "AND l_shipdate >= DATE '1994-01-01' AND l_shipdate < DATE '1994-01-01' + INTERVAL '1' YEAR)) "
    "AND s_nationkey = n_nationkey AND n_name = 'CANADA' ORDER BY s_name",
    "SELECT c_custkey FROM tpch.customer WHERE c_nationkey = 5 AND "
    "(SELECT count(*) FROM tpch.orders WHERE o_custkey = c_custkey) = 0 ORDER BY c_custkey",
    # TPC-H Q4
    "SELECT o_orderpriority, count(*) AS order_count FROM tpch.orders WHERE o_orderdate >= DATE '1993-07-01' "
    "AND o_orderdate < DATE '1993-07-01' + INTERVAL '3' MONTH AND EXISTS (SELECT * FROM tpch.lineitem "
    "WHERE l_orderkey = o_orderkey AND l_commitdate < l_receiptdate) GROUP BY o_orderpriority ORDER BY o_orderpriority",
    "SELECT o_orderkey, sum(l_extendedprice * (1 - l_discount)) AS revenue FROM tpch.orders JOIN tpch.lineitem "
    "ON l_orderkey = o_orderkey WHERE o_orderdate < DATE '1995-03-15' GROUP BY o_orderkey ORDER BY revenue DESC, o_orderkey LIMIT 10",
]


def run(connection: psycopg.Connection, sql: str):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        columns = [(column.name, column.type_code) for column in cursor.description]
        return columns, cursor.fetchall()


@pytest.fixture
def reference(postgres_oracle):
    return lambda sql: run(postgres_oracle, sql)


def with_order(queries, ordered):
    """(sql, ordered) parameters, keeping the marks of `pytest.param` entries."""
    for query in queries:
        if isinstance(query, str):
            yield pytest.param(query, ordered)
        else:
            yield pytest.param(*query.values, ordered, marks=query.marks)


@pytest.mark.parametrize(("sql", "ordered"), [*with_order(QUERIES, False), *with_order(ORDERED_QUERIES, True)])
def test_query_matches_postgres(server, reference, sql, ordered):
    """Same columns and rows as PostgreSQL; in the same order when the query has ORDER BY."""
    expected_columns, expected_rows = reference(sql)
    with server.connect() as connection:
        columns, rows = run(connection, sql)
    assert columns == expected_columns
    if ordered:
        assert rows == expected_rows
    else:
        assert Counter(rows) == Counter(expected_rows)
        assert len(rows) == len(expected_rows)


def test_full_table_streams_every_row(server, reference):
    _, expected = reference("SELECT l_orderkey, l_partkey, l_suppkey, l_linenumber FROM tpch.lineitem")
    with server.connect() as connection:
        _, rows = run(connection, "SELECT l_orderkey, l_partkey, l_suppkey, l_linenumber FROM tpch.lineitem")
    assert len(rows) == len(expected) > 50_000
    assert Counter(rows) == Counter(expected)
