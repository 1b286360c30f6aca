import Engine
import SQL

/// Window function calls. Like aggregates, they are collected while the select list and ORDER BY
/// are bound, each replaced by a placeholder column (see `Binder.windowPlaceholder`); once grouping
/// has been planned, a `LogicalPlan.window` node computes them over the grouped rows and the
/// placeholders become its columns.
extension Binder {
    /// Placeholder columns of window calls lie below this index (aggregate placeholders above it).
    static let windowPlaceholderBase = -(1 << 40)

    /// The placeholder column index of the query's `index`-th window call.
    static func windowPlaceholder(_ index: Int) -> Int { windowPlaceholderBase - index }

    /// The window call a column index stands for, if it is a window placeholder.
    static func windowCallIndex(_ column: Int) -> Int? {
        column <= windowPlaceholderBase ? windowPlaceholderBase - column : nil
    }

    /// The query's `WINDOW` definitions by name, each resolved against the ones before it.
    func windowDefinitions(_ definitions: [WindowSpecification]) throws(BindError) -> [String: WindowSpecification] {
        var resolved: [String: WindowSpecification] = [:]
        for definition in definitions {
            guard let name = definition.name else { continue }
            if resolved[name] != nil {
                throw BindError(.windowingError, "window \"\(name)\" is already defined", location: definition.location)
            }
            var unnamed = definition
            unnamed.name = nil
            resolved[name] = try resolveWindow(unnamed, definitions: resolved)
        }
        return resolved
    }

    /// A window with any named window it refers to filled in, as PostgreSQL copies one: `OVER w`
    /// takes `w` whole; `OVER (w ...)` takes its PARTITION BY and ORDER BY and may add an ORDER BY
    /// and a frame.
    func resolveWindow(_ window: WindowSpecification, definitions: [String: WindowSpecification]) throws(BindError)
        -> WindowSpecification
    {
        if window.isReference, let name = window.name {
            guard let definition = definitions[name] else {
                throw BindError(.undefinedObject, "window \"\(name)\" does not exist", location: window.location)
            }
            return definition
        }
        guard let baseName = window.baseName else { return window }
        guard let base = definitions[baseName] else {
            throw BindError(.undefinedObject, "window \"\(baseName)\" does not exist", location: window.location)
        }
        if !window.partitionBy.isEmpty {
            throw BindError(
                .windowingError, "cannot override PARTITION BY clause of window \"\(baseName)\"",
                location: window.location)
        }
        if !window.orderBy.isEmpty, !base.orderBy.isEmpty {
            throw BindError(
                .windowingError, "cannot override ORDER BY clause of window \"\(baseName)\"", location: window.location)
        }
        if base.frame != nil {
            let bare = window.orderBy.isEmpty && window.frame == nil
            throw BindError(
                .windowingError, "cannot copy window \"\(baseName)\" because it has a frame clause",
                hint: bare ? "Omit the parentheses in this OVER clause." : nil, location: window.location)
        }
        return WindowSpecification(
            partitionBy: base.partitionBy, orderBy: window.orderBy.isEmpty ? base.orderBy : window.orderBy,
            frame: window.frame, location: window.location)
    }

    /// Binds each `WINDOW` definition once and drops the result, so that errors in a definition no
    /// call uses are reported, as PostgreSQL reports them; calls bind the definitions they use.
    mutating func checkWindowDefinitions(_ definitions: [WindowSpecification], scope: [ScopeColumn]) throws(BindError) {
        guard let state = aggregation, !definitions.isEmpty else { return }
        defer { aggregation = state }
        aggregation?.windowsForbidden = BindError(
            .windowingError, "window functions are not allowed in window definitions")
        for name in definitions.compactMap(\.name) {
            guard let window = state.windowDefinitions[name] else { continue }
            _ = try bindWindow(window, scope: scope)
        }
    }

    /// A window's PARTITION BY, ORDER BY and frame, bound over `scope`.
    private mutating func bindWindow(_ window: WindowSpecification, scope: [ScopeColumn]) throws(BindError)
        -> (partitionBy: [BoundExpression], orderBy: [SortKey], frame: WindowFrame)
    {
        let partitionBy = try window.partitionBy.map { expression throws(BindError) in
            try coerceUnknownToText(try bind(expression, scope: scope), location: expression.location)
        }
        let orderBy = try window.orderBy.map { item throws(BindError) in
            SortKey(
                try coerceUnknownToText(try bind(item.expression, scope: scope), location: item.expression.location),
                descending: item.descending, nullsFirst: item.nullsFirst)
        }
        return (
            partitionBy, orderBy, try bindFrame(window.frame, orderBy: orderBy, scope: scope, location: window.location)
        )
    }

