/// The functions a `WindowOperator` computes: PostgreSQL's built-in window functions and any
/// aggregate evaluated over a window frame.
public enum WindowFunction: Sendable {
    case rowNumber, rank, denseRank, percentRank, cumeDist
    /// `ntile(buckets)`.
    case ntile
    /// `lag(value [, offset [, default]])`, `lead(...)`.
    case lag, lead
    case firstValue, lastValue
    /// `nth_value(value, n)`.
    case nthValue
    /// An aggregate over each row's frame; its arguments and FILTER live in the call.
    case aggregate(AggregateCall)

    /// The window function a SQL name refers to (aggregates are looked up separately).
    public init?(name: String) {
        switch name.lowercased() {
        case "row_number": self = .rowNumber
        case "rank": self = .rank
        case "dense_rank": self = .denseRank
        case "percent_rank": self = .percentRank
        case "cume_dist": self = .cumeDist
        case "ntile": self = .ntile
        case "lag": self = .lag
        case "lead": self = .lead
        case "first_value": self = .firstValue
        case "last_value": self = .lastValue
        case "nth_value": self = .nthValue
        default: return nil
        }
    }

    /// The name EXPLAIN shows.
    public var name: String {
        switch self {
        case .rowNumber: return "row_number"
        case .rank: return "rank"
        case .denseRank: return "dense_rank"
        case .percentRank: return "percent_rank"
        case .cumeDist: return "cume_dist"
        case .ntile: return "ntile"
        case .lag: return "lag"
        case .lead: return "lead"
        case .firstValue: return "first_value"
        case .lastValue: return "last_value"
        case .nthValue: return "nth_value"
        case .aggregate(let call): return call.function.rawValue
        }
    }
}

/// Which rows of its partition each row's frame holds: `{ROWS | RANGE | GROUPS} BETWEEN start AND end`.
public struct WindowFrame: Sendable {
    public enum Mode: Sendable { case rows, range, groups }

    public enum Bound: Sendable {
        case unboundedPreceding
        case currentRow
        case unboundedFollowing
        /// `offset PRECEDING`. ROWS and GROUPS count rows or peer groups (`offset` is a bigint); in
        /// RANGE mode `offset` is a distance in the sort key's units and `limit` computes, per row, the
        /// `rangeKey` value the frame reaches (the key minus the offset, plus for a descending key).
        case preceding(offset: Expression, limit: Expression?)
        /// `offset FOLLOWING`, as `preceding`.
        case following(offset: Expression, limit: Expression?)
    }

    public var mode: Mode
    public var start: Bound
    public var end: Bound
    /// RANGE with an offset: the window's one sort key, converted to the type `limit` values have.
    public var rangeKey: Expression?

    public init(mode: Mode, start: Bound, end: Bound, rangeKey: Expression? = nil) {
        self.mode = mode
        self.start = start
        self.end = end
        self.rangeKey = rangeKey
    }

    /// PostgreSQL's default: `RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW` (the whole partition
    /// when the window has no ORDER BY, since every row is then a peer of every other).
    public static let `default` = WindowFrame(mode: .range, start: .unboundedPreceding, end: .currentRow)
}

/// One window function call: what to compute, over which partitions, in which order, over which frame.
public struct WindowFunctionCall: Sendable {
    public var function: WindowFunction
    /// The arguments of a non-aggregate window function (an aggregate's are in its `AggregateCall`).
    public var arguments: [Expression]
    public var partitionBy: [Expression]
    public var orderBy: [SortKey]
    public var frame: WindowFrame
    public var resultType: DataType

    public init(
        function: WindowFunction, arguments: [Expression] = [], partitionBy: [Expression] = [], orderBy: [SortKey] = [],
        frame: WindowFrame = .default, resultType: DataType
    ) {
        self.function = function
        self.arguments = arguments
        self.partitionBy = partitionBy
        self.orderBy = orderBy
        self.frame = frame
        self.resultType = resultType
    }

    /// Every expression the call reads, so a planner can find the input columns it needs.
    public var expressions: [Expression] {
        var all = arguments + partitionBy + orderBy.map(\.expression)
        if case .aggregate(let call) = function {
            all += call.arguments
            if let filter = call.filter { all.append(filter) }
        }
        for bound in [frame.start, frame.end] {
            switch bound {
            case .preceding(let offset, let limit), .following(let offset, let limit):
                all.append(offset)
                if let limit { all.append(limit) }
            default: break
            }
        }
        if let rangeKey = frame.rangeKey { all.append(rangeKey) }
        return all
    }

    /// The call with every expression replaced by `transform(expression)`.
    public func mappingExpressions<E: Error>(_ transform: (Expression) throws(E) -> Expression) throws(E)
        -> WindowFunctionCall
    {
        var call = self
        call.arguments = try arguments.map { e throws(E) in try transform(e) }
        call.partitionBy = try partitionBy.map { e throws(E) in try transform(e) }
        call.orderBy = try orderBy.map { key throws(E) in
            var key = key
            key.expression = try transform(key.expression)
            return key
        }
        if case .aggregate(var aggregate) = function {
            aggregate.arguments = try aggregate.arguments.map { e throws(E) in try transform(e) }
            aggregate.filter = try aggregate.filter.map { e throws(E) in try transform(e) }
            call.function = .aggregate(aggregate)
        }
        func mapBound(_ bound: WindowFrame.Bound) throws(E) -> WindowFrame.Bound {
            switch bound {
            case .preceding(let offset, let limit):
                return .preceding(
                    offset: try transform(offset), limit: try limit.map { e throws(E) in try transform(e) })
            case .following(let offset, let limit):
                return .following(
                    offset: try transform(offset), limit: try limit.map { e throws(E) in try transform(e) })
            default: return bound
            }
        }
        call.frame.start = try mapBound(frame.start)
        call.frame.end = try mapBound(frame.end)
        call.frame.rangeKey = try frame.rangeKey.map { e throws(E) in try transform(e) }
        return call
    }
}
