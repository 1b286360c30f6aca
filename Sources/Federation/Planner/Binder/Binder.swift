import Engine
import SQL

typealias ParsedExpression = SQL.Expression
typealias BoundExpression = Engine.Expression

/// Resolves names and types in a parsed query and produces a `QueryPlan`, as yet unoptimized: the
/// first step of `StatementPlanner`.
///
/// Follows PostgreSQL's rules where Weir implements the construct: literal typing, numeric
/// promotion, unknown-literal coercion, parameter type inference and output column naming.
struct Binder {
    let context: any BinderContext
    /// `$n` types: declared by the client or inferred from context; nil while unknown.
    var parameterTypes: [DataType?]
    /// Where aggregate calls are being collected (the select list, HAVING and ORDER BY of the query
    /// being bound); nil where aggregates are not allowed, such as WHERE.
    var aggregation: AggregationState?
    /// The clause being bound where aggregates are not allowed, for the error message.
    var clauseWithoutAggregates = "this context"
    /// The enclosing query's columns while a subquery is bound; references to them are correlated.
    var outerScope: [ScopeColumn]?
    /// True while the branches of a set operation are bound: an untyped literal column (`NULL`,
    /// `'x'`) takes its type from the other branches instead of becoming text.
    var keepsUnknownOutputs = false
    /// WITH queries visible by name at the current query level.
    var commonTableExpressions: [String: CommonTableExpression] = [:]
    /// How many outer references have been bound, to check each one was decorrelated.
    var outerReferenceCount = 0
    /// While a WHERE condition or an ungrouped select list is bound: the width of the plan it reads,
    /// where correlated subqueries append their columns (see `pendingAttachments`).
    var attachmentPlanWidth: Int?
    /// Correlated subqueries bound since the plan they read was last extended by them.
    var pendingAttachments: [PendingAttachment] = []
    /// `WITH RECURSIVE` queries whose recursive term is being bound: their work table and columns.
    var workTableReferences: [String: (workTable: Int, columns: [(name: String, type: DataType)])] = [:]
    /// Work tables numbered so far in the statement.
    var workTableCount = 0
    /// True while a select list is bound: where set-returning functions may be called.
    var setReturningFunctionsAllowed = false
    /// Uncorrelated subqueries used as values met so far (see `QueryPlan.initPlans`).
    var initPlans: [SubqueryPlan] = []
    /// The tables names denote: the statement's, or a view's while its query is bound.
    var tables: ResolvedTables

    init(context: any BinderContext, declaredParameterTypes: [DataType?]) {
        self.context = context
        self.parameterTypes = declaredParameterTypes
        self.tables = context.tables
    }

    /// A column visible to expressions: from FROM items.
    struct ScopeColumn {
        let qualifier: String?
        let name: String
        let type: DataType
        /// Reachable only as `qualifier.name` (and through `qualifier.*`): a join's USING columns on
        /// each side, which unqualified names and `*` see once, merged.
        var qualifiedOnly = false
    }

    // MARK: Queries

    mutating func bindSelect(_ select: SelectStatement) throws(BindError) -> QueryPlan {
        let (plan, columns) = try bindQuery(select)
        return QueryPlan(
            columns: columns, parameterTypes: finalParameterTypes(), root: plan, initPlans: initPlans)
    }

