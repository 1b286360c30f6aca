"""The tree queries are made of: nodes that render as SQL and that the shrinker can replace.

An expression is a `Node`: a template with `{0}`, `{1}` ... holes for its children, and the
PostgreSQL type it has (`int4`, `numeric`, `text`, `bool` ...). A query is a `Select` (or a
`SetOperation` of two), whose clauses hold nodes. Types are tracked so that every generated query
is well typed on PostgreSQL; a query both servers reject is simply not a finding.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Iterator

# Types the generator works with, by family: values of one family compare with each other.
NUMERIC_TYPES = ("int2", "int4", "int8", "numeric", "float4", "float8")
FAMILIES = {
    **{name: "number" for name in NUMERIC_TYPES},
    "text": "text",
    "bool": "bool",
    "date": "time",
    "timestamp": "time",
    "timestamptz": "timestamptz",
}


def family(type_name: str) -> str:
    return FAMILIES[type_name]


# What `a + b` (and -, *) gives in PostgreSQL for two number types.
_RANK = {"int2": 0, "int4": 1, "int8": 2, "numeric": 3, "float4": 4, "float8": 5}


def arithmetic_type(left: str, right: str) -> str:
    if {left, right} == {"numeric", "float4"}:
        return "float8"
    return max(left, right, key=_RANK.__getitem__)


@dataclasses.dataclass(eq=False)
class Node:
    """One expression: `template` with a hole `{i}` per child, of PostgreSQL type `type`.

    `aggregate` marks an aggregate call, `window` a window function call, `reads_rows` a column
    reference or a subquery: a node with none of the three below it is a constant expression."""

    template: str
    type: str
    children: list[Node] = dataclasses.field(default_factory=list)
    aggregate: bool = False
    window: bool = False
    reads_rows: bool = False

    def sql(self) -> str:
        if not self.children:
            return self.template
        return _HOLE.sub(lambda match: self.children[int(match.group(1))].sql(), self.template)

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()

    def contains_aggregate(self) -> bool:
        return any(node.aggregate for node in self.walk())

    def contains_window(self) -> bool:
        return any(node.window for node in self.walk())

    @property
    def is_constant(self) -> bool:
        return not any(node.aggregate or node.window or node.reads_rows for node in self.walk())


_HOLE = re.compile(r"\{(\d+)\}")


def leaf(text: str, type_name: str) -> Node:
    """A node without children: its template is its SQL as it stands."""
    return Node(text, type_name)


def null_of(type_name: str) -> Node:
    return Node(f"NULL::{type_name}", type_name)


@dataclasses.dataclass(eq=False)
class FromItem:
    """A relation in FROM: a table, or a derived table, under an alias, with its columns' types."""

    sql_text: str
    alias: str
    columns: list[tuple[str, str]]
    query: Query | None = None

    def sql(self) -> str:
        if self.query is not None:
            names = ", ".join(name for name, _ in self.columns)
            return f"({self.query.sql()}) AS {self.alias}({names})"
        return f"{self.sql_text} AS {self.alias}"


@dataclasses.dataclass(eq=False)
class Join:
    """`left KIND JOIN right ON condition` (CROSS JOIN has no condition)."""

    kind: str
    right: FromItem
    condition: Node | None


@dataclasses.dataclass(eq=False)
class Select:
    items: list[Node]
    first: FromItem | None
    joins: list[Join] = dataclasses.field(default_factory=list)
    where: Node | None = None
    group_by: list[Node] = dataclasses.field(default_factory=list)
    having: Node | None = None
    distinct: bool = False
    # ORDER BY as output positions (1-based) with direction, and whether they order every column.
    order_by: list[str] = dataclasses.field(default_factory=list)
    limit: int | None = None
    offset: int | None = None

    @property
    def types(self) -> list[str]:
        return [item.type for item in self.items]

    @property
    def ordered(self) -> bool:
        """True when the rows come in one defined order: ORDER BY every output column, none of them
        a float or numeric (whose equal values may print apart: -0 and 0, 1.0 and 1.00)."""
        positions = {int(key.split()[0]) for key in self.order_by}
        return bool(self.order_by) and positions >= set(range(1, len(self.items) + 1)) and totally_ordered(self.types)

    def sql(self) -> str:
        parts = ["SELECT"]
        if self.distinct:
            parts.append("DISTINCT")
        parts.append(", ".join(f"{item.sql()} AS o{index}" for index, item in enumerate(self.items)))
        if self.first is not None:
            source = self.first.sql()
            for join in self.joins:
                if join.kind == "CROSS":
                    source += f" CROSS JOIN {join.right.sql()}"
                else:
                    source += f" {join.kind} JOIN {join.right.sql()} ON {join.condition.sql()}"
            parts.append("FROM " + source)
        if self.where is not None:
            parts.append("WHERE " + self.where.sql())
        if self.group_by:
            parts.append("GROUP BY " + ", ".join(key.sql() for key in self.group_by))
        if self.having is not None:
            parts.append("HAVING " + self.having.sql())
        if self.order_by:
            parts.append("ORDER BY " + ", ".join(self.order_by))
        if self.limit is not None:
            parts.append(f"LIMIT {self.limit}")
        if self.offset is not None:
            parts.append(f"OFFSET {self.offset}")
        return " ".join(parts)

    def nodes(self) -> Iterator[Node]:
        """Every expression root of this query level (not of nested queries)."""
        yield from self.items
        for join in self.joins:
            if join.condition is not None:
                yield join.condition
        for clause in (self.where, self.having):
            if clause is not None:
                yield clause
        yield from self.group_by


def totally_ordered(types: list[str]) -> bool:
    """True when rows of these column types that sort as equal also print alike."""
    return not any(kind in ("float4", "float8", "numeric") for kind in types)


@dataclasses.dataclass(eq=False)
class SetOperation:
    """`left OP [ALL] right`, optionally ordered by every column."""

    operator: str
    all: bool
    left: Select
    right: Select
    order_by: list[str] = dataclasses.field(default_factory=list)

    @property
    def types(self) -> list[str]:
        return self.left.types

    @property
    def ordered(self) -> bool:
        return bool(self.order_by) and totally_ordered(self.types)

    def sql(self) -> str:
        text = f"({self.left.sql()}) {self.operator}{' ALL' if self.all else ''} ({self.right.sql()})"
        if self.order_by:
            text += " ORDER BY " + ", ".join(self.order_by)
        return text


Query = Select | SetOperation


def selects(query: Query) -> Iterator[Select]:
    """Every SELECT of `query`: the sides of set operations and the queries of derived tables."""
    if isinstance(query, SetOperation):
        yield from selects(query.left)
        yield from selects(query.right)
        return
    yield query
    for item in [query.first] + [join.right for join in query.joins]:
        if isinstance(item, FromItem) and item.query is not None:
            yield from selects(item.query)
