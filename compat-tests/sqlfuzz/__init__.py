"""A differential and metamorphic SQL fuzzer: random tables and random queries run on Weir and on
PostgreSQL, whose answers must agree.

The pieces, in the order a run uses them:

- `schema`   random tables (types, NULLs, skew, duplicates, empty tables, extreme values), created
             and filled on both servers, so Weir's copies are Iceberg tables Weir wrote;
- `sqltree`  the small expression and query tree queries are built from, rendered as SQL and
             shrunk node by node;
- `queries`  random, well-typed queries: expressions, three-valued predicates, joins of every kind,
             subqueries, aggregates, GROUP BY expressions, HAVING, window functions, set operations,
             ORDER BY / LIMIT, CASE and casts;
- `outcome`  what a server answered (rows, column types, SQLSTATE) and when two answers agree;
- `checks`   the comparisons: Weir against PostgreSQL, and oracle-free ones on Weir alone (ternary
             logic partitioning, a filter against its CASE count, each optimizer rule switched off);
- `shrink`   reduces a failing query, then the rows of its tables, to a small reproducer;
- `runner`   a seeded run of N queries that reports every mismatch with its reproducer.

`python3 compat-tests/sqlfuzz --help` runs it from the command line (`make fuzz-sql`);
`compat-tests/test_sql_fuzzer.py` runs a bounded, fixed-seed run in `make test`.
"""
