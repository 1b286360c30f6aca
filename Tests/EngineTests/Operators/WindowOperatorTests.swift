import Testing

@testable import Engine

/// Window functions over a small hand-checked table (expected values worked out by hand with
/// PostgreSQL's rules).
@Suite struct WindowOperatorTests {
    let context = EvaluationContext()
    let types: [DataType] = [.text, .int32, .int64, .int32]
    let g = Rows.column(0, .text)
    let x = Rows.column(1, .int32)
    let v = Rows.column(2, .int64)
    let id = Rows.column(3, .int32)

    /// (g text, x int4, v int8, id int4): partitions "a" (a tie on x and a NULL x), "b" (a NULL v) and NULL.
    let rows: [[Value]] = [
        [.text("a"), .int32(1), .int64(10), .int32(0)], [.text("a"), .int32(2), .int64(20), .int32(1)],
        [.text("a"), .int32(2), .int64(30), .int32(2)], [.text("a"), .null, .int64(40), .int32(3)],
        [.text("b"), .int32(5), .null, .int32(4)], [.text("b"), .int32(3), .int64(60), .int32(5)],
        [.null, .int32(7), .int64(70), .int32(6)],
    ]

    func call(_ function: WindowFunction, _ arguments: [Expression] = [], frame: WindowFrame = .default, type: DataType)
        -> WindowFunctionCall
    {
        WindowFunctionCall(
            function: function, arguments: arguments, partitionBy: [g], orderBy: [SortKey(x)], frame: frame,
            resultType: type)
    }

    /// The `id` column and the function columns of every output row.
    func run(_ calls: [WindowFunctionCall], sortGroups: [Int]? = nil, batchSize: Int = 3) async throws -> [[Value]] {
        let op = WindowOperator(
            input: Rows.stream(types, rows, batchSize: batchSize), functions: calls,
            sortGroups: sortGroups ?? calls.map { _ in 0 },
            context: context, cancellation: QueryCancellation())
        return try await Rows.collect(op).map { Array($0[3...]) }
    }

    func column(_ result: [[Value]], _ index: Int) -> [Value] { result.map { $0[index] } }

    @Test func rankingFunctionsSeeTiesAndPartitions() async throws {
        let result = try await run([
            call(.rowNumber, type: .int64), call(.rank, type: .int64), call(.denseRank, type: .int64),
            call(.percentRank, type: .float64), call(.cumeDist, type: .float64),
            call(.ntile, [.constant(.int32(3), .int32)], type: .int32),
        ])
        #expect(column(result, 0) == [0, 1, 2, 3, 5, 4, 6].map { .int32($0) })
        #expect(column(result, 1) == [1, 2, 3, 4, 1, 2, 1].map { .int64($0) })
        #expect(column(result, 2) == [1, 2, 2, 4, 1, 2, 1].map { .int64($0) })
        #expect(column(result, 3) == [1, 2, 2, 3, 1, 2, 1].map { .int64($0) })
        #expect(column(result, 4) == [0, 1.0 / 3, 1.0 / 3, 1, 0, 1, 0].map { .float64($0) })
        #expect(column(result, 5) == [0.25, 0.75, 0.75, 1, 0.5, 1, 1].map { .float64($0) })
        #expect(column(result, 6) == [1, 1, 2, 3, 1, 2, 1].map { .int32($0) })
    }

