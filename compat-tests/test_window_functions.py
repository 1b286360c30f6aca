"""Window functions, compared with PostgreSQL on the TPC-H tables both servers hold and on VALUES.

Every query orders its rows completely, and every window whose result depends on the order of
rows that tie on its ORDER BY (row_number, lag, ROWS frames, ...) orders by a unique key, so the
expected answer is PostgreSQL's whatever order its sort leaves ties in.
"""

import pytest

from test_tables import run

VALUES = "(VALUES (1, 10), (2, NULL), (3, 11), (4, 10), (5, NULL), (6, 13), (7, 10)) AS v(x, y)"

QUERIES = [
    # ranking, ties and partitions
    "SELECT n_regionkey, n_name, row_number() OVER (PARTITION BY n_regionkey ORDER BY n_name) FROM tpch.nation ORDER BY 1, 2",
    "SELECT n_name, rank() OVER w, dense_rank() OVER w, percent_rank() OVER w, cume_dist() OVER w "
    "FROM tpch.nation WINDOW w AS (ORDER BY n_regionkey) ORDER BY n_name",
    "SELECT c_custkey, rank() OVER (PARTITION BY c_mktsegment ORDER BY c_nationkey DESC), "
    "dense_rank() OVER (ORDER BY c_mktsegment, c_nationkey) FROM tpch.customer WHERE c_custkey < 200 ORDER BY 1",
    "SELECT n_nationkey, ntile(4) OVER (ORDER BY n_nationkey), ntile(3) OVER (PARTITION BY n_regionkey ORDER BY n_nationkey), "
    "ntile(9) OVER (PARTITION BY n_regionkey ORDER BY n_nationkey) FROM tpch.nation ORDER BY 1",
    # lag, lead, first/last/nth value
    "SELECT n_nationkey, lag(n_name) OVER w, lead(n_name, 2, 'none') OVER w, lag(n_nationkey, 3, -1) OVER w, "
    "lead(n_nationkey, -1) OVER w, lag(n_name, n_regionkey::int) OVER (ORDER BY n_nationkey) "
    "FROM tpch.nation WINDOW w AS (PARTITION BY n_regionkey ORDER BY n_nationkey) ORDER BY 1",
    "SELECT n_nationkey, first_value(n_name) OVER w, last_value(n_name) OVER w, nth_value(n_name, 2) OVER w, "
    "last_value(n_name) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), "
    "nth_value(n_nationkey, 3) OVER (w ROWS BETWEEN 1 PRECEDING AND 2 FOLLOWING) "
    "FROM tpch.nation WINDOW w AS (PARTITION BY n_regionkey ORDER BY n_nationkey) ORDER BY 1",
    "SELECT n_nationkey, first_value(n_name) OVER (ORDER BY n_regionkey, n_name DESC), last_value(n_nationkey) OVER (ORDER BY n_regionkey, n_nationkey DESC) "
    "FROM tpch.nation WHERE n_nationkey % 5 = 0 ORDER BY 1",
    # aggregates over the default frame: running totals that include the current row's peers
    "SELECT o_orderdate, o_orderkey, sum(o_totalprice) OVER (ORDER BY o_orderdate), count(*) OVER (ORDER BY o_orderdate), "
    "max(o_totalprice) OVER (PARTITION BY o_orderstatus), min(o_orderpriority) OVER (ORDER BY o_orderdate) "
    "FROM tpch.orders WHERE o_custkey < 60 ORDER BY o_orderdate, o_orderkey",
    "SELECT c_custkey, count(*) OVER (), sum(c_acctbal) OVER (PARTITION BY c_nationkey), "
    "round(avg(c_acctbal) OVER (PARTITION BY c_nationkey ORDER BY c_custkey), 4) FROM tpch.customer WHERE c_custkey <= 100 ORDER BY 1",
    # ROWS frames
    "SELECT o_orderkey, sum(o_totalprice) OVER (ORDER BY o_orderkey ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING), "
    "min(o_totalprice) OVER (ORDER BY o_orderkey ROWS 3 PRECEDING), "
    "max(o_orderdate) OVER (ORDER BY o_orderkey ROWS BETWEEN CURRENT ROW AND 4 FOLLOWING), "
    "count(o_comment) OVER (PARTITION BY o_orderstatus ORDER BY o_orderkey ROWS BETWEEN UNBOUNDED PRECEDING AND 2 PRECEDING) "
    "FROM tpch.orders WHERE o_orderkey < 600 ORDER BY 1",
    "SELECT n_nationkey, min(n_name) OVER (ORDER BY n_nationkey ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING), "
    "max(n_name) OVER (PARTITION BY n_regionkey), string_agg(n_name, ',') OVER (PARTITION BY n_regionkey ORDER BY n_nationkey), "
    "bool_and(n_nationkey > 3) OVER (ORDER BY n_nationkey ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM tpch.nation ORDER BY 1",
    # RANGE with offsets: numbers, dates, descending keys
    "SELECT p_partkey, p_retailprice, count(*) OVER (ORDER BY p_retailprice RANGE BETWEEN 10 PRECEDING AND 10 FOLLOWING), "
    "sum(p_size) OVER (ORDER BY p_retailprice DESC RANGE BETWEEN 5.5 PRECEDING AND CURRENT ROW) "
    "FROM tpch.part WHERE p_partkey < 300 ORDER BY 1",
    "SELECT o_orderkey, o_orderdate, count(*) OVER (ORDER BY o_orderdate RANGE BETWEEN INTERVAL '7 days' PRECEDING AND CURRENT ROW), "
    "sum(o_totalprice) OVER (ORDER BY o_orderdate DESC RANGE BETWEEN CURRENT ROW AND '30 days' FOLLOWING) "
    "FROM tpch.orders WHERE o_custkey < 40 ORDER BY 2, 1",
    "SELECT ps_partkey, ps_suppkey, sum(ps_availqty) OVER (PARTITION BY ps_suppkey ORDER BY ps_partkey "
    "RANGE BETWEEN 100 PRECEDING AND 50 FOLLOWING) FROM tpch.partsupp WHERE ps_suppkey < 4 ORDER BY 2, 1",
    # GROUPS frames
    "SELECT n_nationkey, count(*) OVER (ORDER BY n_regionkey GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW), "
    "sum(n_nationkey) OVER (ORDER BY n_regionkey GROUPS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) FROM tpch.nation ORDER BY 1",
    # NULLs, empty frames, VALUES
    f"SELECT x, y, rank() OVER (ORDER BY y NULLS FIRST), sum(x) OVER (ORDER BY y DESC RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING), "
    f"lag(y, 1, 0) OVER (ORDER BY x), last_value(y) OVER (ORDER BY x ROWS BETWEEN 1 FOLLOWING AND 2 FOLLOWING), "
    f"count(y) OVER (ORDER BY y), dense_rank() OVER (ORDER BY y DESC NULLS LAST) FROM {VALUES} ORDER BY x",
    f"SELECT x, sum(x) OVER (ORDER BY x ROWS BETWEEN 3 PRECEDING AND 2 PRECEDING), "
    f"count(x) OVER (ORDER BY x ROWS BETWEEN 5 FOLLOWING AND 6 FOLLOWING), first_value(x) OVER (ORDER BY x ROWS BETWEEN 8 FOLLOWING AND UNBOUNDED FOLLOWING), "
    f"sum(x) OVER (PARTITION BY y ORDER BY x RANGE BETWEEN 1 FOLLOWING AND 2 FOLLOWING) FROM {VALUES} ORDER BY x",
    "SELECT row_number() OVER (), sum(r_regionkey) OVER () FROM tpch.region WHERE r_regionkey > 10",
    "SELECT x, sum(x::float8) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING), avg(x / 3.0::float8) OVER (ORDER BY x) "
    "FROM generate_series(1, 12) AS g(x) ORDER BY x",
    # FILTER
    "SELECT n_nationkey, count(*) FILTER (WHERE n_name LIKE 'A%') OVER (PARTITION BY n_regionkey), "
    "sum(n_nationkey) FILTER (WHERE n_nationkey % 2 = 0) OVER (ORDER BY n_nationkey) FROM tpch.nation ORDER BY 1",
    # over grouped rows, in ORDER BY, under DISTINCT and LIMIT, in subqueries
    "SELECT o_orderpriority, count(*), rank() OVER (ORDER BY count(*) DESC), sum(count(*)) OVER (ORDER BY o_orderpriority), "
    "lag(count(*)) OVER (ORDER BY o_orderpriority) FROM tpch.orders GROUP BY o_orderpriority HAVING count(*) > 10 ORDER BY 1",
    "SELECT n_regionkey, sum(n_nationkey) AS s FROM tpch.nation GROUP BY n_regionkey "
    "ORDER BY rank() OVER (ORDER BY sum(n_nationkey) DESC), n_regionkey",
    "SELECT c_custkey, c_acctbal, rank() OVER (PARTITION BY c_nationkey ORDER BY c_acctbal DESC) AS r FROM tpch.customer "
    "ORDER BY r, c_custkey LIMIT 20",
    "SELECT * FROM (SELECT c_nationkey, c_custkey, c_acctbal, row_number() OVER (PARTITION BY c_nationkey ORDER BY c_acctbal DESC, c_custkey) AS rn "
    "FROM tpch.customer) AS t WHERE rn <= 2 ORDER BY c_nationkey, rn",
    "SELECT DISTINCT n_regionkey, count(*) OVER (PARTITION BY n_regionkey) FROM tpch.nation ORDER BY 1",
    "SELECT s_suppkey, s_name, supplier_rank FROM (SELECT s_suppkey, s_name, dense_rank() OVER (ORDER BY s_acctbal DESC) AS supplier_rank "
    "FROM tpch.supplier JOIN tpch.nation ON s_nationkey = n_nationkey WHERE n_regionkey = 1) AS ranked "
    "WHERE supplier_rank <= 5 ORDER BY supplier_rank, s_suppkey",
    # several window orders in one query; the whole lineitem table
    "SELECT l_orderkey, l_linenumber, sum(l_quantity) OVER (PARTITION BY l_orderkey ORDER BY l_linenumber), "
    "row_number() OVER (ORDER BY l_extendedprice DESC, l_orderkey, l_linenumber), "
    "count(*) OVER (PARTITION BY l_returnflag), max(l_shipdate) OVER (PARTITION BY l_orderkey) "
    "FROM tpch.lineitem WHERE l_orderkey < 500 ORDER BY 1, 2",
    "SELECT count(*), sum(rn), max(rn), sum(running) FROM (SELECT row_number() OVER (PARTITION BY l_suppkey ORDER BY l_orderkey, l_linenumber) AS rn, "
    "sum(l_quantity) OVER (PARTITION BY l_suppkey ORDER BY l_orderkey, l_linenumber) AS running FROM tpch.lineitem) AS t",
    "WITH monthly AS (SELECT date_trunc('month', o_orderdate) AS month, sum(o_totalprice) AS total FROM tpch.orders GROUP BY 1) "
    "SELECT month, total, total - lag(total) OVER (ORDER BY month) AS change, "
    "sum(total) OVER (ORDER BY month ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS quarter FROM monthly ORDER BY month",
    "SELECT n_nationkey, count(*) OVER w2, sum(n_nationkey) OVER (w2 ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM tpch.nation "
    "WINDOW w AS (PARTITION BY n_regionkey), w2 AS (w ORDER BY n_nationkey) ORDER BY 1",
]


