"""A seeded fuzzing run: fresh random tables every so many queries, each query put through the
checks, each finding shrunk to a reproducer.

The same seed, query count and servers give the same queries, so a finding of a bounded run is
reproduced by running it again.
"""

from __future__ import annotations

import collections
import copy
import dataclasses
import random
import time
from typing import Callable

import psycopg

from . import checks, schema, shrink
from .checks import Case, Finding, Servers, Skip
from .queries import QueryGenerator, Scope
from .outcome import ask
from .sqltree import FromItem, Node, Query, Select, SetOperation, null_of, selects

SESSION_SETUP = ("SET TimeZone = 'UTC'", "SET statement_timeout = '20s'", "SET extra_float_digits = 1")


@dataclasses.dataclass
class Report:
    queries: int = 0
    counts: collections.Counter = dataclasses.field(default_factory=collections.Counter)
    findings: list[str] = dataclasses.field(default_factory=list)
    # Differences that are no finding, by reason.
    skipped: collections.Counter = dataclasses.field(default_factory=collections.Counter)
    aborted: str | None = None

    def summary(self) -> str:
        counted = ", ".join(f"{name} {count}" for name, count in sorted(self.counts.items()))
        text = f"{self.queries} queries; checks run: {counted}; {len(self.findings)} findings"
        if self.skipped:
            text += "; not counted: " + ", ".join(f"{count} {reason}" for reason, count in sorted(self.skipped.items()))
        if self.aborted:
            text += f"; stopped early: {self.aborted}"
        return text


def connect(dsn: str) -> psycopg.Connection:
    connection = psycopg.connect(dsn, autocommit=True, connect_timeout=15)
    for statement in SESSION_SETUP:
        connection.execute(statement)
    return connection


def retarget(case: Case, old_schema: str, new_schema: str) -> Case:
    """A copy of `case` reading tables of `new_schema` instead of `old_schema`."""
    moved = copy.deepcopy(case)
    old, new = f"{old_schema}.", f"{new_schema}."

    def visit_select(select):
        if isinstance(select, SetOperation):
            visit_select(select.left)
            visit_select(select.right)
            return
        for item in [select.first] + [join.right for join in select.joins]:
            if isinstance(item, FromItem):
                item.sql_text = item.sql_text.replace(old, new)
                if item.query is not None:
                    visit_select(item.query)
        for node in select.nodes():
            for part in node.walk():
                part.template = part.template.replace(old, new)

    visit_select(moved.query)
    if moved.predicate is not None:
        for part in moved.predicate.walk():
            part.template = part.template.replace(old, new)
    return moved


def row_scope(query: Select) -> Scope:
    items = [query.first] + [join.right for join in query.joins]
    return Scope([node for item in items for node in QueryGenerator.columns_of(item)])