    /// Binds a query (top level or nested in FROM) into a plan and its output columns.
    mutating func bindQuery(_ select: SelectStatement) throws(BindError) -> (
        LogicalPlan, [(name: String, type: DataType)]
    ) {
        // Correlated subqueries of an enclosing query attach to its plan, not this one's.
        let enclosingAttachments = (attachmentPlanWidth, pendingAttachments, setReturningFunctionsAllowed)
        (attachmentPlanWidth, pendingAttachments, setReturningFunctionsAllowed) = (nil, [], false)
        defer { (attachmentPlanWidth, pendingAttachments, setReturningFunctionsAllowed) = enclosingAttachments }
        // WITH queries are inlined where they are referenced, visible to this query and those nested in it.
        let enclosingCTEs = commonTableExpressions
        defer { commonTableExpressions = enclosingCTEs }
        try declare(select.commonTableExpressions)
        if let operation = select.setOperation { return try bindSetOperation(operation, select: select) }
        var scope: [ScopeColumn] = []
        var plan: LogicalPlan
        if let rows = select.values {
            let bound = try bindValues(rows)
            plan = .values(rows: bound.rows, types: bound.types)
            scope = bound.types.enumerated().map {
                ScopeColumn(qualifier: "*VALUES*", name: "column\($0.offset + 1)", type: $0.element)
            }
            if select.targets.isEmpty {
                return (plan, scope.map { (name: $0.name, type: $0.type) })
            }
        } else if select.from.isEmpty {
            plan = .singleRow
        } else {
            (plan, scope) = try bindFromList(select.from)
        }

        if let whereClause = select.whereClause { plan = try bindWhere(whereClause, plan: plan, scope: scope) }
        var columns: [(name: String, type: DataType)] = []
        var projections: [BoundExpression] = []
        // Aggregate calls in the select list, HAVING and ORDER BY are collected while they are bound.
        let enclosingAggregation = aggregation
        let enclosingClause = clauseWithoutAggregates
        aggregation = AggregationState(windowDefinitions: try windowDefinitions(select.windows))
        defer {
            aggregation = enclosingAggregation
            clauseWithoutAggregates = enclosingClause
        }
        try checkWindowDefinitions(select.windows, scope: scope)
        // Correlated subqueries in the select list and ORDER BY add their values as columns of `plan`.
        attachmentPlanWidth = plan.outputTypes.count
        defer { attachmentPlanWidth = nil }
        setReturningFunctionsAllowed = true
        defer { setReturningFunctionsAllowed = false }
        (columns, projections) = try bindTargets(select.targets, scope: scope)
        setReturningFunctionsAllowed = false
        aggregation?.windowsForbidden = BindError(.windowingError, "window functions are not allowed in HAVING")
        var having = try select.having.map { expression throws(BindError) in
            try coerce(
                try bind(expression, scope: scope), to: .boolean, clause: "HAVING", location: expression.location)
        }
        aggregation?.windowsForbidden = nil
        var ordering = try bindOrdering(select.orderBy, columns: columns, projections: projections, scope: scope)
        let distinctOnKeys = try bindDistinctOn(
            select, columns: columns, projections: projections, ordering: &ordering, scope: scope)
        let aggregates = aggregation?.calls ?? []
        let groupingCalls = aggregation?.groupingCalls ?? []
        var windows = aggregation?.windows ?? []
        aggregation = nil
        let grouped = !aggregates.isEmpty || !groupingCalls.isEmpty || !select.groupBy.isEmpty || having != nil
        attachmentPlanWidth = nil
        if !pendingAttachments.isEmpty {
            if grouped {
                throw BindError(
                    .featureNotSupported,
                    "correlated subqueries and set-returning functions in a grouped query's select list, HAVING or ORDER BY are not supported yet"
                )
            }
            plan = try attachPendingSubqueries(to: plan)
        }
        clauseWithoutAggregates = "GROUP BY"

        if grouped {
            let (keys, groupings) = try bindGroupings(
                select.groupBy, distinct: select.groupByDistinct, columns: columns, projections: projections,
                scope: scope)
            let groupingValues: [BoundExpression]
            (plan, groupingValues) = try groupedPlan(
                plan, keys: keys, groupings: groupings, aggregates: aggregates, groupingCalls: groupingCalls)
            let grouping = Grouping(keys: keys, scope: scope, groupingValues: groupingValues)
            projections = try projections.map { expression throws(BindError) in try grouping.rewrite(expression) }
            having = try having.map { expression throws(BindError) in try grouping.rewrite(expression) }
            ordering.hidden = try ordering.hidden.map { expression throws(BindError) in try grouping.rewrite(expression)
            }
            windows = try windows.map { call throws(BindError) in
                try call.mappingExpressions { e throws(BindError) in try grouping.rewrite(e) }
            }
            if let having { plan = .filter(plan, predicate: having) }
        }
        if !windows.isEmpty {
            var expressions = projections + ordering.hidden
            plan = placeWindows(windows, over: plan, expressions: &expressions)
            projections = Array(expressions[..<projections.count])
            ordering.hidden = Array(expressions[projections.count...])
        }
        if select.distinct, !ordering.hidden.isEmpty {
            throw BindError(
                .invalidColumnReference, "for SELECT DISTINCT, ORDER BY expressions must appear in select list",
                location: select.orderBy.first?.expression.location)
        }
        plan = .project(plan, expressions: projections + ordering.hidden)
        if select.distinct {
            plan = .aggregate(
                plan, groupKeys: projections.indices.map { .column(index: $0, type: projections[$0].type) },
                aggregates: [])
        }
        if let distinctOnKeys {
            // The first row of each group in ORDER BY order: row_number() = 1 over the groups.
            let width = projections.count + ordering.hidden.count
            let first = WindowFunctionCall(
                function: .rowNumber, partitionBy: distinctOnKeys, orderBy: ordering.keys, resultType: .int64)
            plan = .filter(
                .window(plan, functions: [first]),
                predicate: .comparison(.equal, .column(index: width, type: .int64), .constant(.int64(1), .int64)))
            plan = .project(plan, expressions: (0..<width).map { .column(index: $0, type: plan.outputTypes[$0]) })
        }
        if select.limitWithTies {
            guard !ordering.keys.isEmpty else {
                throw BindError(
                    .syntaxError, "WITH TIES cannot be specified without ORDER BY clause",
                    location: select.limit?.location)
            }
            plan = .sort(try bindLimitWithTies(select, plan, keys: ordering.keys), keys: ordering.keys)
        } else {
            if !ordering.keys.isEmpty { plan = .sort(plan, keys: ordering.keys) }
            plan = try bindLimit(select, plan)
        }
        if !ordering.hidden.isEmpty {
            plan = .project(
                plan, expressions: projections.indices.map { .column(index: $0, type: projections[$0].type) })
        }
        return (plan, columns)
    }