    /// Binds `name(...) OVER window` and stands a placeholder in for its result.
    mutating func bindWindowFunction(
        _ call: FunctionCall, name: String, over window: WindowSpecification, scope: [ScopeColumn]
    )
        throws(BindError) -> BoundExpression
    {
        guard let state = aggregation else {
            throw BindError(
                .windowingError, "window functions are not allowed in \(clauseWithoutAggregates)",
                location: call.location)
        }
        if state.insideCall {
            throw BindError(
                .groupingError, "aggregate function calls cannot contain window function calls", location: call.location
            )
        }
        if var forbidden = state.windowsForbidden {
            forbidden.location = call.location
            throw forbidden
        }
        guard state.windows != nil else {
            throw BindError(
                .featureNotSupported, "window functions are not supported in this subquery yet", location: call.location
            )
        }
        defer { aggregation?.windowsForbidden = nil }
        let spec = try resolveWindow(window, definitions: state.windowDefinitions)
        aggregation?.windowsForbidden = BindError(
            .windowingError, "window functions are not allowed in window definitions")
        let (partitionBy, orderBy, frame) = try bindWindow(spec, scope: scope)
        aggregation?.windowsForbidden = BindError(.windowingError, "window function calls cannot be nested")
        let function: WindowFunction
        var arguments: [BoundExpression] = []
        let resultType: DataType
        if let aggregate = call.star && name == "count" ? .countStar : AggregateFunction(name: name) {
            if call.withinGroup || aggregate.isOrderedSet {
                throw BindError(
                    .featureNotSupported, "OVER is not supported for ordered-set aggregate \(name)",
                    location: call.location)
            }
            if call.distinct {
                throw BindError(
                    .featureNotSupported, "DISTINCT is not implemented for window functions", location: call.location)
            }
            if !call.orderBy.isEmpty {
                throw BindError(
                    .featureNotSupported, "aggregate ORDER BY is not implemented for window functions",
                    location: call.location)
            }
            let bound = try bindAggregateCall(aggregate, call, scope: scope)
            function = .aggregate(bound)
            resultType = bound.resultType
        } else if let windowFunction = WindowFunction(name: name) {
            if call.distinct || call.star || call.withinGroup || !call.orderBy.isEmpty {
                throw BindError(.wrongObjectType, "\(name) is not an aggregate function", location: call.location)
            }
            if call.filter != nil {
                throw BindError(
                    .featureNotSupported, "FILTER is not implemented for non-aggregate window functions",
                    location: call.location)
            }
            function = windowFunction
            arguments = try call.arguments.map { argument throws(BindError) in try bind(argument, scope: scope) }
            (arguments, resultType) = try windowFunctionSignature(
                windowFunction, name: name, arguments, location: call.location)
        } else {
            throw BindError(
                .wrongObjectType, "OVER specified, but \(name) is not a window function nor an aggregate function",
                location: call.location)
        }
        let index = state.windows?.count ?? 0
        aggregation?.windows?.append(
            WindowFunctionCall(
                function: function, arguments: arguments, partitionBy: partitionBy, orderBy: orderBy, frame: frame,
                resultType: resultType))
        return .column(index: Self.windowPlaceholder(index), type: resultType)
    }