class Fuzzer:
    def __init__(self, weir_dsn: str, postgres_dsn: str, seed: int, schema_name: str = "fuzz",
                 enabled: tuple[str, ...] = tuple(checks.CHECKS), log: Callable[[str], None] = print,
                 shrink_findings: int = 20):
        self.weir_dsn = weir_dsn
        self.rng = random.Random(seed)
        self.schema_name = schema_name
        self.enabled = enabled
        self.log = log
        self.shrink_findings = shrink_findings
        self.servers = Servers(connect(weir_dsn), connect(postgres_dsn))
        self.report = Report()
        self.tables: list[schema.Table] = []
        # Whether each constant expression met so far fails on PostgreSQL.
        self.constant_failures: dict[str, bool] = {}

    def run(self, query_count: int, seconds: float | None = None, queries_per_schema: int = 120, progress_every: int | None = None) -> Report:
        deadline = time.monotonic() + seconds if seconds else None
        try:
            while self.report.queries < query_count and not self.report.aborted:
                if deadline and time.monotonic() > deadline:
                    break
                if not self.new_tables():
                    continue
                generator = QueryGenerator(self.rng, self.tables, self.schema_name)
                for _ in range(min(queries_per_schema, query_count - self.report.queries)):
                    self.one_query(generator)
                    if progress_every and self.report.queries % progress_every == 0:
                        self.log(f"[progress] {self.report.summary()}")
                    if self.report.aborted or (deadline and time.monotonic() > deadline):
                        break
        finally:
            for connection in (self.servers.weir, self.servers.postgres):
                try:
                    connection.execute(f"DROP SCHEMA IF EXISTS {self.schema_name} CASCADE")
                    connection.execute(f"DROP SCHEMA IF EXISTS {self.schema_name}_min CASCADE")
                except psycopg.Error:
                    pass
        return self.report

    def new_tables(self) -> bool:
        """Makes fresh random tables on both servers; False (and a finding) when Weir cannot."""
        self.tables = schema.random_tables(self.rng, self.rng.randint(2, 4))
        schema.create(self.servers.postgres, self.schema_name, self.tables)
        try:
            schema.create(self.servers.weir, self.schema_name, self.tables)
            return True
        except psycopg.Error as error:
            statements = [table.create_sql(self.schema_name) for table in self.tables]
            statements += [insert for table in self.tables if (insert := table.insert_sql(self.schema_name))]
            self.report.findings.append(f"-- creating the tables failed on Weir: {error}\n" + ";\n".join(statements) + ";")
            self.log(self.report.findings[-1])
            self.reconnect_or_abort()
            if len(self.report.findings) >= 5 and all("creating the tables" in text for text in self.report.findings[-5:]):
                self.report.aborted = "Weir failed to create five table sets in a row"
            return False

    def reconnect_or_abort(self) -> None:
        try:
            self.servers.weir.close()
            self.servers.weir = connect(self.weir_dsn)
        except psycopg.Error as error:
            self.report.aborted = f"Weir is gone ({error})"

    def without_failing_constants(self, node: Node) -> Node:
        """`node` with each constant subexpression that fails on PostgreSQL made NULL.

        PostgreSQL evaluates constant subexpressions while planning and fails there even when no
        row would reach them (`SELECT 1 / 0 FROM empty_table`); Weir evaluates one only for the rows
        that reach it (docs/sql.md). The queries keep out of that difference."""
        if node.is_constant:
            if node.children:
                sql = node.sql()
                if sql not in self.constant_failures:
                    self.constant_failures[sql] = ask(self.servers.postgres, f"SELECT {sql}").sqlstate is not None
                if self.constant_failures[sql]:
                    return null_of(node.type)
            return node
        node.children = [self.without_failing_constants(child) for child in node.children]
        return node

    def sanitized(self, query: Query) -> Query:
        for select in selects(query):
            select.items = [self.without_failing_constants(item) for item in select.items]
            select.group_by = [self.without_failing_constants(key) for key in select.group_by]
            for clause in ("where", "having"):
                if getattr(select, clause) is not None:
                    setattr(select, clause, self.without_failing_constants(getattr(select, clause)))
            for join in select.joins:
                if join.condition is not None:
                    join.condition = self.without_failing_constants(join.condition)
        return query

    def one_query(self, generator: QueryGenerator) -> None:
        rng = self.rng
        query = self.sanitized(generator.query())
        self.report.queries += 1
        cases: list[tuple[str, Case]] = [("differential", Case(query))]
        if checks.partitionable(query):
            predicate = self.without_failing_constants(generator.expression("bool", row_scope(query), 3, subqueries=True))
            if rng.random() < 0.5:
                cases.append(("partitioned", Case(query, predicate)))
            else:
                cases.append(("counted", Case(query, predicate)))
        if rng.random() < 0.1:
            cases.append(("unoptimized", Case(query, rule=rng.choice(checks.OPTIMIZER_RULES))))
        for name, case in cases:
            if name not in self.enabled:
                continue
            self.report.counts[name] += 1
            finding = checks.CHECKS[name](self.servers, case)
            if isinstance(finding, Skip):
                self.report.skipped[finding.reason] += 1
            elif finding is not None:
                self.record(finding)
                return

    def record(self, finding: Finding) -> None:
        if finding.kind == "Weir lost the connection":
            self.report.findings.append(self.reproducer(finding, self.tables, self.schema_name))
            self.log(self.report.findings[-1])
            self.reconnect_or_abort()
            return
        if len(self.report.findings) < self.shrink_findings:
            finding = self.shrink(finding)
        else:
            finding_text = self.reproducer(finding, self.tables, self.schema_name)
            self.report.findings.append(finding_text)
            return
        self.log(self.report.findings[-1])

    def shrink(self, finding: Finding) -> Finding:
        check = checks.CHECKS[finding.check]
        def still_fails(case: Case) -> Finding | None:
            # A smaller query may have made a new constant that fails while PostgreSQL plans.
            self.sanitized(case.query)
            if case.predicate is not None:
                case.predicate = self.without_failing_constants(case.predicate)
            found = check(self.servers, case)
            return found if isinstance(found, Finding) else None

        smaller = shrink.shrink_query(finding, still_fails)
        scratch = f"{self.schema_name}_min"
        moved = retarget(smaller.case, self.schema_name, scratch)
        text = moved.query.sql() + " " + (moved.predicate.sql() if moved.predicate else "")
        latest: dict[str, Finding] = {}

        def fails_with(tables: list[schema.Table]) -> bool:
            for connection in (self.servers.postgres, self.servers.weir):
                schema.create(connection, scratch, tables)
            found = still_fails(moved)
            if found is not None and found.kind == smaller.kind:
                latest["finding"] = found
                return True
            return False

        tables = self.tables
        try:
            if fails_with(self.tables):
                tables = shrink.shrink_rows(self.tables, text, fails_with)
                fails_with(tables)
                smaller = latest["finding"]
            else:
                scratch = self.schema_name
        except psycopg.Error:
            scratch = self.schema_name
        self.report.findings.append(self.reproducer(smaller, tables, scratch))
        return smaller

    @staticmethod
    def reproducer(finding: Finding, tables: list[schema.Table], schema_name: str) -> str:
        lines = [f"-- {finding.check}: {finding.kind}", f"CREATE SCHEMA {schema_name};"]
        for table in tables:
            lines.append(table.create_sql(schema_name) + ";")
            insert = table.insert_sql(schema_name)
            if insert:
                lines.append(insert + ";")
        lines.append(finding.report())
        return "\n".join(lines)
