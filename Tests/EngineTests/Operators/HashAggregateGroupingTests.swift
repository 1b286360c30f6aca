import Testing

@testable import Engine

/// Grouping by every storage kind, against a row-by-row reference, and the partial/final split.
@Suite struct HashAggregateGroupingTests {
    let context = EvaluationContext()

    func countPerGroup(_ type: DataType, _ keys: [Value]) async throws -> [[Value]] {
        let op = try HashAggregateOperator(
            input: Rows.stream([type], keys.map { [$0] }, batchSize: 4), groupKeys: [Rows.column(0, type)],
            aggregates: [try AggregateCall(.countStar)], context: context, cancellation: QueryCancellation())
        return try await Rows.collect(op)
    }

    /// Groups in first-seen order with their counts, computed naively with `==` on boxed values.
    func reference(_ keys: [Value]) -> [[Value]] {
        var groups: [(Value, Int64)] = []
        for key in keys {
            if let index = groups.firstIndex(where: { $0.0 == key }) {
                groups[index].1 += 1
            } else {
                groups.append((key, 1))
            }
        }
        return groups.map { [$0.0, .int64($0.1)] }
    }

    @Test func everyStorageKindGroupsLikeEquality() async throws {
        let cases: [(DataType, [Value])] = [
            (.boolean, [.bool(true), .null, .bool(false), .bool(true), .null]),
            (.int16, [.int16(-1), .int16(1), .null, .int16(-1), .int16(Int16.min)]),
            (.int32, [.int32(7), .int32(7), .null, .int32(-7), .int32(0), .null]),
            (.oid, [.uint32(3), .uint32(UInt32.max), .uint32(3), .null]),
            (.int64, [.int64(Int64.max), .int64(Int64.min), .int64(Int64.max), .null, .int64(0)]),
            (.float64, [.float64(1.5), .float64(2.5), .null, .float64(1.5), .float64(-3)]),
            (.float32, [.float32(1.5), .float32(2.5), .null, .float32(2.5)]),
            (.numeric(precision: 10, scale: 2), [.decimal(150), .decimal(-150), .decimal(150), .null]),
            (
                .text,
                [.text("a"), .text(""), .null, .text("a\u{0}b"), .text("a"), .text(""), .text("a\u{0}b"), .text("ab")]
            ),
            (.date, [.int32(19000), .int32(19001), .int32(19000)]),
            (.timestamp, [.int64(1_000_000), .null, .int64(1_000_000)]),
        ]
        for (type, keys) in cases {
            #expect(try await countPerGroup(type, keys) == reference(keys), "grouping \(type)")
        }
    }