    /// The arguments coerced as the function takes them, and its result type.
    private mutating func windowFunctionSignature(
        _ function: WindowFunction, name: String, _ arguments: [BoundExpression], location: Int
    ) throws(BindError) -> ([BoundExpression], DataType) {
        var arguments = arguments
        let missing = noFunction(name, arguments, location: location)
        func integer(_ index: Int) throws(BindError) {
            guard [.int16, .int32, .unknown].contains(arguments[index].type) else { throw missing }
            arguments[index] = try coerce(arguments[index], to: .int32, clause: name, location: location)
        }
        func polymorphic(_ index: Int) throws(BindError) {
            if arguments[index].type == .unknown {
                throw BindError(
                    .datatypeMismatch, "could not determine polymorphic type because input has type unknown",
                    location: location)
            }
        }
        switch function {
        case .rowNumber:
            guard arguments.isEmpty else { throw missing }
            return (arguments, .int64)
        case .rank, .denseRank, .percentRank, .cumeDist:
            if !arguments.isEmpty {
                // With arguments these name PostgreSQL's hypothetical-set aggregates.
                throw BindError(
                    .wrongObjectType, "WITHIN GROUP is required for ordered-set aggregate \(name)", location: location)
            }
            if case .rank = function { return (arguments, .int64) }
            if case .denseRank = function { return (arguments, .int64) }
            return (arguments, .float64)
        case .ntile:
            guard arguments.count == 1 else { throw missing }
            try integer(0)
            return (arguments, .int32)
        case .lag, .lead:
            guard (1...3).contains(arguments.count) else { throw missing }
            if arguments.count > 1 { try integer(1) }
            // The value and the default resolve to one type (`anycompatible`), or no such function exists.
            guard
                let type = try? commonType(
                    [arguments[0].type] + (arguments.count > 2 ? [arguments[2].type] : []), context: name,
                    location: location)
            else { throw missing }
            arguments[0] = try coerce(arguments[0], to: type, clause: name, location: location)
            if arguments.count > 2 {
                arguments[2] = try coerce(arguments[2], to: type, clause: name, location: location)
            }
            return (arguments, type)
        case .firstValue, .lastValue:
            guard arguments.count == 1 else { throw missing }
            try polymorphic(0)
            return (arguments, arguments[0].type)
        case .nthValue:
            guard arguments.count == 2 else { throw missing }
            try integer(1)
            try polymorphic(0)
            return (arguments, arguments[0].type)
        case .aggregate:
            preconditionFailure("aggregates are bound by bindAggregateCall")
        }
    }

    private mutating func coerceUnknownToText(_ expression: BoundExpression, location: Int?) throws(BindError)
        -> BoundExpression
    {
        expression.type == .unknown ? try coerce(expression, to: .text, clause: nil, location: location) : expression
    }

    // MARK: Frames

    /// The frame clause with its offsets bound; PostgreSQL's default frame when there is none.
    private mutating func bindFrame(
        _ clause: WindowFrameClause?, orderBy: [SortKey], scope: [ScopeColumn], location: Int
    )
        throws(BindError) -> WindowFrame
    {
        guard let clause else { return .default }
        if clause.exclusion != .noOthers {
            throw BindError(
                .featureNotSupported, "EXCLUDE \(clause.exclusion.rawValue) in window frames is not supported yet",
                location: location)
        }
        let mode: WindowFrame.Mode
        switch clause.mode {
        case .rows: mode = .rows
        case .range: mode = .range
        case .groups: mode = .groups
        }
        if mode == .groups, orderBy.isEmpty {
            throw BindError(.windowingError, "GROUPS mode requires an ORDER BY clause", location: location)
        }
        var frame = WindowFrame(mode: mode, start: .unboundedPreceding, end: .currentRow)
        frame.start = try bindFrameBound(
            clause.start, mode: clause.mode, orderBy: orderBy, scope: scope, frame: &frame, location: location)
        frame.end = try bindFrameBound(
            clause.end, mode: clause.mode, orderBy: orderBy, scope: scope, frame: &frame, location: location)
        return frame
    }

