"""The comparisons a run makes on each generated query.

- `differential`: the query on Weir and on PostgreSQL; the answers must agree (`outcome`).
- `partitioned`: ternary logic partitioning (SQLancer's TLP), on Weir alone: a query's rows are
  exactly those of the same query filtered by `p`, by `NOT p` and by `p IS NULL`, together.
- `counted`: a filter against its own evaluation (SQLancer's NoREC), on Weir alone: the rows
  `WHERE p` keeps number `count(*) FILTER (WHERE p IS TRUE)` of the unfiltered rows, a count
  no optimizer rule can rewrite the filter of.
- `unoptimized`: the query with each optimizer rule switched off (`weir.optimizer_disabled_rules`)
  must answer as it does with all of them.

Each returns None or a `Finding`, whose `case` the shrinker can reduce and `reproduce` again.
"""

from __future__ import annotations

import copy
import dataclasses
from typing import Callable

import psycopg

from .outcome import Answer, ask, disagreement, known_gap, same_multiset
from .sqltree import Node, Select, SetOperation

OPTIMIZER_RULES = ("FoldConstants", "NarrowComparisons", "PushDownFilters", "ReorderJoins", "PruneColumns")


@dataclasses.dataclass
class Case:
    """What a check ran: a query and, for the metamorphic checks, the predicate that split it."""

    query: Select | SetOperation
    predicate: Node | None = None
    # The rule switched off, for `unoptimized`.
    rule: str | None = None


@dataclasses.dataclass
class Finding:
    check: str
    kind: str
    case: Case
    statements: list[str]
    answers: list[tuple[str, Answer]]

    def report(self) -> str:
        lines = [f"{self.check}: {self.kind}"]
        for statement in self.statements:
            lines.append(f"  {statement};")
        for name, answer in self.answers:
            lines.append(f"-- {name}: " + answer.describe().replace("\n", "\n--   "))
        return "\n".join(lines)


@dataclasses.dataclass
class Skip:
    """A difference that is no finding, and why (the run counts them by reason)."""

    reason: str


@dataclasses.dataclass
class Servers:
    weir: psycopg.Connection
    postgres: psycopg.Connection


def differential(servers: Servers, case: Case) -> Finding | Skip | None:
    sql = case.query.sql()
    expected = ask(servers.postgres, sql)
    if expected.timed_out:
        return None
    actual = ask(servers.weir, sql)
    if actual.timed_out:
        return None
    kind = disagreement(expected, actual, ordered=case.query.ordered)
    if kind is None:
        return None
    if reason := known_gap(expected, actual, sql, case.query.ordered):
        return Skip(f"known gap: {reason}")
    if expected.sqlstate and not actual.sqlstate and ask(servers.postgres, f"EXPLAIN {sql}").sqlstate == expected.sqlstate:
        # PostgreSQL failed while planning: it folded a constant that no row needed (docs/sql.md).
        return Skip("PostgreSQL failed while planning")
    if data_error_on_one_side(expected, actual) and not evaluates_as_postgres_does(case.query):
        return Skip("data error on one side, rows reached by the plan's choice")
    return Finding("differential", kind, case, [sql], [("PostgreSQL", expected), ("Weir", actual)])


def is_subquery(node: Node) -> bool:
    return node.reads_rows and "SELECT" in node.template


def evaluates_as_postgres_does(query) -> bool:
    """True for queries where PostgreSQL and Weir must compute every expression on the same rows:
    one table, no joins, subqueries, derived tables, LIMIT, min() or max() (which PostgreSQL may
    answer from the first row that passes, as a LIMIT 1). Elsewhere which rows reach an expression is
    the plan's choice (PostgreSQL filters a table before a join finds the other side empty, never
    computes a derived table's unused columns, runs a subquery only when asked; Weir computes an
    uncorrelated subquery first and a correlated one as a join), so a data error (22xxx) on one side
    only is no finding there."""
    if not isinstance(query, Select) or query.joins or query.first is None or query.first.query is not None:
        return False
    if query.limit is not None or query.offset is not None:
        return False
    parts = [part for node in query.nodes() for part in node.walk()]
    # PostgreSQL answers min() and max() alone from the first row an index-like scan finds (LIMIT 1).
    if any(part.aggregate and part.template.startswith(("min(", "max(")) for part in parts):
        return False
    return not any(is_subquery(part) for part in parts)


