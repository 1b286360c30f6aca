"""SQLAlchemy 2 text() queries (psycopg 3 dialect) and pandas.read_sql.

On its first connection the dialect runs, inside BEGIN ... ROLLBACK:
`select pg_catalog.version()`, `select current_schema()`,
`show transaction isolation level` and `show standard_conforming_strings`.
With hstore support on (the default) it would also SAVEPOINT and look up the
hstore type in pg_type; that is catalog introspection, so it is switched off.
"""

import pandas
import psycopg
import pytest
import sqlalchemy
from sqlalchemy import text
from sqlalchemy.pool import NullPool


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
