#!/usr/bin/env python3
"""Reads, runs and completes sqllogictest files (`Tests/sql/*.slt`) over a PostgreSQL connection.

The format is the subset of the DuckDB / sqllogictest-rs dialect that Weir's files use:

    # a comment (only between records)

    statement ok
    SET TimeZone = 'UTC'

    statement error 22012
    SELECT 1 / 0

    skipif weir
    query IT rowsort
    SELECT n, s FROM (VALUES (1, 'a'), (2, NULL), (3, '')) AS t(n, s)
    ----
    1 a
    2 NULL
    3 (empty)

    halt

A record is the lines up to the next blank line. `statement ok` must succeed; `statement error
SQLSTATE` must fail with that five-character SQLSTATE, and `statement error SQLSTATE message` also
with that primary message (the rest of the line, exactly). `query TYPES [SORT]` must return one column
per letter of TYPES, each of the class its letter names:

    I  integer: smallint, integer, bigint, oid
    R  real: real, double precision, numeric
    B  boolean
    D  date and time: date, time, timetz, timestamp, timestamptz, interval
    T  any other type: text, varchar, char, name, bytea, uuid, json, arrays, records ...

and rows equal to the lines after `----`, each value as PostgreSQL's text output (what psql
prints), values separated by one space, NULL as `NULL`, the empty string as `(empty)`. Trailing
spaces of a line do not count. SORT is `nosort` (the default: the query orders its rows), `rowsort`
(rows compared as sorted lines) or `valuesort` (all values compared as one sorted list).
`skipif SERVER` / `onlyif SERVER` lines before a record (SERVER is `postgres` or `weir`) skip it
on, or run it only on, that server. `halt` ends the file. Anything else is a parse error.

Completion writes PostgreSQL's rows into each query's expected block and keeps every other line:

    python3 compat-tests/sqllogictest.py --complete Tests/sql/select.slt --dsn "$PG_DSN"

`--fix-types` also rewrites a query's type letters to the ones its columns have. Read what it
wrote before committing it: completed rows are the expectation only once a person has checked them.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import re
import sys
from pathlib import Path

import psycopg

SERVERS = ("postgres", "weir")
SORT_MODES = ("nosort", "rowsort", "valuesort")
SQLSTATE = re.compile(r"[0-9A-Z]{5}")
TYPE_LETTERS = re.compile(r"[IRBDT]+")

# PostgreSQL type OIDs by the letter that names their class; every other type is T.
TYPE_CLASSES = {
    "I": {20, 21, 23, 26},
    "R": {700, 701, 1700},
    "B": {16},
    "D": {1082, 1083, 1114, 1184, 1186, 1266},
}


def type_letter(oid: int) -> str:
    for letter, oids in TYPE_CLASSES.items():
        if oid in oids:
            return letter
    return "T"


class ParseError(Exception):
    """A line of a .slt file that is not in the format; names the file and line."""


@dataclasses.dataclass
class Record:
    path: Path
    line: int  # 1-based line of the record's first line (its first condition, if any)
    sql: str
    skip_on: set[str]
    only_on: set[str]

    def runs_on(self, server: str) -> bool:
        return server not in self.skip_on and (not self.only_on or server in self.only_on)

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


@dataclasses.dataclass
class Statement(Record):
    error: str | None  # the SQLSTATE it must fail with, or None for `statement ok`
    message: str | None = None  # the primary message it must fail with, when the header gives one


@dataclasses.dataclass
class Query(Record):
    types: str
    sort: str
    expected: list[str]
    header_index: int  # 0-based index of the `query` line in the file
    rows_span: tuple[int, int]  # 0-based [start, end) of the expected rows, or of where they go
    has_separator: bool  # whether the record has its `----` line


@dataclasses.dataclass
class Script:
    path: Path
    lines: list[str]
    records: list[Record]


def parse(path: Path, shown_as: Path | None = None) -> Script:
    """The records of the file at `path`, which messages name `shown_as` (default `path`)."""
    lines = path.read_text().split("\n")
    path = shown_as or path
    if lines and lines[-1] == "":
        lines.pop()
    records: list[Record] = []
    index = 0

    def fail(at: int, message: str):
        raise ParseError(f"{path}:{at + 1}: {message}: {lines[at]!r}")

    while index < len(lines):
        text = lines[index]
        if text.strip() == "" or text.startswith("#"):
            index += 1
            continue
        start = index
        skip_on: set[str] = set()
        only_on: set[str] = set()
        while lines[index].split()[0] in ("skipif", "onlyif"):
            words = lines[index].split()
            if len(words) != 2 or words[1] not in SERVERS:
                fail(index, f"expected `{words[0]} SERVER` with SERVER one of {', '.join(SERVERS)}")
            (skip_on if words[0] == "skipif" else only_on).add(words[1])
            index += 1
            if index == len(lines) or lines[index].strip() == "":
                fail(index - 1, "a condition must be followed by a record")
        header = lines[index].split()
        header_index = index
        if header == ["halt"]:
            if skip_on or only_on:
                fail(header_index, "`halt` takes no conditions")
            break
        body_start = index + 1
        end = body_start
        while end < len(lines) and lines[end].strip() != "":
            end += 1
        body = lines[body_start:end]
        if header[0] == "statement":
            message = None
            if header[1:] == ["ok"]:
                error = None
            elif len(header) >= 3 and header[1] == "error" and SQLSTATE.fullmatch(header[2]):
                error = header[2]
                if len(header) > 3:
                    message = lines[header_index].split(None, 3)[3].rstrip()
            else:
                fail(header_index, "expected `statement ok` or `statement error SQLSTATE [message]`")
            if "----" in body:
                fail(body_start + body.index("----"), "a statement has no result block")
            sql = "\n".join(body)
            record = Statement(path, start + 1, sql, skip_on, only_on, error, message)
        elif header[0] == "query":
            if not 2 <= len(header) <= 3 or not TYPE_LETTERS.fullmatch(header[1]):
                fail(header_index, "expected `query TYPES [nosort|rowsort|valuesort]`, TYPES letters of IRBDT")
            sort = header[2] if len(header) == 3 else "nosort"
            if sort not in SORT_MODES:
                fail(header_index, f"unknown sort mode {sort!r}")
            if "----" in body:
                separator = body.index("----")
                sql_lines, expected = body[:separator], body[separator + 1 :]
                rows_span = (body_start + separator + 1, end)
            else:
                sql_lines, expected = body, []
                rows_span = (end, end)
            sql = "\n".join(sql_lines)
            if "----" in expected:
                fail(rows_span[0] + expected.index("----"), "a query has one `----` line")
            expected = [line.rstrip() for line in expected]
            record = Query(
                path, start + 1, sql, skip_on, only_on, header[1], sort, expected, header_index, rows_span, "----" in body
            )
        else:
            fail(header_index, "expected `statement`, `query`, `skipif`, `onlyif`, `halt` or a # comment")
        if sql.strip() == "":
            fail(header_index, "the record has no SQL")
        records.append(record)
        index = end
    return Script(path, lines, records)


@dataclasses.dataclass
class Outcome:
    """What one statement did: its error, or its column types and rows as text (None is NULL)."""

    error: psycopg.Error | None = None
    column_oids: list[int] | None = None
    rows: list[list[str | None]] | None = None


def execute(connection: psycopg.Connection, sql: str) -> Outcome:
    """Runs `sql` with the simple query protocol, so every value arrives in PostgreSQL's text
    format, and keeps the bytes of each value as they came."""
    try:
        cursor = connection.execute(sql)
    except psycopg.Error as error:
        return Outcome(error=error)
    result = cursor.pgresult
    if cursor.description is None or result is None:
        return Outcome()
    oids = [column.type_code for column in cursor.description]
    rows = []
    for row in range(result.ntuples):
        values = []
        for column in range(result.nfields):
            value = result.get_value(row, column)
            values.append(None if value is None else bytes(value).decode("utf-8"))
        rows.append(values)
    return Outcome(column_oids=oids, rows=rows)


def row_line(values: list[str | None]) -> str:
    return " ".join("NULL" if value is None else "(empty)" if value == "" else value for value in values).rstrip()


def comparable(lines: list[str], sort: str) -> list[str]:
    if sort == "rowsort":
        return sorted(lines)
    if sort == "valuesort":
        return sorted(value for line in lines for value in line.split(" "))
    return lines


def error_text(error: psycopg.Error) -> str:
    return f"{error.sqlstate}: {error.diag.message_primary or error}"


def check(record: Record, outcome: Outcome, server: str) -> str | None:
    """None when `outcome` is what `record` expects, else a message that shows the difference."""
    where = f"{record.where}: "
    sql = "\n".join("    " + line for line in record.sql.split("\n"))
    if isinstance(record, Statement):
        if record.error is None and outcome.error is not None:
            return f"{where}statement failed on {server}, expected success\n{sql}\n  error {error_text(outcome.error)}"
        if record.error is not None and outcome.error is None:
            return f"{where}statement succeeded on {server}, expected error {record.error}\n{sql}"
        if record.error is not None and outcome.error.sqlstate != record.error:
            return f"{where}statement failed on {server} with {error_text(outcome.error)}, expected {record.error}\n{sql}"
        if record.message is not None and outcome.error.diag.message_primary != record.message:
            return (
                f"{where}statement failed on {server} with {error_text(outcome.error)}, "
                f"expected the message {record.message!r}\n{sql}"
            )
        return None
    assert isinstance(record, Query)
    if outcome.error is not None:
        return f"{where}query failed on {server}\n{sql}\n  error {error_text(outcome.error)}"
    if outcome.rows is None:
        return f"{where}query returned no result set on {server}\n{sql}"
    actual_types = "".join(type_letter(oid) for oid in outcome.column_oids)
    if actual_types != record.types:
        return (
            f"{where}column types differ on {server}: expected {record.types}, got {actual_types} "
            f"(type OIDs {outcome.column_oids})\n{sql}"
        )
    actual = comparable([row_line(row) for row in outcome.rows], record.sort)
    expected = comparable(record.expected, record.sort)
    if actual == expected:
        return None
    diff = difflib.unified_diff(expected, actual, "expected", f"actual ({server})", lineterm="", n=2)
    return f"{where}query results differ on {server}\n{sql}\n" + "\n".join(diff)


def run(script: Script, connection: psycopg.Connection, server: str) -> list[str]:
    """Runs every record of `script` meant for `server` in order on `connection` and returns a
    message for each that did not do what the file expects."""
    failures = []
    for record in script.records:
        if not record.runs_on(server):
            continue
        failure = check(record, execute(connection, record.sql), server)
        if failure is not None:
            failures.append(failure)
    return failures


def complete(script: Script, connection: psycopg.Connection, fix_types: bool) -> tuple[str, list[str]]:
    """The text of `script` with each query's expected rows replaced by what `connection`
    returns, and a message for each record that could not be completed or did not behave."""
    edits: list[tuple[int, int, list[str]]] = []  # [start, end) of script.lines and what replaces them
    problems = []
    for record in script.records:
        if not record.runs_on("postgres"):
            continue
        outcome = execute(connection, record.sql)
        if isinstance(record, Statement) or outcome.error is not None or outcome.rows is None:
            problem = check(record, outcome, "postgres")
            if problem:
                problems.append(problem)
            continue
        assert isinstance(record, Query)
        actual_types = "".join(type_letter(oid) for oid in outcome.column_oids)
        if actual_types != record.types:
            if not fix_types:
                problems.append(f"{record.where}: the columns are {actual_types}, the header says {record.types}")
                continue
            header = script.lines[record.header_index].split()
            header[1] = actual_types
            edits.append((record.header_index, record.header_index + 1, [" ".join(header)]))
        if any(value is not None and "\n" in value for row in outcome.rows for value in row):
            problems.append(f"{record.where}: a value has a line break, which a row line cannot hold")
            continue
        rows = [row_line(row) for row in outcome.rows]
        if record.sort != "nosort":
            rows.sort()
        start, end = record.rows_span
        if not record.has_separator:
            rows = ["----"] + rows
        edits.append((start, end, rows))
    output = []
    copied = 0
    for start, end, replacement in sorted(edits, key=lambda edit: edit[0]):
        output.extend(script.lines[copied:start])
        output.extend(replacement)
        copied = end
    output.extend(script.lines[copied:])
    return "\n".join(output) + "\n", problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--complete", action="store_true", help="rewrite expected rows with PostgreSQL's")
    parser.add_argument("--fix-types", action="store_true", help="with --complete, also rewrite type letters")
    parser.add_argument("--dsn", required=True, help="libpq connection string of the server to run on")
    parser.add_argument("--server", default="postgres", choices=SERVERS, help="whose skipif/onlyif apply (check mode)")
    arguments = parser.parse_args()
    status = 0
    for path in arguments.files:
        script = parse(path)
        with psycopg.connect(arguments.dsn, autocommit=True) as connection:
            if arguments.complete:
                text, problems = complete(script, connection, arguments.fix_types)
                path.write_text(text)
            else:
                problems = run(script, connection, arguments.server)
        for problem in problems:
            print(problem, end="\n\n")
        print(f"{path}: {len(script.records)} records, {len(problems)} problems")
        status |= bool(problems)
    sys.exit(status)


if __name__ == "__main__":
    main()
