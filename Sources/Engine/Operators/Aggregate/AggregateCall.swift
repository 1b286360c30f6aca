/// The aggregate functions the engine computes. Aliases (`stddev`, `variance`) map to their PostgreSQL
/// meaning through `init?(name:)`.
public enum AggregateFunction: String, Sendable, CaseIterable {
    case countStar = "count(*)"
    case count, sum, avg, min, max
    case boolAnd = "bool_and"
    case boolOr = "bool_or"
    case every
    case stringAgg = "string_agg"
    case arrayAgg = "array_agg"
    case stddevSamp = "stddev_samp"
    case stddevPop = "stddev_pop"
    case varSamp = "var_samp"
    case varPop = "var_pop"
    /// Ordered-set aggregate: `percentile_cont(fraction) WITHIN GROUP (ORDER BY x)`.
    case percentileCont = "percentile_cont"
    /// Ordered-set aggregate: `percentile_disc(fraction) WITHIN GROUP (ORDER BY x)`.
    case percentileDisc = "percentile_disc"
    /// Ordered-set aggregate: `mode() WITHIN GROUP (ORDER BY x)`, the most frequent value (the
    /// first in that order on a tie).
    case mode

    /// The ordered-set aggregates, written `f(...) WITHIN GROUP (ORDER BY x)`.
    public var isOrderedSet: Bool { self == .percentileCont || self == .percentileDisc || self == .mode }

    /// The function a SQL name refers to (`count` with no arguments is the binder's `countStar`).
    public init?(name: String) {
        switch name.lowercased() {
        case "stddev": self = .stddevSamp
        case "variance": self = .varSamp
        default: self.init(rawValue: name.lowercased())
        }
    }

    /// Whether partial states can be merged, so a partial/final split (parallel pre-aggregation) works.
    public var isDecomposable: Bool {
        switch self {
        case .stringAgg, .arrayAgg, .percentileCont, .percentileDisc, .mode: return false
        default: return true
        }
    }
}

/// One aggregate in a `HashAggregateOperator`.
///
/// Ordinary aggregates take their inputs in `arguments`. Ordered-set aggregates follow SQL's shape:
/// `percentile_cont(0.5) WITHIN GROUP (ORDER BY x)` has `arguments == [0.5]` and `orderBy == [x]`.
/// `string_agg(x, ',' ORDER BY y)` has `arguments == [x, ',']` and `orderBy == [y]`.
/// In `.final` mode `arguments` instead point at the aggregate's state columns (see `stateTypes`), while
/// `inputTypes` keep the original argument types.
public struct AggregateCall: Sendable {
    public var function: AggregateFunction
    public var arguments: [Expression]
    public var distinct: Bool
    /// `FILTER (WHERE ...)`: only rows where it is TRUE reach the aggregate.
    public var filter: Expression?
    /// `ORDER BY` inside the call (string_agg, array_agg) or the WITHIN GROUP order (percentiles).
    public var orderBy: [SortKey]
    /// Types of the original arguments (for percentiles: the fraction, then the ordered value).
    public var inputTypes: [DataType]
    public var resultType: DataType

    /// A call whose result type is derived as PostgreSQL derives it; throws `42883` for unknown signatures.
    public init(
        _ function: AggregateFunction, arguments: [Expression] = [], distinct: Bool = false,
        filter: Expression? = nil, orderBy: [SortKey] = []
    ) throws(EngineError) {
        self.function = function
        self.arguments = arguments
        self.distinct = distinct
        self.filter = filter
        self.orderBy = orderBy
        let ordered = function.isOrderedSet
        self.inputTypes = arguments.map(\.type) + (ordered ? orderBy.map(\.expression.type) : [])
        self.resultType = try Self.resultType(function, argumentTypes: inputTypes)
    }

    /// Scale of `variance` and `stddev` results over integers and fixed-scale numerics (or the input
    /// scale if larger). PostgreSQL picks the scale per value so that 16 significant digits show, as
    /// `avg` here does through `ScaledDecimal`; these still fix 16 fractional digits.
    public static let fractionalScale = 16

