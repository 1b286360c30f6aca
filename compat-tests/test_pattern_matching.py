"""LIKE/ILIKE, SIMILAR TO, POSIX regular expressions and the regexp functions.

Every expected value is what PostgreSQL 15 returns; each case runs against both servers.
"""

import psycopg
import pytest

CASES = [
    ("'hello' LIKE 'h%'", True),
    ("'hello' LIKE '%llo'", True),
    ("'hello' LIKE '%ll%'", True),
    ("'hello' LIKE 'hello'", True),
    ("'hello' LIKE 'h_llo'", True),
    ("'hello' LIKE 'h%l_o'", True),
    ("'hello' LIKE 'H%'", False),
    ("'hello' NOT LIKE 'x%'", True),
    ("'héllo' LIKE 'h_llo'", True),
    ("'héllo' LIKE '%é%'", True),
    ("'HeLLo' ILIKE 'hel%'", True),
    ("'HeLLo' NOT ILIKE '%LX%'", True),
    ("'ÉCOLE' ILIKE 'éc%'", True),
    ("'hello' ~~ 'he%'", True),
    ("'hello' !~~ 'he%'", False),
    ("'hello' ~~* 'HE%'", True),
    ("'hello' !~~* 'HE%'", False),
    ("'100%' LIKE '100\\%'", True),
    ("'100x' LIKE '100\\%'", False),
    ("'a_b' LIKE 'a#_b' ESCAPE '#'", True),
    ("'axb' LIKE 'a#_b' ESCAPE '#'", False),
    ("'a\\b' LIKE 'a\\b' ESCAPE ''", True),
    ("'' LIKE ''", True),
    ("'' LIKE '%'", True),
    ("'abc' LIKE ''", False),
    ("NULL::text LIKE 'a%'", None),
    ("'abc' LIKE NULL", None),
    ("'abcabc' LIKE '%abc%abc'", True),
    ("'aaa' LIKE 'a%a%a'", True),
    ("'ab' LIKE 'a%a%b'", False),
    ("'abc' SIMILAR TO 'abc'", True),
    ("'abc' SIMILAR TO 'a'", False),
    ("'abc' SIMILAR TO '%(b|d)%'", True),
    ("'abc' SIMILAR TO '(a|b)c'", False),
    ("'abd' SIMILAR TO 'a[b-d]+'", True),
    ("'a.c' SIMILAR TO 'a.c'", True),
    ("'abc' SIMILAR TO 'a.c'", False),
    ("'abc' NOT SIMILAR TO '_b_'", False),
    ("'aXc' SIMILAR TO 'a#_c' ESCAPE '#'", False),
    ("'a_c' SIMILAR TO 'a#_c' ESCAPE '#'", True),
    ("'foobar' ~ 'o+b'", True),
    ("'foobar' ~ '^o'", False),
    ("'foobar' ~* 'FOO'", True),
    ("'foobar' !~ 'x'", True),
    ("'foobar' !~* 'BAR$'", False),
    ("'abc' ~ 'c$'", True),
    ("'word boundary' ~ '\\mbound'", True),
    ("'word boundary' ~ '\\ybou'", True),
    ("'a1b2' ~ '[[:digit:]]b'", True),
    ("'a[b' ~ '[[]'", True),
    ("regexp_replace('foobarbaz', 'b..', 'X')", 'fooXbaz'),
    ("regexp_replace('foobarbaz', 'b..', 'X', 'g')", 'fooXX'),
    ("regexp_replace('Hello World', '(\\w+) (\\w+)', '\\2 \\1')", 'World Hello'),
    ("regexp_replace('abc', 'B', 'x', 'gi')", 'axc'),
    ("regexp_replace('abc', '(b)', '[\\&\\1\\\\]')", 'a[bb\\]c'),
    ("regexp_replace('aaa', 'a', '$', 'g')", '$$$'),
    ("regexp_replace(NULL, 'a', 'b')", None),
    ("regexp_match('foobarbequebaz', '(bar)(beque)')", ['bar', 'beque']),
    ("regexp_match('foobar', 'ba.')", ['bar']),
    ("regexp_match('foobar', 'x')", None),
    ("substring('foobar' from 'o.b')", 'oob'),
    ("substring('foobar' from 'o(.)b')", 'o'),
    ("substring('foobar' from 'x')", None),
    ('substring(\'foobar\' similar \'%#"o_b#"%\' escape \'#\')', 'oob'),
    ("substring('Thomas' from '...$')", 'mas'),
    ("'a' LIKE 'a\\'", False),
    ("'a' LIKE 'ab' ESCAPE 'b'", False),
    ("like_escape('a%', '')", 'a%'),
    ("'a%' LIKE 'a%' ESCAPE ''", True),
    ("'abc' SIMILAR TO 'abc#' ESCAPE '#'", True),
    ("'abc' SIMILAR TO 'a\\bc'", False),
    ("E'line1\\nline2' ~ 'line1.line2'", True),
    ("E'ab\\n' ~ 'b$'", False),
    ("'ab' ~ 'a|ab'", True),
    ("'ÉCOLE' ~* 'éc'", True),
]


@pytest.mark.parametrize(("expression", "expected"), CASES)
def test_constant_pattern(conn, expression, expected):
    assert conn.execute("SELECT " + expression).fetchone()[0] == expected


ERRORS = [
    ("'a' ~ '('", "2201B"),
    ("'a' ~ '[z-a]'", "2201B"),
    ("'ab' LIKE 'a\\'", "22025"),
    ("'a' LIKE 'a' ESCAPE 'xy'", "22025"),
    ("'a' SIMILAR TO 'a' ESCAPE 'xy'", "22025"),
    ("regexp_replace('a', 'a', 'b', 'z')", "22023"),
    ("regexp_match('a', 'a', 'g')", "22023"),
    ("1 LIKE '1'", "42883"),
    ("'abc' SIMILAR TO 'a#\"b#\"c#\"' ESCAPE '#'", "2200C"),
]


@pytest.mark.parametrize(("expression", "sqlstate"), ERRORS)
def test_pattern_errors(conn, expression, sqlstate):
    with pytest.raises(psycopg.Error) as failure:
        conn.execute("SELECT " + expression)
    assert failure.value.sqlstate == sqlstate


def test_like_over_a_column(conn):
    rows = conn.execute(
        "SELECT x::text LIKE '1%', x::text NOT LIKE '%1', x::text ILIKE '_0' FROM generate_series(1, 12) AS g(x)"
    ).fetchall()
    assert [row[0] for row in rows] == [True] + [False] * 8 + [True, True, True]
    assert [row[1] for row in rows] == [False] + [True] * 9 + [False, True]
    assert [row[2] for row in rows] == [False] * 9 + [True, False, False]


def test_patterns_that_vary_per_row(conn):
    rows = conn.execute(
        "SELECT ('a' || x::text) LIKE ('%' || (x % 3)::text), 'x' || x::text ~ ('^x[' || x::text || ']$'), "
        "regexp_replace('abcabc', chr(96 + x), 'Z', 'g') FROM generate_series(1, 4) AS g(x)"
    ).fetchall()
    assert rows == [(True, True, "ZbcZbc"), (True, True, "aZcaZc"), (False, True, "abZabZ"), (False, True, "abcabc")]


def test_like_filter(conn):
    rows = conn.execute("SELECT x FROM generate_series(1, 300) AS g(x) WHERE x::text LIKE '%5%'").fetchall()
    assert [row[0] for row in rows] == [x for x in range(1, 301) if "5" in str(x)]