    /// Makes a statement's WITH queries visible by name (the caller restores the enclosing ones).
    mutating func declare(_ ctes: [CommonTableExpression]) throws(BindError) {
        for cte in ctes {
            if ctes.filter({ $0.name == cte.name }).count > 1 {
                throw BindError(.duplicateAlias, "WITH query name \"\(cte.name)\" specified more than once")
            }
            commonTableExpressions[cte.name] = cte
        }
    }

    /// WHERE over `plan`, whose columns `scope` names: plain conditions filter first (correlated
    /// subqueries in them add their values as columns of the plan); EXISTS / IN conditions then
    /// join the filtered rows.
    mutating func bindWhere(_ whereClause: ParsedExpression, plan: LogicalPlan, scope: [ScopeColumn]) throws(BindError)
        -> LogicalPlan
    {
        clauseWithoutAggregates = "WHERE"
        var plan = plan
        var conditions: [BoundExpression] = []
        let (subqueryConditions, plainConditions) = Self.conjuncts(whereClause).partitioned(
            by: Self.isSubqueryCondition)
        for conjunct in plainConditions {
            attachmentPlanWidth = plan.outputTypes.count
            defer { attachmentPlanWidth = nil }
            conditions.append(
                try coerce(try bind(conjunct, scope: scope), to: .boolean, clause: "WHERE", location: conjunct.location)
            )
            plan = try attachPendingSubqueries(to: plan)
        }
        if !conditions.isEmpty {
            plan = .filter(plan, predicate: conditions.count == 1 ? conditions[0] : .and(conditions))
        }
        for conjunct in subqueryConditions { plan = try bindSubqueryCondition(conjunct, plan: plan, scope: scope) }
        return plan
    }