@pytest.mark.parametrize("sql", QUERIES)
def test_window_query_matches_postgres(server, postgres_oracle, sql):
    """Same column names, types and rows, in the same order, as PostgreSQL."""
    expected = run(postgres_oracle, sql)
    with server.connect() as connection:
        assert run(connection, sql) == expected


@pytest.mark.parametrize("prepare", [False, True])
def test_frame_offsets_and_arguments_as_parameters(server, postgres_oracle, prepare):
    """Offsets and function arguments bound as parameters, through the extended protocol."""
    sql = (
        "SELECT o_orderkey, sum(o_totalprice) OVER (ORDER BY o_orderkey ROWS BETWEEN %s PRECEDING AND CURRENT ROW), "
        "count(*) OVER (ORDER BY o_orderdate RANGE BETWEEN %s::interval PRECEDING AND CURRENT ROW), "
        "ntile(%s) OVER (ORDER BY o_orderkey), lag(o_orderpriority, %s, %s) OVER (ORDER BY o_orderkey) "
        "FROM tpch.orders WHERE o_custkey < 20 ORDER BY 1"
    )
    parameters = [2, "20 days", 3, 2, "none"]
    expected = postgres_oracle.execute(sql, parameters, prepare=prepare).fetchall()
    with server.connect() as connection:
        assert connection.execute(sql, parameters, prepare=prepare).fetchall() == expected
