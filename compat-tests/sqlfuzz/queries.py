"""Random, well-typed queries over the fuzz tables.

`QueryGenerator.query()` makes one top-level query; every expression is built for a wanted
PostgreSQL type from what is in scope. Choices avoid what would make a correct answer
nondeterministic (LIMIT without a total order, ties under row_number, aggregates whose order
matters) and what PostgreSQL itself leaves unspecified (a division whose divisor may be zero in a
branch PostgreSQL may fold first): such queries could not tell a bug from a legal difference.
"""

from __future__ import annotations

import dataclasses
import random

from . import schema
from .sqltree import NUMERIC_TYPES, FromItem, Join, Node, Select, SetOperation, arithmetic_type, family, leaf, null_of

INTEGER_TYPES = ("int2", "int4", "int8")
EXPRESSION_TYPES = ("int4", "int8", "numeric", "float8", "text", "bool", "date", "timestamp", "timestamptz", "int2", "float4")
COMPARISONS = ("=", "<>", "<", "<=", ">", ">=")


@dataclasses.dataclass
class Scope:
    """What an expression may read: column references by type, and (inside an aggregate query's
    select list, HAVING and ORDER BY) the rows' scope aggregates read."""

    terms: list[Node]
    rows: Scope | None = None
    # True where window functions may appear (a select list without GROUP BY).
    windows: bool = False
    # Every column of the FROM rows, for a total window ORDER BY.
    all_columns: list[Node] = dataclasses.field(default_factory=list)

    def of_type(self, type_name: str) -> list[Node]:
        return [term for term in self.terms if term.type == type_name]

    def of_family(self, family_name: str) -> list[Node]:
        return [term for term in self.terms if family(term.type) == family_name]


def copy(node: Node) -> Node:
    """A fresh copy of `node`, so the shrinker can change one use without the others."""
    return Node(node.template, node.type, [copy(child) for child in node.children], node.aggregate, node.window, node.reads_rows)