    /// A SELECT or RETURNING list over `scope`: each target's output name and value, `*` and
    /// `t.*` expanded.
    mutating func bindTargets(_ targets: [SelectTarget], scope: [ScopeColumn]) throws(BindError)
        -> (columns: [(name: String, type: DataType)], values: [BoundExpression])
    {
        var columns: [(name: String, type: DataType)] = []
        var values: [BoundExpression] = []
        for target in targets {
            switch target {
            case .star(let qualifier, let location):
                let visible = scope.enumerated().filter {
                    qualifier == nil ? !$0.element.qualifiedOnly : $0.element.qualifier == qualifier
                }
                if visible.isEmpty {
                    if let qualifier {
                        throw BindError(
                            .undefinedTable, "missing FROM-clause entry for table \"\(qualifier)\"", location: location)
                    }
                    throw BindError(.syntaxError, "SELECT * with no tables specified is not valid", location: location)
                }
                for (index, column) in visible where qualifier != nil || !column.qualifiedOnly {
                    columns.append((column.name, column.type))
                    values.append(.column(index: index, type: column.type))
                }
            case .expression(let expression, let alias):
                var bound = try bind(expression, scope: scope)
                if bound.type == .unknown, !keepsUnknownOutputs {
                    bound = try coerce(bound, to: .text, clause: nil, location: expression.location)
                }
                columns.append((alias ?? Self.outputName(expression), bound.type))
                values.append(bound)
            }
        }
        return (columns, values)
    }

    /// `OFFSET m FETCH FIRST n ROWS WITH TIES`: the rows numbered past `m` in `keys` order whose rank
    /// is at most `m + n`, which are the first `n` after the offset and those tying with the last.
    mutating func bindLimitWithTies(_ select: SelectStatement, _ plan: LogicalPlan, keys: [SortKey]) throws(BindError)
        -> LogicalPlan
    {
        clauseWithoutAggregates = "LIMIT"
        let limit = try coerce(
            try bind(select.limit ?? .literal(.integer(1), location: 0), scope: []), to: .int64, clause: "LIMIT",
            location: select.limit?.location)
        clauseWithoutAggregates = "OFFSET"
        let offset =
            try select.offset.map { expression throws(BindError) in
                try coerce(try bind(expression, scope: []), to: .int64, clause: "OFFSET", location: expression.location)
            } ?? .constant(.int64(0), .int64)
        let width = plan.outputTypes.count
        let numbered = LogicalPlan.window(
            plan,
            functions: [
                WindowFunctionCall(function: .rowNumber, partitionBy: [], orderBy: keys, resultType: .int64),
                WindowFunctionCall(function: .rank, partitionBy: [], orderBy: keys, resultType: .int64),
            ])
        let predicate = BoundExpression.and([
            .comparison(.greater, .column(index: width, type: .int64), offset),
            .comparison(
                .lessOrEqual, .column(index: width + 1, type: .int64),
                .arithmetic(.add, offset, limit, resultType: .int64)),
        ])
        return .project(
            .filter(numbered, predicate: predicate),
            expressions: (0..<width).map { .column(index: $0, type: plan.outputTypes[$0]) })
    }

    /// `plan` limited by the statement's LIMIT and OFFSET, when it has them.
    mutating func bindLimit(_ select: SelectStatement, _ plan: LogicalPlan) throws(BindError) -> LogicalPlan {
        clauseWithoutAggregates = "LIMIT"
        let limit = try select.limit.map { expression throws(BindError) in
            try coerce(try bind(expression, scope: []), to: .int64, clause: "LIMIT", location: expression.location)
        }
        clauseWithoutAggregates = "OFFSET"
        let offset = try select.offset.map { expression throws(BindError) in
            try coerce(try bind(expression, scope: []), to: .int64, clause: "OFFSET", location: expression.location)
        }
        return limit != nil || offset != nil ? .limit(plan, limit: limit, offset: offset) : plan
    }

    func finalParameterTypes() -> [DataType] { parameterTypes.map { $0 ?? .text } }

    mutating func bindValues(_ rows: [[ParsedExpression]]) throws(BindError) -> (
        rows: [[BoundExpression]], types: [DataType]
    ) {
        guard let width = rows.first?.count else { return ([], []) }
        var bound: [[BoundExpression]] = []
        for row in rows {
            guard row.count == width else {
                throw BindError(.syntaxError, "VALUES lists must all be the same length", location: row.first?.location)
            }
            bound.append(try row.map { expression throws(BindError) in try bind(expression, scope: []) })
        }
        var types: [DataType] = []
        for column in 0..<width {
            let type = try commonType(
                bound.map { $0[column].type }, context: "VALUES", location: rows[0][column].location)
            types.append(type)
            for row in bound.indices {
                bound[row][column] = try coerce(
                    bound[row][column], to: type, clause: nil, location: rows[row][column].location)
            }
        }
        return (bound, types)
    }

