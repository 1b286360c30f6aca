"""Reduces a finding to a small reproducer: first the query, then the rows of its tables.

Query reduction tries, until nothing more helps, to drop clauses (WHERE, HAVING, ORDER BY, LIMIT,
DISTINCT, a join, a group key, a select item) and to replace each expression by one of its own
children of the same type, by a NULL of its type or by a plain literal. A candidate is kept when
the same check still fails the same way. Row reduction then deletes rows (halves first, then one
at a time) from the tables the query reads, recreated in a scratch schema on both servers.
"""

from __future__ import annotations

import copy
from typing import Callable, Iterator

from . import schema
from .checks import Case, Finding
from .sqltree import Node, SetOperation, leaf, null_of, selects

SIMPLE_LITERALS = {
    "int2": "(1)::int2", "int4": "1", "int8": "(1)::int8", "numeric": "(1.5)::numeric", "float8": "'1.5'::float8",
    "float4": "'1.5'::float4", "text": "'a'::text", "bool": "true", "date": "'2000-01-01'::date",
    "timestamp": "'2000-01-01 00:00:00'::timestamp", "timestamptz": "'2000-01-01 00:00:00+00'::timestamptz",
}


def _slots(case: Case) -> list[tuple[Callable[[], Node], Callable[[Node], None]]]:
    """Every place an expression sits, as a getter and a setter, in a fixed order."""
    slots = []

    def add_node(get, put):
        slots.append((get, put))
        node = get()
        for index in range(len(node.children)):
            add_node(lambda node=node, index=index: node.children[index],
                     lambda value, node=node, index=index: node.children.__setitem__(index, value))

    if case.predicate is not None:
        add_node(lambda: case.predicate, lambda value: setattr(case, "predicate", value))
    for select in selects(case.query):
        for index in range(len(select.items)):
            add_node(lambda s=select, i=index: s.items[i], lambda v, s=select, i=index: s.items.__setitem__(i, v))
        for attribute in ("where", "having"):
            if getattr(select, attribute) is not None:
                add_node(lambda s=select, a=attribute: getattr(s, a), lambda v, s=select, a=attribute: setattr(s, a, v))
        for index in range(len(select.group_by)):
            add_node(lambda s=select, i=index: s.group_by[i], lambda v, s=select, i=index: s.group_by.__setitem__(i, v))
        for join in select.joins:
            if join.condition is not None:
                add_node(lambda j=join: j.condition, lambda v, j=join: setattr(j, "condition", v))
    return slots


def _replacements(node: Node) -> list[Node]:
    options = [copy.deepcopy(child) for child in node.children if child.type == node.type]
    if node.template != f"NULL::{node.type}":
        options.append(null_of(node.type))
    literal = SIMPLE_LITERALS.get(node.type)
    if literal and node.template != literal:
        options.append(leaf(literal, node.type))
    return options


def _clause_edits(case: Case) -> Iterator[Case]:
    """Copies of `case` with one clause or part dropped."""
    if isinstance(case.query, SetOperation):
        for side in (case.query.left, case.query.right):
            edited = copy.deepcopy(case)
            edited.query = copy.deepcopy(side)
            yield edited
    for position, select in enumerate(selects(case.query)):
        def edit(change):
            edited = copy.deepcopy(case)
            target = list(selects(edited.query))[position]
            if change(target) is not False:
                yield edited

        yield from edit(lambda s: setattr(s, "where", None) if s.where is not None else False)
        yield from edit(lambda s: setattr(s, "having", None) if s.having is not None else False)
        yield from edit(lambda s: (setattr(s, "limit", None), setattr(s, "offset", None)) if s.limit is not None or s.offset is not None else False)
        yield from edit(lambda s: setattr(s, "order_by", []) if s.order_by and s.limit is None else False)
        yield from edit(lambda s: setattr(s, "distinct", False) if s.distinct else False)
        for index in reversed(range(len(select.joins))):
            yield from edit(lambda s, i=index: s.joins.pop(i))
        for index in range(len(select.group_by)):
            yield from edit(lambda s, i=index: s.group_by.pop(i))
        if len(select.items) > 1:
            for index in range(len(select.items)):
                def drop_item(s, i=index):
                    s.items.pop(i)
                    s.order_by, s.limit, s.offset = [], None, None
                yield from edit(drop_item)


def shrink_query(finding: Finding, still_fails: Callable[[Case], Finding | None], budget: int = 400) -> Finding:
    """The smallest variant of `finding.case` found within `budget` tries that still fails alike."""
    best = finding
    tries = 0

    def smaller(candidates: Iterator[Case]) -> Finding | None:
        """The first candidate that still fails the same way, within the budget."""
        nonlocal tries
        for candidate in candidates:
            if tries >= budget:
                return None
            tries += 1
            found = still_fails(candidate)
            if found is not None and found.kind == best.kind:
                return found
        return None

    def replacements(case: Case) -> Iterator[Case]:
        """Copies of `case` with one expression replaced by something simpler."""
        for index in range(len(_slots(case))):
            original = _slots(case)[index][0]()
            for option in range(len(_replacements(original))):
                candidate = copy.deepcopy(case)
                get, put = _slots(candidate)[index]
                put(_replacements(get())[option])
                yield candidate

    while tries < budget:
        found = smaller(_clause_edits(best.case)) or smaller(replacements(best.case))
        if found is None:
            break
        best = found
    return best


def shrink_rows(
    tables: list[schema.Table], statements_text: str, fails_with: Callable[[list[schema.Table]], bool], budget: int = 60
) -> list[schema.Table]:
    """Tables with as few rows as keep `fails_with` true, trying at most `budget` row sets."""
    current = [schema.Table(table.name, table.columns, list(table.rows)) for table in tables]
    tries = 0
    for table_index, table in enumerate(current):
        if f".{table.name} " not in statements_text and not statements_text.endswith(f".{table.name}"):
            current[table_index] = schema.Table(table.name, table.columns, [])
            if not fails_with(current):
                current[table_index] = table
            tries += 1
            continue
        chunk = max(1, len(table.rows) // 2)
        while chunk >= 1 and tries < budget:
            start = 0
            removed_any = False
            while start < len(current[table_index].rows) and tries < budget:
                rows = current[table_index].rows
                trial = rows[:start] + rows[start + chunk:]
                candidate = list(current)
                candidate[table_index] = schema.Table(table.name, table.columns, trial)
                tries += 1
                if fails_with(candidate):
                    current = candidate
                    removed_any = True
                else:
                    start += chunk
            if not removed_any:
                chunk //= 2
    return current