    /// The result type of `function` over arguments of `argumentTypes`, as PostgreSQL resolves it.
    public static func resultType(_ function: AggregateFunction, argumentTypes: [DataType]) throws(EngineError)
        -> DataType
    {
        func missing() -> EngineError {
            let name = function == .countStar ? "count" : function.rawValue
            return EngineError(
                .undefinedFunction,
                "function \(name)(\(argumentTypes.map(\.sqlName).joined(separator: ", "))) does not exist",
                hint:
                    "No function matches the given name and argument types. You might need to add explicit type casts.")
        }
        let first = argumentTypes.first
        if function == .sum || function == .avg, first == .interval {
            throw EngineError(.featureNotSupported, "\(function.rawValue)(interval) is not supported yet")
        }
        switch function {
        case .countStar:
            guard argumentTypes.isEmpty else { throw missing() }
            return .int64
        case .count:
            guard argumentTypes.count == 1 else { throw missing() }
            return .int64
        case .sum:
            switch first {
            case .int16?, .int32?: return .int64
            case .int64?: return .numeric(precision: nil, scale: 0)
            case .numeric(_, let scale)?: return .numeric(precision: nil, scale: scale)
            case .float32?: return .float32
            case .float64?: return .float64
            default: throw missing()
            }
        case .avg:
            // PostgreSQL's avg is numeric_div(sum, count), whose scale depends on the values.
            switch first {
            case .int16?, .int32?, .int64?, .numeric?: return .variableScaleNumeric
            case .float32?, .float64?: return .float64
            default: throw missing()
            }
        case .stddevSamp, .stddevPop, .varSamp, .varPop:
            if first?.isVariableScaleNumeric == true {
                throw EngineError(
                    .featureNotSupported,
                    "\(function.rawValue) of numeric values without a declared scale is not supported yet",
                    hint: "Cast the argument to numeric(p, s) or double precision.")
            }
            switch first {
            case .int16?, .int32?, .int64?: return .numeric(precision: nil, scale: fractionalScale)
            case .numeric(_, let scale?)?: return .numeric(precision: nil, scale: Swift.max(scale, fractionalScale))
            case .float32?, .float64?: return .float64
            default: throw missing()
            }
        case .min, .max:
            guard argumentTypes.count == 1, let first else { throw missing() }
            switch first.storageKind {
            case .int16, .int32, .uint32, .int64, .float32, .float64, .decimal, .interval: return first
            case .bytes where first.isString: return first == .unknown ? .text : first
            default: throw missing()
            }
        case .boolAnd, .boolOr, .every:
            guard argumentTypes == [.boolean] else { throw missing() }
            return .boolean
        case .stringAgg:
            guard argumentTypes.count == 2 else { throw missing() }
            if argumentTypes.allSatisfy({ $0 == .bytea }) { return .bytea }
            guard argumentTypes.allSatisfy(\.isString) else { throw missing() }
            return .text
        case .arrayAgg:
            guard argumentTypes.count == 1, let first else { throw missing() }
            if case .array = first {
                throw EngineError(.featureNotSupported, "array_agg of arrays is not supported yet")
            }
            return .array(first)
        case .percentileCont:
            guard argumentTypes == [.float64, .float64] else { throw missing() }
            return .float64
        case .mode:
            guard argumentTypes.count == 1 else { throw missing() }
            return argumentTypes[0]
        case .percentileDisc:
            guard argumentTypes.count == 2, argumentTypes[0] == .float64 else { throw missing() }
            return argumentTypes[1]
        }
    }

    /// The columns a partial aggregate emits and a final aggregate merges, in order.
    public var stateTypes: [DataType] {
        switch function {
        case .countStar, .count: return [.int64]
        case .sum, .min, .max, .boolAnd, .boolOr, .every: return [resultType]
        case .avg: return [SumAccumulator.sumType(inputTypes[0]), .int64]
        case .stddevSamp, .stddevPop, .varSamp, .varPop:
            if case .numeric(_, let scale?)? = inputTypes.first {
                return [.int64, .numeric(precision: nil, scale: scale), .numeric(precision: nil, scale: scale * 2)]
            }
            if inputTypes.first?.storageKind == .float32 || inputTypes.first?.storageKind == .float64 {
                return [.float64, .float64, .float64]
            }
            return [.int64, .numeric(precision: nil, scale: 0), .numeric(precision: nil, scale: 0)]
        case .stringAgg, .arrayAgg, .percentileCont, .percentileDisc, .mode: return [resultType]
        }
    }
}