    mutating func bindFromItem(_ item: TableReference) throws(BindError) -> (LogicalPlan, [ScopeColumn]) {
        switch item {
        case .function(let name, let arguments, let alias, let location):
            if name.name.lowercased() == "unnest", name.parts.count == 1 || name.parts.first == "pg_catalog" {
                guard arguments.count == 1 else {
                    throw BindError(
                        .featureNotSupported, "unnest with \(arguments.count) arguments is not supported yet",
                        location: location)
                }
                let array = try bind(arguments[0], scope: [])
                guard case .array(let element) = array.type else {
                    throw BindError(
                        .undefinedFunction, "function unnest(\(array.type.sqlName)) does not exist", location: location)
                }
                let columnName = alias?.columnNames.first ?? alias?.name ?? "unnest"
                return (
                    .unnest(array, element: element),
                    [ScopeColumn(qualifier: alias?.name ?? "unnest", name: columnName, type: element)]
                )
            }
            guard name.name.lowercased() == "generate_series", name.parts.count == 1 || name.parts.first == "pg_catalog"
            else {
                throw BindError(.undefinedFunction, "function \(name)() does not exist", location: location)
            }
            guard arguments.count == 2 || arguments.count == 3 else {
                throw BindError(
                    .undefinedFunction, "function generate_series with \(arguments.count) arguments does not exist",
                    location: location)
            }
            var bound = try arguments.map { argument throws(BindError) in try bind(argument, scope: []) }
            let type: DataType = bound.contains { $0.type == .int64 } ? .int64 : .int32
            for index in bound.indices {
                guard bound[index].type.isNumeric || bound[index].type == .unknown else {
                    throw BindError(
                        .featureNotSupported, "generate_series over \(bound[index].type.sqlName) is not supported yet",
                        location: location)
                }
                bound[index] = try coerce(
                    bound[index], to: type, clause: "generate_series", location: arguments[index].location)
            }
            let columnName = alias?.columnNames.first ?? alias?.name ?? "generate_series"
            return (
                .generateSeries(start: bound[0], stop: bound[1], step: bound.count == 3 ? bound[2] : nil, type: type),
                [ScopeColumn(qualifier: alias?.name ?? "generate_series", name: columnName, type: type)]
            )
        case .table(let name, let alias, let location):
            if name.parts.count == 1, let reference = workTableReferences[name.name] {
                let columnNames = alias?.columnNames ?? []
                let scope = reference.columns.enumerated().map { index, column in
                    ScopeColumn(
                        qualifier: alias?.name ?? name.name,
                        name: index < columnNames.count ? columnNames[index] : column.name, type: column.type)
                }
                return (.workTableScan(workTable: reference.workTable, types: reference.columns.map(\.type)), scope)
            }
            if name.parts.count == 1, let cte = commonTableExpressions[name.name], cte.isRecursive,
                let recursive = try bindRecursiveQuery(cte, alias: alias, location: location)
            {
                return recursive
            }
            if name.parts.count == 1, let cte = commonTableExpressions[name.name] {
                let columnNames =
                    alias.map { $0.columnNames.isEmpty ? cte.columnNames : $0.columnNames } ?? cte.columnNames
                // The query cannot see itself (WITH RECURSIVE is what allows that).
                commonTableExpressions[cte.name] = nil
                defer { commonTableExpressions[cte.name] = cte }
                return try bindFromItem(
                    .subquery(
                        cte.query, alias: TableAlias(name: alias?.name ?? cte.name, columnNames: columnNames),
                        lateral: false))
            }
            if let view = tables.view(name) { return try bindView(view, alias: alias, location: location) }
            guard let table = tables[name] else {
                throw BindError(.undefinedTable, "relation \"\(name)\" does not exist", location: location)
            }
            let qualifier = alias?.name ?? name.name
            if let alias, alias.columnNames.count > table.columns.count {
                throw BindError(
                    .invalidColumnReference,
                    "table \"\(qualifier)\" has \(table.columns.count) columns available but \(alias.columnNames.count) columns specified",
                    location: location)
            }
            let scope = table.columns.enumerated().map { index, column in
                let name = alias.flatMap { index < $0.columnNames.count ? $0.columnNames[index] : nil } ?? column.name
                return ScopeColumn(qualifier: qualifier, name: name, type: column.type)
            }
            return (.scan(table: table, columns: Array(table.columns.indices), filter: nil), scope)
        case .subquery(let select, let alias, _):
            guard let alias else { throw BindError(.syntaxError, "subquery in FROM must have an alias") }
            let (plan, columns) = try bindQuery(select)
            if alias.columnNames.count > columns.count {
                throw BindError(
                    .invalidColumnReference,
                    "table \"\(alias.name)\" has \(columns.count) columns available but \(alias.columnNames.count) columns specified"
                )
            }
            let scope = columns.enumerated().map { index, column in
                ScopeColumn(
                    qualifier: alias.name,
                    name: index < alias.columnNames.count ? alias.columnNames[index] : column.name, type: column.type)
            }
            return (plan, scope)
        case .join(let kind, let left, let right, let condition, let using, let natural):
            return try bindJoin(
                kind: kind, left: left, right: right, condition: condition, using: using, natural: natural)
        }
    }

