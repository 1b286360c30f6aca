import Testing

@testable import Engine

@Suite struct HashAggregateOperatorTests {
    let context = EvaluationContext()
    let x = Rows.column(1, .int32)
    let key = Rows.column(0, .text)

    /// (g text, x int4): groups "a", "b" (x all NULL) and NULL.
    let rows: [[Value]] = [
        [.text("a"), .int32(1)], [.text("b"), .null], [.text("a"), .int32(3)], [.null, .int32(5)],
        [.text("b"), .null], [.null, .int32(7)], [.text("a"), .null],
    ]

    func aggregate(
        _ types: [DataType], _ rows: [[Value]], keys: [Expression], _ calls: [AggregateCall], batchSize: Int = 3
    ) async throws -> [[Value]] {
        let op = try HashAggregateOperator(
            input: Rows.stream(types, rows, batchSize: batchSize), groupKeys: keys, aggregates: calls, context: context,
            cancellation: QueryCancellation())
        return try await Rows.collect(op)
    }

    /// A numeric with its own scale, as `avg` returns them.
    func scaled(_ text: String) throws -> Value { .decimal(try ScaledDecimal.parse(text).packed) }

    @Test func basicAggregatesGroupNullsTogether() async throws {
        let result = try await aggregate(
            [.text, .int32], rows, keys: [key],
            [
                try AggregateCall(.countStar), try AggregateCall(.count, arguments: [x]),
                try AggregateCall(.sum, arguments: [x]),
                try AggregateCall(.avg, arguments: [x]), try AggregateCall(.min, arguments: [x]),
                try AggregateCall(.max, arguments: [x]),
            ])
        #expect(
            result == [
                [.text("a"), .int64(3), .int64(2), .int64(4), try scaled("2.0000000000000000"), .int32(1), .int32(3)],
                [.text("b"), .int64(2), .int64(0), .null, .null, .null, .null],
                [.null, .int64(2), .int64(2), .int64(12), try scaled("6.0000000000000000"), .int32(5), .int32(7)],
            ])
    }

    @Test func noGroupKeysOnEmptyInputGivesOneRow() async throws {
        let calls = [
            try AggregateCall(.countStar), try AggregateCall(.count, arguments: [x]),
            try AggregateCall(.sum, arguments: [x]),
            try AggregateCall(.avg, arguments: [x]), try AggregateCall(.max, arguments: [x]),
            try AggregateCall(.boolAnd, arguments: [.constant(.bool(true), .boolean)]),
            try AggregateCall(.stringAgg, arguments: [key, .constant(.text(","), .text)]),
            try AggregateCall(.arrayAgg, arguments: [x]), try AggregateCall(.varSamp, arguments: [x]),
            try AggregateCall(.count, arguments: [x], distinct: true),
        ]
        let result = try await aggregate([.text, .int32], [], keys: [], calls)
        #expect(result == [[.int64(0), .int64(0), .null, .null, .null, .null, .null, .null, .null, .int64(0)]])
        #expect(try await aggregate([.text, .int32], [], keys: [key], calls).isEmpty)
    }

    @Test func resultTypesFollowPostgreSQL() throws {
        #expect(try AggregateCall.resultType(.sum, argumentTypes: [.int32]) == .int64)
        #expect(try AggregateCall.resultType(.sum, argumentTypes: [.int64]) == .numeric(precision: nil, scale: 0))
        #expect(
            try AggregateCall.resultType(.sum, argumentTypes: [.numeric(precision: 15, scale: 2)])
                == .numeric(precision: nil, scale: 2))
        #expect(try AggregateCall.resultType(.avg, argumentTypes: [.int16]) == .variableScaleNumeric)
        #expect(
            try AggregateCall.resultType(.avg, argumentTypes: [.numeric(precision: 15, scale: 2)])
                == .variableScaleNumeric)
        #expect(try AggregateCall.resultType(.avg, argumentTypes: [.float32]) == .float64)
        #expect(try AggregateCall.resultType(.sum, argumentTypes: [.float32]) == .float32)
        #expect(
            try AggregateCall.resultType(.stddevSamp, argumentTypes: [.int64]) == .numeric(precision: nil, scale: 16))
        #expect(try AggregateCall.resultType(.arrayAgg, argumentTypes: [.text]) == .array(.text))
        #expect(try AggregateCall.resultType(.percentileDisc, argumentTypes: [.float64, .date]) == .date)
        #expect(
            throws: EngineError(
                .undefinedFunction, "function sum(text) does not exist",
                hint:
                    "No function matches the given name and argument types. You might need to add explicit type casts.")
        ) {
            try AggregateCall.resultType(.sum, argumentTypes: [.text])
        }
        #expect(throws: EngineError.self) { try AggregateCall.resultType(.min, argumentTypes: [.boolean]) }
        #expect(throws: EngineError(.featureNotSupported, "avg(interval) is not supported yet")) {
            try AggregateCall.resultType(.avg, argumentTypes: [.interval])
        }
        #expect(AggregateFunction(name: "stddev") == .stddevSamp)
        #expect(AggregateFunction(name: "VARIANCE") == .varSamp)
    }

    @Test func numericAverageIsPostgresDivision() async throws {
        let type = DataType.numeric(precision: 15, scale: 2)
        let values: [[Value]] = [[.decimal(100)], [.decimal(200)], [.decimal(200)], [.null]]
        let call = try AggregateCall(.avg, arguments: [Rows.column(0, type)])
        let sum = try AggregateCall(.sum, arguments: [Rows.column(0, type)])
        // (1.00 + 2.00 + 2.00) / 3 = 1.666…, rounded half away from zero at the scale numeric_div picks.
        #expect(
            try await aggregate([type], values, keys: [], [call, sum]) == [
                [try scaled("1.6666666666666667"), .decimal(500)]
            ])
        let negative: [[Value]] = [[.decimal(-100)], [.decimal(-200)], [.decimal(-200)]]
        #expect(try await aggregate([type], negative, keys: [], [call]) == [[try scaled("-1.6666666666666667")]])
        let large: [[Value]] = [[.decimal(1_234_567)], [.decimal(200)]]  // avg(12345.67, 2.00)
        #expect(try await aggregate([type], large, keys: [], [call]) == [[try scaled("6173.8350000000000000")]])
    }

    @Test func overflowIsAnError() async throws {
        let type = DataType.numeric(precision: nil, scale: 0)
        let huge: [[Value]] = [[.decimal(Int128.max / 2 + 1)], [.decimal(Int128.max / 2 + 1)]]
        await #expect(throws: EngineError(.numericValueOutOfRange, "numeric value out of range")) {
            try await aggregate([type], huge, keys: [], [try AggregateCall(.sum, arguments: [Rows.column(0, type)])])
        }
        let bigints: [[Value]] = [[.int64(Int64.max)], [.int64(Int64.max)]]
        let sum = try await aggregate(
            [.int64], bigints, keys: [], [try AggregateCall(.sum, arguments: [Rows.column(0, .int64)])])
        #expect(sum == [[.decimal(Int128(Int64.max) * 2)]])
    }

    @Test func distinctAndFilter() async throws {
        let values: [[Value]] = [[.int32(1)], [.int32(1)], [.int32(2)], [.null], [.int32(2)], [.int32(3)]]
        let column = Rows.column(0, .int32)
        let overOne = Expression.comparison(.greater, column, .constant(.int32(1), .int32))
        let result = try await aggregate(
            [.int32], values, keys: [],
            [
                try AggregateCall(.count, arguments: [column], distinct: true),
                try AggregateCall(.sum, arguments: [column], distinct: true),
                try AggregateCall(.avg, arguments: [column], distinct: true),
                try AggregateCall(.countStar, filter: overOne),
                try AggregateCall(.sum, arguments: [column], filter: overOne),
                try AggregateCall(.count, arguments: [column], distinct: true, filter: overOne),
                try AggregateCall(.countStar, filter: .constant(.null, .boolean)),
            ])
        #expect(
            result == [
                [.int64(3), .int64(6), try scaled("2.0000000000000000"), .int64(3), .int64(7), .int64(2), .int64(0)]
            ])
    }

    @Test func booleanAggregates() async throws {
        let values: [[Value]] = [
            [.int32(1), .bool(true)], [.int32(1), .null], [.int32(1), .bool(false)], [.int32(2), .bool(true)],
            [.int32(3), .null],
        ]
        let flag = Rows.column(1, .boolean)
        let result = try await aggregate(
            [.int32, .boolean], values, keys: [Rows.column(0, .int32)],
            [
                try AggregateCall(.boolAnd, arguments: [flag]), try AggregateCall(.boolOr, arguments: [flag]),
                try AggregateCall(.every, arguments: [flag]),
            ])
        #expect(
            result == [
                [.int32(1), .bool(false), .bool(true), .bool(false)],
                [.int32(2), .bool(true), .bool(true), .bool(true)],
                [.int32(3), .null, .null, .null],
            ])
    }

    @Test func stringAggAndArrayAggRespectOrderBy() async throws {
        let values: [[Value]] = [
            [.text("b"), .int32(2)], [.text("a"), .int32(3)], [.null, .int32(1)], [.text("c"), .int32(4)],
        ]
        let word = Rows.column(0, .text)
        let rank = Rows.column(1, .int32)
        let comma = Expression.constant(.text(", "), .text)
        let result = try await aggregate(
            [.text, .int32], values, keys: [],
            [
                try AggregateCall(
                    .stringAgg, arguments: [word, comma], orderBy: [SortKey(word, descending: true, nullsFirst: false)]),
                try AggregateCall(.stringAgg, arguments: [word, comma], orderBy: [SortKey(rank)]),
                try AggregateCall(.arrayAgg, arguments: [word], orderBy: [SortKey(rank)]),
                try AggregateCall(.arrayAgg, arguments: [rank], orderBy: [SortKey(rank, descending: true)]),
            ], batchSize: 2)
        #expect(
            result == [
                [
                    .text("c, b, a"), .text("b, a, c"), .array([.null, .text("b"), .text("a"), .text("c")]),
                    .array([.int32(4), .int32(3), .int32(2), .int32(1)]),
                ]
            ])
        let distinct = try await aggregate(
            [.text, .int32], values + values, keys: [],
            [try AggregateCall(.stringAgg, arguments: [word, comma], distinct: true, orderBy: [SortKey(word)])])
        #expect(distinct == [[.text("a, b, c")]])
    }

    @Test func varianceAndStandardDeviation() async throws {
        let values: [[Value]] = [
            [.int32(1), .float64(1)], [.int32(2), .float64(2)], [.int32(3), .float64(3)], [.int32(4), .float64(4)],
            [.null, .null],
        ]
        let integer = Rows.column(0, .int32)
        let float = Rows.column(1, .float64)
        let result = try await aggregate(
            [.int32, .float64], values, keys: [],
            [
                try AggregateCall(.varSamp, arguments: [integer]), try AggregateCall(.varPop, arguments: [integer]),
                try AggregateCall(.stddevSamp, arguments: [integer]), try AggregateCall(.varSamp, arguments: [float]),
                try AggregateCall(.stddevPop, arguments: [float]),
            ])
        // mean 2.5; squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5; 5/3 and 5/4.
        #expect(result[0][0] == .decimal(16_666_666_666_666_667))
        #expect(result[0][1] == .decimal(12_500_000_000_000_000))
        guard case .decimal(let stddev) = result[0][2], case .float64(let floatVariance) = result[0][3],
            case .float64(let floatStddev) = result[0][4]
        else { Issue.record("unexpected types \(result)"); return }
        #expect(abs(Double(stddev) / 1e16 - (5.0 / 3).squareRoot()) < 1e-14)
        #expect(abs(floatVariance - 5.0 / 3) < 1e-15)
        #expect(abs(floatStddev - 1.25.squareRoot()) < 1e-15)
        let single = try await aggregate(
            [.int32], [[.int32(7)]], keys: [],
            [
                try AggregateCall(.varSamp, arguments: [Rows.column(0, .int32)]),
                try AggregateCall(.varPop, arguments: [Rows.column(0, .int32)]),
            ])
        #expect(single == [[.null, .decimal(0)]])
    }

    @Test func percentiles() async throws {
        let values: [[Value]] = [[.float64(4)], [.float64(1)], [.null], [.float64(3)], [.float64(2)]]
        let v = Rows.column(0, .float64)
        func call(_ function: AggregateFunction, _ fraction: Double, descending: Bool = false) throws -> AggregateCall {
            try AggregateCall(
                function, arguments: [.constant(.float64(fraction), .float64)],
                orderBy: [SortKey(v, descending: descending)])
        }
        let result = try await aggregate(
            [.float64], values, keys: [],
            [
                try call(.percentileCont, 0.5), try call(.percentileCont, 0.25), try call(.percentileDisc, 0.5),
                try call(.percentileDisc, 0), try call(.percentileDisc, 1),
                try call(.percentileCont, 0.25, descending: true),
            ])
        #expect(result == [[.float64(2.5), .float64(1.75), .float64(2), .float64(1), .float64(4), .float64(3.25)]])
        await #expect(throws: EngineError(.numericValueOutOfRange, "percentile value 1.5 is not between 0 and 1")) {
            try await aggregate([.float64], values, keys: [], [try call(.percentileCont, 1.5)])
        }
    }

    @Test func minAndMaxOfTextFloatAndInterval() async throws {
        let values: [[Value]] = [
            [.text("pear"), .float64(1.5), .interval(Interval(days: 31))],
            [.text("apple"), .float64(.nan), .interval(Interval(months: 1))],
            [.null, .float64(-2), .null], [.text("Zebra"), .float64(0), .interval(Interval(microseconds: 5))],
        ]
        let result = try await aggregate(
            [.text, .float64, .interval], values, keys: [],
            [
                try AggregateCall(.min, arguments: [Rows.column(0, .text)]),
                try AggregateCall(.max, arguments: [Rows.column(0, .text)]),
                try AggregateCall(.min, arguments: [Rows.column(1, .float64)]),
                try AggregateCall(.max, arguments: [Rows.column(1, .float64)]),
                try AggregateCall(.min, arguments: [Rows.column(2, .interval)]),
                try AggregateCall(.max, arguments: [Rows.column(2, .interval)]),
            ], batchSize: 1)
        #expect(result.count == 1)
        #expect(result[0][0] == .text("Zebra"))
        #expect(result[0][1] == .text("pear"))
        #expect(result[0][2] == .float64(-2))
        if case .float64(let maximum) = result[0][3] { #expect(maximum.isNaN) } else { Issue.record("max not float") }
        #expect(result[0][4] == .interval(Interval(microseconds: 5)))
        #expect(result[0][5] == .interval(Interval(days: 31)))
    }

    /// Text min and max per group over many batches (each touching some groups), with NULLs, empty
    /// strings, shared prefixes and bytes above 0x7F, against the answer computed row by row.
    @Test func groupedTextMinAndMaxMatchRowByRow() async throws {
        var state: UInt64 = 7
        func random(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        let alphabet: [String] = ["", "a", "ab", "abc", "b", "ba", "é", "éa", "z", "Z", "aa\u{0}"]
        var rows: [[Value]] = []
        for _ in 0..<3_000 {
            let group = Int32(random(40))
            let text = random(10) == 0 ? Value.null : .text(alphabet[random(alphabet.count)])
            rows.append([.int32(group), text])
        }
        let result = try await aggregate(
            [.int32, .text], rows, keys: [Rows.column(0, .int32)],
            [
                try AggregateCall(.min, arguments: [Rows.column(1, .text)]),
                try AggregateCall(.max, arguments: [Rows.column(1, .text)]),
            ],
            batchSize: 97)
        var expected: [Int32: (min: [UInt8], max: [UInt8])] = [:]
        for row in rows {
            guard case .int32(let group) = row[0], case .bytes(let bytes) = row[1] else { continue }
            let current = expected[group]
            expected[group] = (
                min: current.map { $0.min.lexicographicallyPrecedes(bytes) ? $0.min : bytes } ?? bytes,
                max: current.map { bytes.lexicographicallyPrecedes($0.max) ? $0.max : bytes } ?? bytes
            )
        }
        #expect(result.count == Set(rows.map { $0[0] }).count)
        for row in result {
            guard case .int32(let group) = row[0] else { continue }
            let want = expected[group].map { [Value.bytes($0.min), .bytes($0.max)] }
            #expect(Array(row[1...]) == (want ?? [.null, .null]), "group \(group)")
        }
    }

    /// Without GROUP BY and without NULLs, min and max take a batch's extreme in one pass; across
    /// batches the answer is still the row-by-row one, for integers, numerics and text.
    @Test func ungroupedMinAndMaxOverManyBatches() async throws {
        let rows: [[Value]] = (0..<1_000).map { index in
            let number = Int64((index * 7_919) % 1_009) - 500
            return [
                .int64(number), .decimal(Int128(number) * 100),
                .text(String(repeating: "x", count: index % 5) + "\(number)"),
            ]
        }
        let result = try await aggregate(
            [.int64, .numeric(precision: 12, scale: 2), .text], rows, keys: [],
            [
                try AggregateCall(.min, arguments: [Rows.column(0, .int64)]),
                try AggregateCall(.max, arguments: [Rows.column(0, .int64)]),
                try AggregateCall(.min, arguments: [Rows.column(1, .numeric(precision: 12, scale: 2))]),
                try AggregateCall(.max, arguments: [Rows.column(1, .numeric(precision: 12, scale: 2))]),
                try AggregateCall(.min, arguments: [Rows.column(2, .text)]),
                try AggregateCall(.max, arguments: [Rows.column(2, .text)]),
            ], batchSize: 64)
        let numbers = rows.map { row -> Int64 in if case .int64(let n) = row[0] { n } else { 0 } }
        let texts = rows.map { row -> [UInt8] in if case .bytes(let b) = row[2] { b } else { [] } }
        #expect(result[0][0] == .int64(numbers.min()!) && result[0][1] == .int64(numbers.max()!))
        #expect(
            result[0][2] == .decimal(Int128(numbers.min()!) * 100)
                && result[0][3] == .decimal(Int128(numbers.max()!) * 100))
        #expect(result[0][4] == .bytes(texts.min { $0.lexicographicallyPrecedes($1) }!))
        #expect(result[0][5] == .bytes(texts.max { $0.lexicographicallyPrecedes($1) }!))
    }
}
