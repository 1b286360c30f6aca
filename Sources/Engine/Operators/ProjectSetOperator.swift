/// A set-returning function called in a select list: `unnest(array)`,
/// `generate_series(start, stop[, step])` over integers, `generate_subscripts(array, dim)`.
public struct SetReturningCall: Sendable {
    public enum Function: Sendable {
        case unnest, generateSeries, generateSubscripts
        /// `information_schema._pg_expandarray(array)`: records `(x, n)` of each element and its subscript.
        case expandArray
    }

    public var function: Function
    public var arguments: [Expression]
    public var resultType: DataType

    public init(_ function: Function, arguments: [Expression], resultType: DataType) {
        self.function = function
        self.arguments = arguments
        self.resultType = resultType
    }

    static let maximumSeriesLength: Int64 = 10_000_000

    /// The values the call returns for one row's arguments; `textOutput` prints record fields.
    func values(_ arguments: [Value], textOutput: TextOutput) throws(EngineError) -> [Value] {
        func integer(_ value: Value) -> Int64? {
            switch value {
            case .int16(let v): return Int64(v)
            case .int32(let v): return Int64(v)
            case .int64(let v): return v
            default: return nil
            }
        }
        switch function {
        case .unnest:
            guard case .array(let items) = arguments[0] else { return [] }
            return items
        case .expandArray:
            guard case .array(let items) = arguments[0], case .record(let fields) = resultType else { return [] }
            let elements = Column(type: fields[0].type, values: items)
            return items.indices.map { index in
                var record: [UInt8] = []
                let element =
                    elements.isNull(index) ? nil : ArraySlice(Array(textOutput.string(elements, at: index)!.utf8))
                RecordText.append(fields: [element, ArraySlice(String(index + 1).utf8)], to: &record)
                return .bytes(record)
            }
        case .generateSubscripts:
            guard case .array(let items) = arguments[0], integer(arguments[1]) == 1 else { return [] }
            let reversed = arguments.count > 2 && arguments[2] == .bool(true)
            let subscripts = (0..<items.count).map { Value.int32(Int32($0 + 1)) }
            return reversed ? subscripts.reversed() : subscripts
        case .generateSeries:
            guard let start = integer(arguments[0]), let stop = integer(arguments[1]) else { return [] }
            let step = arguments.count > 2 ? integer(arguments[2]) : 1
            guard let step else { return [] }
            guard step != 0 else { throw EngineError(.invalidParameterValue, "step size cannot equal zero") }
            let count =
                step > 0
                ? (stop >= start ? (stop - start) / step + 1 : 0) : (start >= stop ? (start - stop) / -step + 1 : 0)
            // The values are built per input row, so a huge series would have to fit in memory at once.
            guard count <= Self.maximumSeriesLength else {
                throw EngineError(
                    .programLimitExceeded,
                    "generate_series in a select list may return at most \(Self.maximumSeriesLength) values per row",
                    hint: "Call generate_series in FROM, where its values stream.")
            }
            let wrap: (Int64) -> Value = resultType == .int64 ? { .int64($0) } : { .int32(Int32($0)) }
            return (0..<count).map { wrap(start + $0 * step) }
        }
    }
}

/// PostgreSQL's ProjectSet: the input's columns followed by one column per set-returning call;
/// each input row becomes as many rows as its longest call returns, the shorter calls padded with
/// NULL and the input columns repeated.
public final class ProjectSetOperator: BatchStream {
    private let input: any BatchStream
    private let calls: [SetReturningCall]
    private let evaluator: ExpressionEvaluator
    private let cancellation: QueryCancellation

    public init(
        input: any BatchStream, calls: [SetReturningCall], evaluator: ExpressionEvaluator,
        cancellation: QueryCancellation
    ) {
        self.input = input
        self.calls = calls
        self.evaluator = evaluator
        self.cancellation = cancellation
    }

    public func next() async throws(EngineError) -> Batch? {
        while let batch = try await input.next() {
            try cancellation.check()
            let arguments = try calls.map { call throws(EngineError) in
                try call.arguments.map { argument throws(EngineError) in try evaluator.evaluate(argument, on: batch) }
            }
            var sources: [Int32] = []
            var outputs = calls.map { ColumnBuilder(type: $0.resultType, capacity: batch.rowCount) }
            for row in 0..<batch.rowCount {
                let results = try calls.indices.map { index throws(EngineError) in
                    try calls[index].values(
                        arguments[index].map { $0.value(at: row) }, textOutput: evaluator.context.textOutput)
                }
                let length = results.map(\.count).max() ?? 0
                for position in 0..<length {
                    sources.append(Int32(row))
                    for index in calls.indices {
                        outputs[index].append(position < results[index].count ? results[index][position] : .null)
                    }
                }
            }
            guard !sources.isEmpty else { continue }
            let repeated = batch.columns.map { $0.gather(sources) }
            return Batch(columns: repeated + outputs.map { $0.build() }, rowCount: sources.count)
        }
        return nil
    }
}