    @Test func equalFloatsAndIntervalsGroupAsPostgreSQLSays() async throws {
        let floats = try await countPerGroup(
            .float64, [.float64(0), .float64(-0.0), .float64(.nan), .float64(-.nan), .float64(1)])
        #expect(floats.count == 3)
        #expect(floats[0] == [.float64(0), .int64(2)])
        #expect(floats[1][1] == .int64(2))
        let intervals = try await countPerGroup(
            .interval,
            [.interval(Interval(months: 1)), .interval(Interval(days: 30)), .interval(Interval(days: 1)), .null])
        #expect(
            intervals == [
                [.interval(Interval(months: 1)), .int64(2)], [.interval(Interval(days: 1)), .int64(1)],
                [.null, .int64(1)],
            ])
    }

    @Test func manyGroupsAgainstReference() async throws {
        let rowCount = 20_000
        let rows: [[Value]] = (0..<rowCount).map { row in
            let key: Value = row % 97 == 0 ? .null : .int64(Int64(Rows.scrambled(row, modulo: 3_000)))
            let name: Value = .text("k\(Rows.scrambled(row, modulo: 5))")
            let amount: Value =
                row % 11 == 0 ? .null : .decimal(Int128(Rows.scrambled(row &* 31, modulo: 100_000)) - 50_000)
            return [key, name, amount]
        }
        let types: [DataType] = [.int64, .text, .numeric(precision: 12, scale: 2)]
        let op = try HashAggregateOperator(
            input: Rows.stream(types, rows, batchSize: 1000),
            groupKeys: [Rows.column(0, .int64), Rows.column(1, .text)],
            aggregates: [
                try AggregateCall(.countStar), try AggregateCall(.sum, arguments: [Rows.column(2, types[2])]),
                try AggregateCall(.min, arguments: [Rows.column(2, types[2])]),
            ], context: context, cancellation: QueryCancellation())
        let result = try await Rows.collect(op)
        var expected: [[Value]: (count: Int64, sum: Int128?, min: Int128?)] = [:]
        var order: [[Value]] = []
        for row in rows {
            let key = Array(row[0..<2])
            if expected[key] == nil { order.append(key) }
            var entry = expected[key] ?? (0, nil, nil)
            entry.count += 1
            if case .decimal(let amount) = row[2] {
                entry.sum = (entry.sum ?? 0) + amount
                entry.min = Swift.min(entry.min ?? amount, amount)
            }
            expected[key] = entry
        }
        let reference: [[Value]] = order.map { key in
            let entry = expected[key]!
            return key + [
                .int64(entry.count), entry.sum.map { .decimal($0) } ?? .null, entry.min.map { .decimal($0) } ?? .null,
            ]
        }
        #expect(result.count == reference.count)
        #expect(result == reference)
    }

    @Test func partialThenFinalEqualsComplete() async throws {
        let rows: [[Value]] = (0..<500).map { row in
            [
                .int32(Int32(row % 7)), row % 5 == 0 ? .null : .int32(Int32(Rows.scrambled(row, modulo: 1000))),
                .float64(Double(row % 13)),
            ]
        }
        let types: [DataType] = [.int32, .int32, .float64]
        let value = Rows.column(1, .int32)
        let float = Rows.column(2, .float64)
        let calls = [
            try AggregateCall(.countStar), try AggregateCall(.sum, arguments: [value]),
            try AggregateCall(.avg, arguments: [value]),
            try AggregateCall(.max, arguments: [value]), try AggregateCall(.varSamp, arguments: [value]),
            try AggregateCall(.stddevPop, arguments: [float]), try AggregateCall(.avg, arguments: [float]),
        ]
        let complete = try await Rows.collect(
            try HashAggregateOperator(
                input: Rows.stream(types, rows, batchSize: 64), groupKeys: [Rows.column(0, .int32)], aggregates: calls,
                context: context, cancellation: QueryCancellation()))
        var partialBatches: [Batch] = []
        for half in [Array(rows[..<230]), Array(rows[230...])] {
            let partial = try HashAggregateOperator(
                input: Rows.stream(types, half, batchSize: 64), groupKeys: [Rows.column(0, .int32)], aggregates: calls,
                mode: .partial, context: context, cancellation: QueryCancellation())
            while let batch = try await partial.next() { partialBatches.append(batch) }
        }
        var finalCalls: [AggregateCall] = []
        var position = 1
        for call in calls {
            var merged = call
            merged.arguments = call.stateTypes.map { type in
                defer { position += 1 }
                return Rows.column(position, type)
            }
            finalCalls.append(merged)
        }
        let final = try HashAggregateOperator(
            input: MaterializedStream(partialBatches), groupKeys: [Rows.column(0, .int32)], aggregates: finalCalls,
            mode: .final,
            context: context, cancellation: QueryCancellation())
        let merged = try await Rows.collect(final)
        #expect(merged.count == complete.count)
        for (mergedRow, completeRow) in zip(merged, complete) {
            #expect(Array(mergedRow[0..<6]) == Array(completeRow[0..<6]))
            for column in 6..<8 {
                guard case .float64(let a) = mergedRow[column], case .float64(let b) = completeRow[column] else {
                    Issue.record("not float: \(mergedRow[column]) \(completeRow[column])")
                    continue
                }
                #expect(abs(a - b) < 1e-9)
            }
        }
    }

    @Test func cancellationStopsAggregation() async throws {
        let cancellation = QueryCancellation()
        cancellation.cancel()
        let op = try HashAggregateOperator(
            input: Rows.stream([.int32], [[.int32(1)]]), groupKeys: [], aggregates: [try AggregateCall(.countStar)],
            context: context, cancellation: cancellation)
        await #expect(throws: EngineError.queryCanceled()) { try await Rows.collect(op) }
    }

    @Test func memoryLimitIsEnforced() async throws {
        let rows: [[Value]] = (0..<5000).map { [.int64(Int64($0))] }
        let budget = MemoryBudget(limit: 10_000)
        let op = try HashAggregateOperator(
            input: Rows.stream([.int64], rows, batchSize: 1000), groupKeys: [Rows.column(0, .int64)],
            aggregates: [try AggregateCall(.countStar)], context: context, cancellation: QueryCancellation(),
            memoryBudget: budget)
        let error = await #expect(throws: EngineError.self) { try await Rows.collect(op) }
        #expect(error?.sqlState == .outOfMemory)
        let roomy = MemoryBudget(limit: 10_000_000)
        let fits = try HashAggregateOperator(
            input: Rows.stream([.int64], rows, batchSize: 1000), groupKeys: [Rows.column(0, .int64)],
            aggregates: [try AggregateCall(.countStar)], context: context, cancellation: QueryCancellation(),
            memoryBudget: roomy)
        #expect(try await Rows.collect(fits).count == 5000)
        #expect(roomy.bytesReserved > 0)
    }
}