def data_error_on_one_side(expected: Answer, actual: Answer) -> bool:
    errors = [answer.sqlstate for answer in (expected, actual) if answer.sqlstate]
    return len(errors) == 1 and errors[0].startswith("22")


def partitionable(query) -> bool:
    """Queries whose rows TLP can split: no grouping, aggregates, windows, DISTINCT or LIMIT."""
    return (
        isinstance(query, Select)
        and not query.group_by
        and query.having is None
        and not query.distinct
        and query.limit is None
        and query.offset is None
        and not any(node.contains_aggregate() or node.contains_window() for node in query.items)
    )


def _filtered(query: Select, condition: Node | None) -> Select:
    filtered = copy.deepcopy(query)
    filtered.order_by = []
    if condition is not None:
        filtered.where = condition if query.where is None else Node("({0} AND {1})", "bool", [copy.deepcopy(query.where), condition])
    return filtered


def partitioned(servers: Servers, case: Case) -> Finding | None:
    query, predicate = case.query, case.predicate
    whole = _filtered(query, None).sql()
    parts = [
        _filtered(query, copy.deepcopy(predicate)).sql(),
        _filtered(query, Node("(NOT {0})", "bool", [copy.deepcopy(predicate)])).sql(),
        _filtered(query, Node("(({0}) IS NULL)", "bool", [copy.deepcopy(predicate)])).sql(),
    ]
    union = " UNION ALL ".join(f"({part})" for part in parts)
    whole_answer = ask(servers.weir, whole)
    union_answer = ask(servers.weir, union)
    if whole_answer.lost or union_answer.lost:
        return Finding("partitioned", "Weir lost the connection", case, [whole, union], [("whole", whole_answer), ("partitions", union_answer)])
    if whole_answer.sqlstate or union_answer.sqlstate:
        return None
    if same_multiset(whole_answer, union_answer):
        return None
    return Finding("partitioned", "the partitions by p, NOT p and p IS NULL do not add up to the query", case,
                   [whole, union], [("whole", whole_answer), ("partitions", union_answer)])


def counted(servers: Servers, case: Case) -> Finding | None:
    query, predicate = case.query, case.predicate
    base = _filtered(query, None)
    base.items = [Node("count(*)", "int8", aggregate=True)]
    base.distinct = False
    filtered = copy.deepcopy(base)
    filtered.where = copy.deepcopy(predicate) if base.where is None else Node("({0} AND {1})", "bool", [copy.deepcopy(base.where), copy.deepcopy(predicate)])
    unfiltered = copy.deepcopy(base)
    unfiltered.items = [Node("count(*) FILTER (WHERE ({0}) IS TRUE)", "int8", [copy.deepcopy(predicate)], aggregate=True)]
    first, second = filtered.sql(), unfiltered.sql()
    a, b = ask(servers.weir, first), ask(servers.weir, second)
    if a.lost or b.lost:
        return Finding("counted", "Weir lost the connection", case, [first, second], [("filtered", a), ("counted", b)])
    if a.sqlstate or b.sqlstate or a.rows == b.rows:
        return None
    return Finding("counted", "WHERE p keeps a different number of rows than count(*) FILTER (WHERE p IS TRUE)", case,
                   [first, second], [("filtered", a), ("counted", b)])


def unoptimized(servers: Servers, case: Case) -> Finding | Skip | None:
    sql = case.query.sql()
    optimized = ask(servers.weir, sql)
    if optimized.sqlstate or optimized.lost:
        return None
    statements = [f"SET weir.optimizer_disabled_rules = '{case.rule}'", sql, "RESET weir.optimizer_disabled_rules"]
    ask(servers.weir, statements[0])
    try:
        plain = ask(servers.weir, sql)
    finally:
        ask(servers.weir, statements[2])
    kind = disagreement(optimized, plain, ordered=case.query.ordered)
    if kind is None or plain.timed_out:
        return None
    if data_error_on_one_side(optimized, plain):
        # A rule may spare rows an expression (a pruned column, a filter pushed below a join).
        return Skip("data error only without a rule")
    return Finding("unoptimized", f"without {case.rule}: {kind}", case, statements, [("with every rule", optimized), (f"without {case.rule}", plain)])


CHECKS: dict[str, Callable[[Servers, Case], Finding | Skip | None]] = {
    "differential": differential,
    "partitioned": partitioned,
    "counted": counted,
    "unoptimized": unoptimized,
}
