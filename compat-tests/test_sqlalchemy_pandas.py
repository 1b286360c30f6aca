"""SQLAlchemy 2 text() queries (psycopg 3 dialect) and pandas.read_sql.

On its first connection the dialect runs, inside BEGIN ... ROLLBACK:
`select pg_catalog.version()`, `select current_schema()`,
`show transaction isolation level` and `show standard_conforming_strings`,
and with hstore support on (the default) looks the hstore type up in pg_type
with `to_regtype`. The inspector tests reflect the TPC-H tables both servers
hold and compare the answers with PostgreSQL's.
"""

import pandas
import psycopg
import pytest
import sqlalchemy
from sqlalchemy import text
from sqlalchemy.pool import NullPool


def make_engine(dsn, **options):
    return sqlalchemy.create_engine(
        "postgresql+psycopg://", creator=lambda: psycopg.connect(dsn, connect_timeout=10), poolclass=NullPool, **options
    )


def reflect(inspector):
    """Everything the inspector says about the tpch schema, in a form that compares by value."""
    tables = sorted(inspector.get_table_names("tpch"))
    return {
        "schemas": sorted(inspector.get_schema_names()),
        "tables": tables,
        "views": inspector.get_view_names("tpch"),
        "columns": {
            table: [(c["name"], str(c["type"]), c["nullable"], c["default"]) for c in inspector.get_columns(table, "tpch")]
            for table in tables
        },
        "primary keys": {table: inspector.get_pk_constraint(table, "tpch") for table in tables},
        "foreign keys": {table: inspector.get_foreign_keys(table, "tpch") for table in tables},
        "indexes": {table: inspector.get_indexes(table, "tpch") for table in tables},
        "unique": {table: inspector.get_unique_constraints(table, "tpch") for table in tables},
        "comments": {table: inspector.get_table_comment(table, "tpch") for table in tables},
        "has nation": inspector.has_table("nation", "tpch"),
        "has missing": inspector.has_table("missing", "tpch"),
    }


@pytest.fixture(scope="module")
def postgres_reflection(postgres_server):
    engine = make_engine(postgres_server.dsn)
    try:
        return reflect(sqlalchemy.inspect(engine))
    finally:
        engine.dispose()


def test_inspector_reflects_the_tables_as_postgres_does(server, postgres_reflection):
    engine = make_engine(server.dsn)  # hstore lookup on: the dialect's default first-connect path
    try:
        assert reflect(sqlalchemy.inspect(engine)) == postgres_reflection
    finally:
        engine.dispose()


@pytest.fixture
def engine(server):
    engine = sqlalchemy.create_engine(
        "postgresql+psycopg://",
        creator=lambda: psycopg.connect(server.dsn, connect_timeout=10),
        poolclass=NullPool,
        use_native_hstore=False,
    )
    yield engine
    engine.dispose()


def test_text_query_with_bound_parameter(engine):
    with engine.connect() as connection:
        assert connection.execute(text("SELECT :a + 1 AS b"), {"a": 41}).scalar_one() == 42
        statement = text("SELECT CAST(:n AS integer) * 2 AS doubled, :s || '!' AS shout")
        row = connection.execute(statement, {"n": 21, "s": "hi"}).one()
    assert row.doubled == 42
    assert row.shout == "hi!"


def test_text_query_rows(engine):
    with engine.connect() as connection:
        result = connection.execute(text("SELECT x, x * 2 AS y FROM generate_series(1, :n) AS g(x)"), {"n": 10})
        assert list(result.keys()) == ["x", "y"]
        rows = result.all()
    assert [tuple(r) for r in rows[:2]] == [(1, 2), (2, 4)]
    assert sum(r.y for r in rows) == 110


def test_engine_begin_commits(engine):
    with engine.begin() as connection:
        assert connection.execute(text("SELECT current_user")).scalar_one() == "demo"
    with engine.connect() as connection:
        with pytest.raises(sqlalchemy.exc.DataError):
            connection.execute(text("SELECT 1/0"))
        connection.rollback()
        assert connection.execute(text("SELECT 7")).scalar_one() == 7


def test_pandas_read_sql(engine):
    query = text("SELECT x, x * 2 AS y, x::float8 / 4 AS q FROM generate_series(1, 1000) AS g(x)")
    frame = pandas.read_sql(query, engine)
    assert frame.shape == (1000, 3)
    assert list(frame.columns) == ["x", "y", "q"]
    assert str(frame["x"].dtype) == "int64"
    assert int(frame["y"].sum()) == 1001000
    assert float(frame["q"].iloc[-1]) == 250.0