    @Test func ntileGivesTheFirstBucketsTheExtraRows() async throws {
        let calls = [
            WindowFunctionCall(
                function: .ntile, arguments: [.constant(.int32(3), .int32)], orderBy: [SortKey(id)], resultType: .int32)
        ]
        let result = try await run(calls)
        #expect(column(result, 1) == [1, 1, 1, 2, 2, 3, 3].map { .int32($0) })
        let failing = [
            WindowFunctionCall(function: .ntile, arguments: [.constant(.int32(0), .int32)], resultType: .int32)
        ]
        await #expect(
            throws: EngineError(.invalidArgumentForNtileFunction, "argument of ntile must be greater than zero")
        ) {
            try await run(failing)
        }
    }

    @Test func lagAndLeadWithOffsetsAndDefaults() async throws {
        let result = try await run([
            call(.lag, [v], type: .int64),
            call(.lead, [v, .constant(.int32(2), .int32), .constant(.int64(-1), .int64)], type: .int64),
            call(.lag, [v, .constant(.int32(-1), .int32)], type: .int64),
            call(.lead, [v, .constant(.null, .int32), .constant(.int64(-1), .int64)], type: .int64),
        ])
        #expect(column(result, 1) == [.null, .int64(10), .int64(20), .int64(30), .null, .int64(60), .null])
        #expect(
            column(result, 2) == [.int64(30), .int64(40), .int64(-1), .int64(-1), .int64(-1), .int64(-1), .int64(-1)])
        #expect(column(result, 3) == [.int64(20), .int64(30), .int64(40), .null, .null, .null, .null])
        #expect(column(result, 4) == Array(repeating: .null, count: 7))
    }

    @Test func defaultFrameEndsWithTheCurrentRowsPeers() async throws {
        let result = try await run([
            call(.aggregate(try AggregateCall(.sum, arguments: [v])), type: .numeric(precision: nil, scale: 0)),
            call(.aggregate(try AggregateCall(.count, arguments: [v])), type: .int64),
            call(.firstValue, [v], type: .int64), call(.lastValue, [v], type: .int64),
        ])
        #expect(column(result, 1) == [10, 60, 60, 100, 60, 60, 70].map { .decimal($0) })
        #expect(column(result, 2) == [1, 3, 3, 4, 1, 1, 1].map { .int64($0) })
        #expect(column(result, 3) == [10, 10, 10, 10, 60, 60, 70].map { .int64($0) })
        #expect(column(result, 4) == [.int64(10), .int64(30), .int64(30), .int64(40), .int64(60), .null, .int64(70)])
    }

    @Test func rowsFramesSlide() async throws {
        let around = WindowFrame(
            mode: .rows, start: .preceding(offset: .constant(.int64(1), .int64), limit: nil),
            end: .following(offset: .constant(.int64(1), .int64), limit: nil))
        let whole = WindowFrame(mode: .rows, start: .unboundedPreceding, end: .unboundedFollowing)
        let result = try await run([
            call(.aggregate(try AggregateCall(.min, arguments: [x])), frame: around, type: .int32),
            call(.aggregate(try AggregateCall(.max, arguments: [x])), frame: around, type: .int32),
            call(.nthValue, [v, .constant(.int32(2), .int32)], frame: whole, type: .int64),
            call(
                .aggregate(
                    try AggregateCall(.stringAgg, arguments: [.cast(x, to: .text), .constant(.text(","), .text)])),
                frame: around, type: .text),
        ])
        #expect(column(result, 1) == [1, 1, 2, 2, 3, 3, 7].map { .int32($0) })
        #expect(column(result, 2) == [2, 2, 2, 2, 5, 5, 7].map { .int32($0) })
        #expect(column(result, 3) == [.int64(20), .int64(20), .int64(20), .int64(20), .null, .null, .null])
        #expect(column(result, 4) == ["1,2", "1,2,2", "2,2", "2", "3,5", "3,5", "7"].map { .text($0) })
    }

    @Test func filterLimitsAnAggregatesRows() async throws {
        let big = Expression.comparison(.greater, v, .constant(.int64(15), .int64))
        let whole = WindowFrame(mode: .rows, start: .unboundedPreceding, end: .unboundedFollowing)
        let result = try await run([
            call(.aggregate(try AggregateCall(.countStar, filter: big)), frame: whole, type: .int64),
            call(
                .aggregate(try AggregateCall(.avg, arguments: [v], filter: big)), frame: whole,
                type: .variableScaleNumeric),
        ])
        #expect(column(result, 1) == [3, 3, 3, 3, 1, 1, 1].map { .int64($0) })
        let averages = try [30, 30, 30, 30, 60, 60, 70].map {
            Value.decimal(try ScaledDecimal.parse("\($0).0000000000000000").packed)
        }
        #expect(column(result, 2) == averages)
    }

    @Test func rowsComeOutInTheLastSortsOrder() async throws {
        let byDescendingId = WindowFunctionCall(
            function: .rowNumber, orderBy: [SortKey(id, descending: true)], resultType: .int64)
        let result = try await run([call(.rowNumber, type: .int64), byDescendingId], sortGroups: [0, 1])
        #expect(column(result, 0) == (0..<7).reversed().map { .int32(Int32($0)) })
        #expect(column(result, 1) == [1, 1, 2, 4, 3, 2, 1].map { .int64($0) })
        #expect(column(result, 2) == (1...7).map { .int64($0) })
        let unordered = WindowFunctionCall(function: .aggregate(try AggregateCall(.countStar)), resultType: .int64)
        let whole = try await run([byDescendingId, unordered], sortGroups: [0, 1], batchSize: 2)
        #expect(column(whole, 0) == (0..<7).map { .int32(Int32($0)) })
        #expect(column(whole, 2) == Array(repeating: .int64(7), count: 7))
    }

    @Test func emptyInputGivesNoRows() async throws {
        let op = WindowOperator(
            input: Rows.stream(types, []), functions: [call(.rowNumber, type: .int64)], context: context,
            cancellation: QueryCancellation())
        #expect(try await Rows.collect(op).isEmpty)
    }

    @Test func badOffsetsAreErrors() async throws {
        func frame(_ offset: Value) -> WindowFrame {
            WindowFrame(mode: .rows, start: .preceding(offset: .constant(offset, .int64), limit: nil), end: .currentRow)
        }
        let sum = WindowFunction.aggregate(try AggregateCall(.sum, arguments: [v]))
        await #expect(
            throws: EngineError(.invalidPrecedingOrFollowingSize, "frame starting offset must not be negative")
        ) {
            try await run([call(sum, frame: frame(.int64(-1)), type: .numeric(precision: nil, scale: 0))])
        }
        await #expect(throws: EngineError(.nullValueNotAllowed, "frame starting offset must not be null")) {
            try await run([call(sum, frame: frame(.null), type: .numeric(precision: nil, scale: 0))])
        }
        await #expect(
            throws: EngineError(.invalidArgumentForNthValueFunction, "argument of nth_value must be greater than zero")
        ) {
            try await run([call(.nthValue, [v, .constant(.int32(0), .int32)], type: .int64)])
        }
    }
}
