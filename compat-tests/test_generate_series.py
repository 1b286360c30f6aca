"""A 100,000-row result, fetched whole, through a server-side cursor and streamed."""

SERIES = "SELECT x FROM generate_series(1, 100000) AS g(x)"
COUNT, TOTAL = 100000, 100000 * 100001 // 2


def test_fetch_all(conn):
    rows = conn.execute(SERIES).fetchall()
    assert len(rows) == COUNT
    assert rows[0] == (1,) and rows[-1] == (COUNT,)
    assert sum(x for (x,) in rows) == TOTAL


def test_fetch_all_binary(conn):
    cur = conn.cursor(binary=True)
    rows = cur.execute(SERIES).fetchall()
    assert cur.statusmessage == f"SELECT {COUNT}"
    assert sum(x for (x,) in rows) == TOTAL


def test_fetchmany_in_batches(conn):
    cur = conn.execute(SERIES)
    count = total = 0
    while batch := cur.fetchmany(7000):
        count += len(batch)
        total += sum(x for (x,) in batch)
    assert (count, total) == (COUNT, TOTAL)


def test_server_side_cursor(server):
    # DECLARE ... CURSOR inside a transaction, then FETCH FORWARD itersize at a time.
    with server.connect(autocommit=False) as connection:
        with connection.cursor(name="series") as cur:
            cur.itersize = 5000
            cur.execute(SERIES)
            count = total = 0
            for (x,) in cur:
                count += 1
                total += x
        connection.commit()
    assert (count, total) == (COUNT, TOTAL)


def test_server_side_cursor_fetchmany_and_scroll_forward(server):
    with server.connect(autocommit=False) as connection:
        with connection.cursor(name="series_many") as cur:
            cur.execute(SERIES)
            assert cur.fetchmany(3) == [(1,), (2,), (3,)]
            assert cur.fetchone() == (4,)
            rest = cur.fetchall()
            assert len(rest) == COUNT - 4 and rest[-1] == (COUNT,)
        connection.rollback()


def test_stream(conn):
    count = total = 0
    for (x,) in conn.cursor().stream(SERIES):
        count += 1
        total += x
    assert (count, total) == (COUNT, TOTAL)