class QueryGenerator:
    def __init__(self, rng: random.Random, tables: list[schema.Table], schema_name: str):
        self.rng = rng
        self.tables = tables
        self.schema_name = schema_name
        self.alias_count = 0

    # MARK: queries

    def query(self) -> Select | SetOperation:
        if self.rng.random() < 0.12:
            return self.set_operation()
        return self.select(depth=0)

    def fresh_alias(self, prefix: str = "a") -> str:
        self.alias_count += 1
        return f"{prefix}{self.alias_count}"

    def table_item(self) -> FromItem:
        table = self.rng.choice(self.tables)
        alias = self.fresh_alias()
        return FromItem(f"{self.schema_name}.{table.name}", alias, [(column.name, column.type) for column in table.columns])

    def from_item(self, depth: int) -> FromItem:
        if depth < 1 and self.rng.random() < 0.15:
            inner = self.select(depth=depth + 1, top=False)
            alias = self.fresh_alias("d")
            return FromItem("", alias, [(f"x{index}", kind) for index, kind in enumerate(inner.types)], query=inner)
        return self.table_item()

    @staticmethod
    def columns_of(item: FromItem) -> list[Node]:
        return [Node(f"{item.alias}.{name}", kind, reads_rows=True) for name, kind in item.columns]

    def join_condition(self, left: list[Node], right: list[Node], kind: str) -> Node:
        rng = self.rng
        pairs = [(a, b) for a in left for b in right if family(a.type) == family(b.type) and family(a.type) != "bool"]
        conditions = []
        if pairs and rng.random() < 0.85:
            for a, b in rng.sample(pairs, k=min(len(pairs), rng.choice([1, 1, 2]))):
                conditions.append(Node("({0} = {1})", "bool", [copy(a), copy(b)]))
        # FULL JOIN needs a hashable or mergeable condition in PostgreSQL: equalities only.
        if kind != "FULL" and (not conditions or rng.random() < 0.3):
            conditions.append(self.expression("bool", Scope(left + right), 2))
        if not conditions:
            return leaf("true", "bool")
        node = conditions[0]
        for other in conditions[1:]:
            node = Node("({0} AND {1})", "bool", [node, other])
        return node

    def select(self, depth: int, top: bool = True, types: list[str] | None = None) -> Select:
        """A SELECT; with `types`, one whose columns have exactly those types (a set operation's side)."""
        rng = self.rng
        first = self.from_item(depth)
        columns = self.columns_of(first)
        joins = []
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            right = self.from_item(depth)
            kind = rng.choice(["INNER", "LEFT", "RIGHT", "FULL", "CROSS", "INNER", "LEFT"])
            right_columns = self.columns_of(right)
            if kind == "FULL" and not any(family(a.type) == family(b.type) != "bool" for a in columns for b in right_columns):
                kind = "LEFT"
            condition = None if kind == "CROSS" else self.join_condition(columns, right_columns, kind)
            joins.append(Join(kind, right, condition))
            columns = columns + right_columns
        row_scope = Scope(columns, all_columns=columns)
        select = Select(items=[], first=first, joins=joins)
        if rng.random() < 0.6:
            select.where = self.expression("bool", row_scope, 3, subqueries=depth < 2)
        wanted = types or [rng.choice(EXPRESSION_TYPES) for _ in range(rng.randint(1, 4))]
        mode = rng.random()
        if mode < 0.3:
            # Aggregation: group keys (columns or computed), items over keys and aggregates.
            keys = [self.group_key(row_scope) for _ in range(rng.choice([0, 1, 1, 2, 3]))]
            select.group_by = keys
            grouped = Scope([copy(key) for key in keys], rows=row_scope)
            select.items = [self.expression(kind, grouped, 2, aggregate_root=True) for kind in wanted]
            if rng.random() < 0.3:
                select.having = self.expression("bool", grouped, 2)
        else:
            windows = top and types is None and mode > 0.85
            item_scope = Scope(columns, windows=windows, all_columns=columns)
            select.items = [self.expression(kind, item_scope, 3, subqueries=depth < 2) for kind in wanted]
            if windows:
                select.items.append(self.window_call(item_scope))
            if rng.random() < 0.15:
                select.distinct = True
        if types is None:
            self.order(select, allow_limit=top)
        return select

    def group_key(self, scope: Scope) -> Node:
        if scope.terms and self.rng.random() < 0.6:
            return copy(self.rng.choice(scope.terms))
        return self.expression(self.rng.choice(EXPRESSION_TYPES), scope, 2)

    def order(self, select: Select, allow_limit: bool) -> None:
        rng = self.rng
        positions = list(range(1, len(select.items) + 1))
        choice = rng.random()
        if choice < 0.45:
            rng.shuffle(positions)
            select.order_by = [f"{position} {self.direction()}" for position in positions]
            # LIMIT only under an order that decides between every two rows that print apart.
            if allow_limit and select.ordered and rng.random() < 0.5:
                select.limit = rng.choice([0, 1, 3, 10])
                if rng.random() < 0.3:
                    select.offset = rng.choice([1, 2, 5])
        elif choice < 0.6:
            select.order_by = [f"{rng.choice(positions)} {self.direction()}"]

    def direction(self) -> str:
        return self.rng.choice(["ASC", "DESC", "ASC NULLS FIRST", "DESC NULLS LAST", ""]).strip()

    def set_operation(self) -> SetOperation:
        rng = self.rng
        types = [rng.choice(EXPRESSION_TYPES) for _ in range(rng.randint(1, 3))]
        left = self.select(depth=1, types=types)
        right = self.select(depth=1, types=types)
        operator = rng.choice(["UNION", "INTERSECT", "EXCEPT"])
        operation = SetOperation(operator, rng.random() < 0.4, left, right)
        if rng.random() < 0.4:
            operation.order_by = [f"{position} {self.direction()}" for position in range(1, len(types) + 1)]
        return operation

    # MARK: expressions

    def expression(
        self, type_name: str, scope: Scope, depth: int, subqueries: bool = False, aggregate_root: bool = False
    ) -> Node:
        """An expression of type `type_name` over `scope`, at most `depth` levels deep."""
        rng = self.rng
        if scope.rows is not None and rng.random() < (0.6 if aggregate_root else 0.3):
            call = self.aggregate(type_name, scope.rows)
            if call is not None:
                return call
        terms = scope.of_type(type_name)
        if depth <= 0 or rng.random() < 0.25:
            if terms and rng.random() < 0.8:
                return copy(rng.choice(terms))
            return self.literal(type_name)
        makers = [self.common]
        if type_name in NUMERIC_TYPES:
            makers += [self.number] * 3
        elif type_name == "text":
            makers += [self.text] * 3
        elif type_name == "bool":
            makers += [self.predicate] * 4
        else:
            makers += [self.temporal] * 2
        if subqueries and rng.random() < 0.15:
            made = self.subquery_value(type_name, scope)
            if made is not None:
                return made
        return rng.choice(makers)(type_name, scope, depth - 1, subqueries)

    def sub(self, type_name: str, scope: Scope, depth: int, subqueries: bool) -> Node:
        return self.expression(type_name, scope, depth, subqueries)

    def literal(self, type_name: str) -> Node:
        rng = self.rng
        if rng.random() < 0.15:
            return null_of(type_name)
        if type_name == "int2":
            return leaf(f"({rng.choice(['0', '1', '-3', '32767', '-32768', '7'])})::int2", type_name)
        if type_name == "int4":
            return leaf(f"({rng.choice(['0', '1', '-1', '2', '3', '10', '-7', '2147483647', '-2147483648'])})::int4", type_name)
        if type_name == "int8":
            return leaf(f"({rng.choice(['0', '1', '-2', '5', '9223372036854775807', '-9223372036854775808'])})::int8", type_name)
        if type_name == "numeric":
            return leaf(f"({rng.choice(['0', '1.5', '-2.25', '0.001', '100', '3.14159', '-0.5', '99999999999999999999.99'])})::numeric", type_name)
        if type_name in ("float8", "float4"):
            value = rng.choice(["0", "1.5", "-2", "0.1", "1e10", "NaN", "Infinity", "-Infinity", "-0"])
            return leaf(f"'{value}'::{type_name}", type_name)
        if type_name == "text":
            return leaf(f"'{rng.choice(['', 'a', 'B', 'ab', 'a_', '%', ' x ', 'ñ', '-1', '12'])}'::text", type_name)
        if type_name == "bool":
            return leaf(rng.choice(["true", "false"]), type_name)
        if type_name == "date":
            return leaf(f"'{rng.choice(['2000-01-01', '1999-12-31', '2024-02-29', '0001-01-01', '2030-06-15'])}'::date", type_name)
        if type_name == "timestamp":
            return leaf(f"'{rng.choice(['2000-01-01 00:00:00', '2024-02-29 12:34:56.5', '1970-01-01 00:00:00'])}'::timestamp", type_name)
        if type_name == "timestamptz":
            return leaf(f"'{rng.choice(['2000-01-01 00:00:00+00', '2024-02-29 12:34:56.5+02', '1970-01-01 00:00:00-08'])}'::timestamptz", type_name)
        raise ValueError(type_name)

    def common(self, type_name: str, scope: Scope, depth: int, subqueries: bool) -> Node:
        rng = self.rng
        sub = lambda kind=type_name: self.sub(kind, scope, depth, subqueries)  # noqa: E731
        choice = rng.randrange(6)
        if choice == 0:
            branches = rng.randint(1, 2)
            template = "(CASE " + " ".join(f"WHEN {{{2 * i}}} THEN {{{2 * i + 1}}}" for i in range(branches))
            children = []
            for _ in range(branches):
                children += [sub("bool"), sub()]
            if rng.random() < 0.7:
                template += f" ELSE {{{len(children)}}}"
                children.append(sub())
            return Node(template + " END)", type_name, children)
        if choice == 1:
            return Node("COALESCE({0}, {1})", type_name, [sub(), sub()])
        if choice == 2:
            return Node("NULLIF({0}, {1})", type_name, [sub(), sub()])
        if choice == 3 and type_name != "bool":
            return Node(f"{rng.choice(['GREATEST', 'LEAST'])}({{0}}, {{1}})", type_name, [sub(), sub()])
        if choice == 4:
            return self.cast(type_name, scope, depth, subqueries)
        return self.literal(type_name) if rng.random() < 0.3 else sub()

    def cast(self, type_name: str, scope: Scope, depth: int, subqueries: bool) -> Node:
        rng = self.rng
        if type_name in NUMERIC_TYPES:
            source = rng.choice(NUMERIC_TYPES + ("text", "bool") if type_name == "int4" else NUMERIC_TYPES)
        elif type_name == "text":
            source = rng.choice(EXPRESSION_TYPES)
        elif type_name == "date":
            source = rng.choice(["timestamp", "timestamptz", "text"])
        elif type_name == "timestamp":
            source = rng.choice(["date", "timestamptz"])
        elif type_name == "timestamptz":
            source = rng.choice(["date", "timestamp"])
        else:
            source = rng.choice(["int4", "text"])
        if source == "text" and type_name != "text":
            # Text that parses as the wanted type, now and then text that does not (22P02 on both).
            value = self.literal(type_name) if rng.random() < 0.8 else leaf("'x1'::text", "text")
            return Node(f"(({{0}})::text)::{type_name}", type_name, [value])
        return Node(f"({{0}})::{type_name}", type_name, [self.sub(source, scope, depth, subqueries)])

    def number(self, type_name: str, scope: Scope, depth: int, subqueries: bool) -> Node:
        rng = self.rng
        sub = lambda kind=type_name: self.sub(kind, scope, depth, subqueries)  # noqa: E731
        choice = rng.randrange(10)
        if choice <= 2:
            # Operands whose PostgreSQL result type is the one wanted.
            left, right = self.operand_types(type_name)
            operator = rng.choice(["+", "-", "*"])
            return Node(f"({{0}} {operator} {{1}})", type_name, [sub(left), sub(right)])
        if choice == 3:
            # The divisor is never zero: PostgreSQL may divide in a branch it would not take.
            left, right = self.operand_types(type_name)
            operator = "%" if type_name in INTEGER_TYPES + ("numeric",) and rng.random() < 0.4 else "/"
            return Node(f"({{0}} {operator} NULLIF({{1}}, 0))", type_name, [sub(left), sub(right)])
        if choice == 4:
            return Node(f"{rng.choice(['abs', '-'])}({{0}})", type_name, [sub()])
        if choice == 5 and type_name == "int4":
            function = rng.choice(["length({0})", "strpos({0}, {1})", "char_length({0})"])
            children = [sub("text")] + ([sub("text")] if "{1}" in function else [])
            return Node(function, "int4", children)
        if choice == 6 and type_name == "numeric":
            function = rng.choice(["round({0}, 2)", "round({0})", "trunc({0}, 1)", "ceil({0})", "floor({0})", "sign({0})"])
            return Node(function, "numeric", [sub()])
        if choice == 6 and type_name == "float8":
            return Node(rng.choice(["round({0})", "ceil({0})", "floor({0})", "sign({0})", "trunc({0})"]), "float8", [sub()])
        if choice == 7 and type_name == "int4":
            return Node("({0} - {1})", "int4", [sub("date"), sub("date")])
        if choice == 7 and type_name == "numeric":
            return Node(f"extract({rng.choice(['year', 'month', 'day', 'dow', 'epoch'])} FROM {{0}})", "numeric", [sub(rng.choice(["date", "timestamp"]))])
        if choice == 8 and type_name in INTEGER_TYPES + ("numeric",):
            return Node(f"mod({{0}}, NULLIF({{1}}, 0))", type_name, [sub(), sub()])
        if choice == 9 and type_name in INTEGER_TYPES + ("numeric", "float8"):
            # The guards people write: the division runs only where the divisor is not zero.
            left, right = self.operand_types(type_name)
            return Node(f"(CASE WHEN {{1}} <> 0 THEN {{0}} / {{1}} END)", type_name, [sub(left), sub(right)])
        return self.common(type_name, scope, depth, subqueries)

    def operand_types(self, result: str) -> tuple[str, str]:
        """Two operand types whose arithmetic gives `result`."""
        rng = self.rng
        candidates = [(a, b) for a in NUMERIC_TYPES for b in NUMERIC_TYPES if arithmetic_type(a, b) == result]
        same = (result, result)
        return same if rng.random() < 0.6 else rng.choice(candidates)

    def text(self, type_name: str, scope: Scope, depth: int, subqueries: bool) -> Node:
        rng = self.rng
        sub = lambda kind="text": self.sub(kind, scope, depth, subqueries)  # noqa: E731
        forms = [
            ("({0} || {1})", ["text", "text"]),
            ("upper({0})", ["text"]),
            ("lower({0})", ["text"]),
            ("substr({0}, {1})", ["text", "int4"]),
            (f"substr({{0}}, {{1}}, {rng.randint(0, 5)})", ["text", "int4"]),
            ("trim({0})", ["text"]),
            ("ltrim({0}, {1})", ["text", "text"]),
            ("replace({0}, {1}, {2})", ["text", "text", "text"]),
            (f"left({{0}}, {rng.randint(-3, 4)})", ["text"]),
            (f"right({{0}}, {rng.randint(-3, 4)})", ["text"]),
            (f"lpad({{0}}, {rng.randint(0, 6)}, {{1}})", ["text", "text"]),
            ("concat({0}, {1}, {2})", ["text", rng.choice(EXPRESSION_TYPES), rng.choice(EXPRESSION_TYPES)]),
            ("reverse({0})", ["text"]),
            ("md5({0})", ["text"]),
            ("({0})::text", [rng.choice(EXPRESSION_TYPES)]),
        ]
        if rng.random() < 0.2:
            return self.common(type_name, scope, depth, subqueries)
        template, kinds = rng.choice(forms)
        return Node(template, "text", [sub(kind) for kind in kinds])

    def predicate(self, type_name: str, scope: Scope, depth: int, subqueries: bool) -> Node:
        rng = self.rng
        sub = lambda kind="bool": self.sub(kind, scope, depth, subqueries)  # noqa: E731
        choice = rng.randrange(14)
        comparable = rng.choice(["int4", "int8", "numeric", "float8", "text", "date", "timestamp", "bool", "int2", "timestamptz"])
        if choice <= 3:
            other = comparable
            if comparable in NUMERIC_TYPES:
                other = rng.choice(NUMERIC_TYPES)
            elif comparable in ("date", "timestamp"):
                other = rng.choice(["date", "timestamp"])
            return Node(f"({{0}} {rng.choice(COMPARISONS)} {{1}})", "bool", [sub(comparable), sub(other)])
        if choice == 4:
            if comparable in ("int4", "int8", "numeric") and rng.random() < 0.3:
                # A guard: the division only where the left operand says the divisor is not zero.
                guard = ("({1} <> 0 AND {0} / {1} > {2})", "({1} = 0 OR {0} / {1} > {2})")[rng.randrange(2)]
                return Node(guard, "bool", [sub(comparable), sub(comparable), sub(comparable)])
            return Node(f"({{0}} {rng.choice(['AND', 'OR'])} {{1}})", "bool", [sub(), sub()])
        if choice == 5:
            return Node("(NOT {0})", "bool", [sub()])
        if choice == 6:
            return Node(f"({{0}} IS {rng.choice(['', 'NOT '])}NULL)", "bool", [sub(comparable)])
        if choice == 7:
            test = rng.choice(["TRUE", "FALSE", "UNKNOWN", "NOT TRUE", "NOT FALSE", "NOT UNKNOWN"])
            return Node(f"({{0}} IS {test})", "bool", [sub()])
        if choice == 8:
            return Node(f"({{0}} IS {rng.choice(['', 'NOT '])}DISTINCT FROM {{1}})", "bool", [sub(comparable), sub(comparable)])
        if choice == 9 and comparable != "bool":
            symmetric = rng.choice(["", "SYMMETRIC "])
            negated = rng.choice(["", "NOT "])
            children = [sub(comparable), sub(comparable), sub(comparable)]
            return Node(f"({{0}} {negated}BETWEEN {symmetric}{{1}} AND {{2}})", "bool", children)
        if choice == 10:
            count = rng.randint(1, 4)
            holes = ", ".join(f"{{{i + 1}}}" for i in range(count))
            children = [sub(comparable)] + [self.literal(comparable) if rng.random() < 0.6 else sub(comparable) for _ in range(count)]
            return Node(f"({{0}} {rng.choice(['', 'NOT '])}IN ({holes}))", "bool", children)
        if choice == 11:
            pattern = rng.choice(["'a%'", "'%b'", "'_'", "'%'", "'a\\_%'", "'%A%'", "''"])
            operator = rng.choice(["LIKE", "NOT LIKE", "ILIKE", "NOT ILIKE"])
            return Node(f"({{0}} {operator} {pattern})", "bool", [sub("text")])
        if choice == 12 and subqueries:
            made = self.subquery_predicate(scope)
            if made is not None:
                return made
        return self.common("bool", scope, depth, subqueries)

    def temporal(self, type_name: str, scope: Scope, depth: int, subqueries: bool) -> Node:
        rng = self.rng
        sub = lambda kind=type_name: self.sub(kind, scope, depth, subqueries)  # noqa: E731
        if type_name == "date":
            return Node(f"({{0}} {rng.choice(['+', '-'])} {{1}})", "date", [sub(), sub("int4")])
        interval = rng.choice(["'1 day'", "'2 hours'", "'1 mon'", "'-3 days 4 hours'", "'1 year 2 mons'", "'90 minutes'"])
        if type_name == "timestamp" and rng.random() < 0.3:
            unit = rng.choice(["year", "month", "day", "hour", "minute"])
            return Node(f"date_trunc('{unit}', {{0}})", "timestamp", [sub()])
        return Node(f"({{0}} {rng.choice(['+', '-'])} interval {interval})", type_name, [sub()])

    # MARK: aggregates and windows

    def aggregate(self, type_name: str, rows: Scope) -> Node | None:
        """An aggregate call over `rows` whose result has type `type_name`, or None if none fits."""
        rng = self.rng
        arg = lambda kind: self.expression(kind, rows, 2)  # noqa: E731
        distinct = "DISTINCT " if rng.random() < 0.2 else ""
        options: list[tuple[str, str]] = []  # (template, argument type)
        if type_name == "int8":
            options += [("count(*)", ""), (f"count({distinct}{{0}})", rng.choice(EXPRESSION_TYPES)), ("sum({0})", "int4"), ("sum({0})", "int2")]
        if type_name == "numeric":
            options += [(f"sum({distinct}{{0}})", rng.choice(["int8", "numeric"])), (f"avg({distinct}{{0}})", rng.choice(["int4", "int8", "numeric", "int2"]))]
        if type_name in ("float8",):
            options += [("sum({0})", "float8"), ("avg({0})", rng.choice(["float8", "float4"]))]
        if type_name == "bool":
            options += [(f"{rng.choice(['bool_and', 'bool_or', 'every'])}({{0}})", "bool")]
        if type_name == "text":
            options += [(f"string_agg({distinct}{{0}}, ',' ORDER BY {{0}})", "text")]
        if type_name not in ("bool",):
            options += [(f"{rng.choice(['min', 'max'])}({{0}})", type_name)]
        if type_name == "bool":
            options += [(f"{rng.choice(['min', 'max'])}(({{0}})::int4) = 1", "bool_as_int")]
        template, argument = rng.choice(options)
        children = []
        if argument == "bool_as_int":
            children = [arg("bool")]
        elif argument:
            children = [arg(argument)]
            if template.count("{0}") == 2:
                template = template.replace("ORDER BY {0}", "ORDER BY {1}")
                children.append(copy(children[0]))
        if rng.random() < 0.15:
            template += f" FILTER (WHERE {{{len(children)}}})"
            children.append(self.expression("bool", rows, 2))
        return Node(template, type_name, children, aggregate=True)

    def window_call(self, scope: Scope) -> Node:
        rng = self.rng
        partition = [copy(rng.choice(scope.terms))] if scope.terms and rng.random() < 0.6 else []
        order_terms = [copy(term) for term in rng.sample(scope.terms, k=min(len(scope.terms), rng.randint(1, 2)))] if scope.terms else []
        total_order = [copy(term) for term in scope.all_columns]
        children: list[Node] = []

        def holes(nodes: list[Node], directions: bool = False) -> str:
            parts = []
            for node in nodes:
                children.append(node)
                parts.append(f"{{{len(children) - 1}}}" + (f" {self.direction()}" if directions else ""))
            return ", ".join(parts)

        over_partition = f"PARTITION BY {holes(partition)} " if partition else ""
        choice = rng.randrange(5)
        has_float = any(term.type in ("float4", "float8") for term in total_order)
        if choice <= 1 or not order_terms:
            function, type_name = rng.choice([("rank()", "int8"), ("dense_rank()", "int8")])
            if not order_terms:
                function, type_name = "count(*)", "int8"
                return Node(f"{function} OVER ({over_partition.strip()})", type_name, children, window=True)
            return Node(f"{function} OVER ({over_partition}ORDER BY {holes(order_terms, True)})", type_name, children, window=True)
        if choice == 2 or has_float or not total_order:
            argument = rng.choice(scope.terms)
            kind = argument.type
            function = rng.choice(["count", "min", "max"] + (["sum"] if kind in ("int4", "int8", "numeric") else []))
            result = {"count": "int8", "min": kind, "max": kind, "sum": {"int4": "int8", "int8": "numeric", "numeric": "numeric"}.get(kind, kind)}[function]
            argument_hole = holes([copy(argument)])
            return Node(
                f"{function}({argument_hole}) OVER ({over_partition}ORDER BY {holes(order_terms, True)})", result, children,
                window=True)
        # A total order over the FROM rows (no float columns, whose -0 and 0 tie but print apart).
        function, type_name = rng.choice([("row_number()", "int8"), ("lag", None), ("lead", None)])
        if type_name is None:
            argument = rng.choice(scope.terms)
            argument_hole = holes([copy(argument)])
            function, type_name = f"{function}({argument_hole})", argument.type
        return Node(f"{function} OVER ({over_partition}ORDER BY {holes(total_order, True)})", type_name, children, window=True)

    # MARK: subqueries

    def correlated_rows(self, scope: Scope) -> tuple[FromItem, list[Node], Node | None]:
        """A table for a subquery, its columns, and (often) a condition tying it to `scope`."""
        item = self.table_item()
        inner = self.columns_of(item)
        condition = None
        pairs = [(a, b) for a in inner for b in scope.terms if family(a.type) == family(b.type) and not b.contains_aggregate()]
        if pairs and self.rng.random() < 0.7:
            a, b = self.rng.choice(pairs)
            condition = Node(f"({{0}} {self.rng.choice(['=', '=', '<', '<>'])} {{1}})", "bool", [copy(a), copy(b)])
        return item, inner, condition

    def subquery_predicate(self, scope: Scope) -> Node | None:
        rng = self.rng
        item, inner, condition = self.correlated_rows(scope)
        inner_scope = Scope(inner + scope.terms)
        where = condition
        if rng.random() < 0.5:
            extra = self.expression("bool", inner_scope, 1)
            where = extra if where is None else Node("({0} AND {1})", "bool", [where, extra])
        children: list[Node] = []
        where_sql = ""
        if where is not None:
            children.append(where)
            where_sql = " WHERE {0}"
        form = rng.randrange(3)
        if form == 0:
            return Node(f"({rng.choice(['', 'NOT '])}EXISTS (SELECT 1 FROM {item.sql()}{where_sql}))", "bool", children, reads_rows=True)
        candidates = [column for column in inner]
        column = rng.choice(candidates)
        outer = self.expression(column.type, scope, 1)
        children += [outer, copy(column)]
        outer_hole, column_hole = len(children) - 2, len(children) - 1
        if form == 1:
            return Node(
                f"({{{outer_hole}}} {rng.choice(['', 'NOT '])}IN (SELECT {{{column_hole}}} FROM {item.sql()}{where_sql}))",
                "bool", children, reads_rows=True)
        quantifier = rng.choice(["ANY", "ALL"])
        return Node(
            f"({{{outer_hole}}} {rng.choice(COMPARISONS)} {quantifier} (SELECT {{{column_hole}}} FROM {item.sql()}{where_sql}))",
            "bool", children, reads_rows=True)

    def subquery_value(self, type_name: str, scope: Scope) -> Node | None:
        """`(SELECT aggregate FROM t WHERE correlated)`: one row whatever the data."""
        item, inner, condition = self.correlated_rows(scope)
        call = self.aggregate(type_name, Scope(inner))
        if call is None:
            return None
        children = [call]
        template = f"(SELECT {{0}} FROM {item.sql()}"
        if condition is not None:
            children.append(condition)
            template += " WHERE {1}"
        return Node(template + ")", type_name, children, reads_rows=True)