    // MARK: Output names

    /// PostgreSQL's column name for an unaliased select item.
    static func outputName(_ expression: ParsedExpression) -> String { figureName(expression)?.name ?? "?column?" }

    /// PostgreSQL's FigureColname: a name and how strongly the expression suggests it. Column
    /// references, functions and the like name themselves (2); a cast or `CASE` only offers its type
    /// name or `case` (1) when its operand names nothing better, so `x::text` stays `x`, while
    /// `2200::oid::text` is `text`.
    static func figureName(_ expression: ParsedExpression) -> (name: String, strength: Int)? {
        switch expression {
        case .column(let parts, _): return parts.last.map { ($0, 2) }
        case .function(let call): return (call.name.name, 2)
        case .cast(let inner, let type, _):
            if let named = figureName(inner), named.strength > 1 { return named }
            return type.names.last.map { ($0, 1) }
        case .caseWhen(_, _, let otherwise, _):
            if let otherwise, let named = figureName(otherwise), named.strength > 1 { return named }
            return ("case", 1)
        case .arrayConstructor: return ("array", 2)
        case .arrayElement(let array, _, _): return figureName(array)
        case .fieldSelection(_, let field, _): return (field, 2)
        case .row: return ("row", 2)
        case .grouping: return ("grouping", 2)
        case .subquery(let subquery):
            switch subquery.kind {
            case .exists: return ("exists", 2)
            case .array: return ("array", 2)
            case .scalar:
                // The subquery's own output name, even `?column?`, as PostgreSQL takes its resname.
                guard let first = subquery.select.targets.first, case .expression(let expression, let alias) = first
                else { return nil }
                return (alias ?? outputName(expression), 2)
            case .any, .all: return nil
            }
        case .coalesce: return ("coalesce", 2)
        case .nullIf: return ("nullif", 2)
        case .greatest: return ("greatest", 2)
        case .least: return ("least", 2)
        case .specialFunction(let function, _):
            switch function {
            case .currentDate: return ("current_date", 2)
            case .currentTime: return ("current_time", 2)
            case .currentTimestamp: return ("current_timestamp", 2)
            case .localTime: return ("localtime", 2)
            case .localTimestamp: return ("localtimestamp", 2)
            case .currentRole: return ("current_role", 2)
            case .currentUser: return ("current_user", 2)
            case .sessionUser: return ("session_user", 2)
            case .user: return ("current_user", 2)
            case .currentCatalog: return ("current_catalog", 2)
            case .currentSchema: return ("current_schema", 2)
            }
        default: return nil
        }
    }

}