    private mutating func bindFrameBound(
        _ bound: WindowFrameClause.Bound, mode: WindowFrameClause.Mode, orderBy: [SortKey], scope: [ScopeColumn],
        frame: inout WindowFrame, location: Int
    ) throws(BindError) -> WindowFrame.Bound {
        let offsetExpression: ParsedExpression
        let preceding: Bool
        switch bound {
        case .unboundedPreceding: return .unboundedPreceding
        case .unboundedFollowing: return .unboundedFollowing
        case .currentRow: return .currentRow
        case .preceding(let expression): (offsetExpression, preceding) = (expression, true)
        case .following(let expression): (offsetExpression, preceding) = (expression, false)
        }
        var offset = try bind(offsetExpression, scope: scope)
        if !offset.referencedColumns.isEmpty {
            throw BindError(
                .windowingError, "argument of \(mode.rawValue) must not contain variables",
                location: offsetExpression.location)
        }
        guard mode == .range else {
            guard offset.type.isNumeric || offset.type == .unknown else {
                throw BindError(
                    .datatypeMismatch,
                    "argument of \(mode.rawValue) must be type bigint, not type \(offset.type.sqlName)",
                    location: offsetExpression.location)
            }
            // As an assignment cast: a numeric offset is rounded to a row count.
            offset = try coerce(
                offset, to: .int64, clause: mode.rawValue, location: offsetExpression.location,
                explicit: offset.type.isNumeric)
            return preceding ? .preceding(offset: offset, limit: nil) : .following(offset: offset, limit: nil)
        }
        guard orderBy.count == 1 else {
            throw BindError(
                .windowingError, "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column",
                location: location)
        }
        let key = orderBy[0]
        let (rangeKey, rangeOffset) = try rangeOperands(key.expression, offset, location: offsetExpression.location)
        // A preceding row has a smaller key in ascending order, a larger one in descending order.
        let limit = try bindOperator(preceding != key.descending ? "-" : "+", rangeKey, rangeOffset, location: location)
        frame.rangeKey = try coerce(rangeKey, to: limit.type, clause: nil, location: location, explicit: true)
        return preceding ? .preceding(offset: rangeOffset, limit: limit) : .following(offset: rangeOffset, limit: limit)
    }

    /// The sort key and offset of a RANGE frame in the types the frame's limits are computed in,
    /// following PostgreSQL's `in_range` support: integers and numerics add exactly (integers as
    /// numeric, so limits near the ends of the type do not overflow), floats as double precision,
    /// dates and times an interval.
    private mutating func rangeOperands(_ key: BoundExpression, _ offset: BoundExpression, location: Int?)
        throws(BindError)
        -> (key: BoundExpression, offset: BoundExpression)
    {
        func unsupported() -> BindError {
            BindError(
                .featureNotSupported,
                "RANGE with offset PRECEDING/FOLLOWING is not supported for column type \(key.type.sqlName) and offset type \(offset.type.sqlName)",
                hint: "Cast the offset value to an appropriate type.", location: location)
        }
        let exact = DataType.numeric(precision: nil, scale: 0)
        var offset = offset
        if offset.type == .unknown, key.type.isNumeric {
            offset = try coerce(offset, to: key.type, clause: nil, location: location)
        }
        switch key.type {
        case .int16, .int32, .int64:
            guard offset.type.isInteger else { throw unsupported() }
            return (
                try coerce(key, to: exact, clause: nil, location: location, explicit: true),
                try coerce(offset, to: exact, clause: nil, location: location, explicit: true)
            )
        case .numeric:
            guard offset.type.isInteger || offset.type.isNumericDecimal, !key.type.isVariableScaleNumeric,
                !offset.type.isVariableScaleNumeric
            else { throw unsupported() }
            let offsetType = offset.type.isNumericDecimal ? offset.type : exact
            return (key, try coerce(offset, to: offsetType, clause: nil, location: location, explicit: true))
        case .float32, .float64:
            guard offset.type.isNumeric else { throw unsupported() }
            return (
                try coerce(key, to: .float64, clause: nil, location: location, explicit: true),
                try coerce(offset, to: .float64, clause: nil, location: location, explicit: true)
            )
        case .date, .timestamp, .timestamptz, .interval:
            guard offset.type == .interval || offset.type == .unknown else { throw unsupported() }
            return (key, try coerce(offset, to: .interval, clause: nil, location: location))
        default:
            throw BindError(
                .featureNotSupported,
                "RANGE with offset PRECEDING/FOLLOWING is not supported for column type \(key.type.sqlName)",
                location: location)
        }
    }

    // MARK: Planning

    /// `plan` with a window node computing `calls` on top, and the placeholders in `expressions`
    /// replaced by the node's columns.
    func placeWindows(_ calls: [WindowFunctionCall], over plan: LogicalPlan, expressions: inout [BoundExpression])
        -> LogicalPlan
    {
        let width = plan.outputTypes.count
        func resolve(_ expression: BoundExpression) -> BoundExpression {
            if case .column(let column, let type) = expression, let index = Self.windowCallIndex(column) {
                return .column(index: width + index, type: type)
            }
            return expression.mappingChildren(resolve)
        }
        expressions = expressions.map(resolve)
        return .window(plan, functions: calls)
    }
}

extension BoundExpression {
    /// True when a window function placeholder appears in the expression.
    var containsWindowPlaceholder: Bool { referencedColumns.contains { Binder.windowCallIndex($0) != nil } }
}
