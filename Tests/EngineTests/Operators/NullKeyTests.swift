import Testing

@testable import Engine

/// Keys that are NULL while their value slots hold something else, as arithmetic and string kernels
/// leave them (`k + id` with `k` NULL may hold `id`): every operator that hashes, equates or orders
/// keys must treat all such NULLs alike, in memory and after spilling.
@Suite struct NullKeyTests {
    let context = EvaluationContext()

    /// (id int4, k int4, s text): k is NULL on rows 1–3 and 6, s on rows 1, 2 and 6.
    let types: [DataType] = [.int32, .int32, .text]
    let rows: [[Value]] = [
        [.int32(1), .null, .null], [.int32(2), .null, .null], [.int32(3), .null, .text("c")],
        [.int32(4), .int32(5), .text("d")], [.int32(5), .int32(5), .text("d")], [.int32(6), .null, .null],
    ]
    var id: Expression { Rows.column(0, .int32) }
    var k: Expression { Rows.column(1, .int32) }
    var s: Expression { Rows.column(2, .text) }
    /// `k + id`: NULL on rows whose k is NULL (9 and 10 elsewhere).
    var sum: Expression { .arithmetic(.add, k, id, resultType: .int32) }

    /// The rows in batches whose NULL slots all hold different non-zero values.
    func poisoned(_ rows: [[Value]], types: [DataType]? = nil, batchSize: Int = 4) -> MaterializedStream {
        MaterializedStream(
            Rows.batches(types ?? self.types, rows, batchSize: batchSize).map { batch in
                Batch(columns: batch.columns.map { $0.poisoningNullSlots() }, rowCount: batch.rowCount)
            })
    }

    @Test(arguments: [
        DataType.boolean, .int16, .int32, .int64, .float32, .float64, .numeric(precision: 12, scale: 2),
        .variableScaleNumeric, .interval, .text, .bytea, .date, .array(.int32),
    ])
    func nullRowsHashAndEncodeAlikeWhateverTheirSlotsHold(type: DataType) throws {
        let column = Column(type: type, values: Array(repeating: .null, count: 5)).poisoningNullSlots()
        let other = Column(type: .int32, values: (0..<5).map { .int32(Int32($0 % 2)) })
        let hashes = ColumnHashing.hashRows([column, other], rowCount: 5)
        let keys = try EncodedKeys([column, other], rowCount: 5)
        for row in 2..<5 {
            #expect(hashes[row] == hashes[row % 2], "row \(row) of \(type)")
            #expect(keys.compare(row, keys, row % 2) == 0, "row \(row) of \(type)")
        }
        #expect(hashes[0] != hashes[1])
        #expect(keys.compare(0, keys, 1) < 0)
    }

    @Test(arguments: [false, true])
    func groupByComputedKeyPutsNullsInOneGroup(spilled: Bool) async throws {
        // Many groups so a small budget spills; the NULL group collects rows from every batch.
        var rows: [[Value]] = []
        for row in 0..<3000 { rows.append([.int32(Int32(row)), row % 3 == 0 ? .null : .int32(1), .null]) }
        let budget = spilled ? MemoryBudget(limit: 64 * 1024) : nil
        let op = try HashAggregateOperator(
            input: poisoned(rows, batchSize: 256), groupKeys: [sum],
            aggregates: [try AggregateCall(.countStar), try AggregateCall(.count, arguments: [id], distinct: true)],
            context: context, cancellation: QueryCancellation(), memoryBudget: budget)
        let result = try await Rows.collect(op)
        let nullGroups = result.filter { $0[0].isNull }
        #expect(nullGroups == [[.null, .int64(1000), .int64(1000)]])
        #expect(result.count == 2001)
        #expect(op.hasSpilled == spilled)
    }

    @Test func distinctOverComputedTextKeepsOneNull() async throws {
        // `s || 'x'` is NULL where s is; DISTINCT is a grouping without aggregates.
        let concatenated = Expression.function(StringFunctions.concatenate, [s, .constant(.text("x"), .text)])
        let op = try HashAggregateOperator(
            input: poisoned(rows), groupKeys: [concatenated], aggregates: [], context: context,
            cancellation: QueryCancellation())
        #expect(
            Rows.described(try await Rows.collect(op)).sorted()
                == Rows.described([[.null], [.text("cx")], [.text("dx")]]).sorted())
    }

    /// `count` rows (id, k, s) with k and s NULL on every third row, so `k + id` is `id + 1` or NULL.
    func generated(_ count: Int) -> [[Value]] {
        (0..<count).map { row in
            row % 3 == 0 ? [.int32(Int32(row)), .null, .null] : [.int32(Int32(row)), .int32(1), .text("s\(row % 50)")]
        }
    }

    @Test(arguments: [false, true])
    func joinOnComputedKeysNeverMatchesNulls(spilled: Bool) async throws {
        // Both sides compute `k + id`: each non-NULL key matches its own row only.
        let count = spilled ? 30_000 : 300
        let budget = spilled ? MemoryBudget(limit: 256 << 10) : nil
        let op = HashJoinOperator(
            probe: poisoned(generated(count), batchSize: 4096), build: poisoned(generated(count), batchSize: 4096),
            probeKeys: [sum], buildKeys: [sum], kind: .full, probeTypes: types, buildTypes: types, context: context,
            cancellation: QueryCancellation(), memoryBudget: budget)
        let result = try await Rows.collect(op)
        let matched = result.filter { !$0[0].isNull && !$0[3].isNull }
        let nullKeyed = count / 3
        #expect(matched.count == count - nullKeyed)
        #expect(matched.allSatisfy { $0[0] == $0[3] && !$0[1].isNull })
        #expect(result.count == matched.count + 2 * nullKeyed)
        #expect(op.hasSpilled == spilled)
    }

    @Test(arguments: [false, true])
    func sortOrdersNullsAsTiesBrokenByTheNextKey(spilled: Bool) async throws {
        // ORDER BY k + id, id DESC: the non-NULL keys by id, then the NULL keys by id descending.
        let count = spilled ? 60_000 : 300
        let budget = spilled ? MemoryBudget(limit: 1 << 20) : nil
        let op = SortOperator(
            input: poisoned(generated(count), batchSize: 4096), keys: [SortKey(sum), SortKey(id, descending: true)],
            context: context, cancellation: QueryCancellation(), memoryBudget: budget)
        let ids = try await Rows.collect(op).map { $0[0] }
        let expected = (0..<count).filter { $0 % 3 != 0 } + (0..<count).filter { $0 % 3 == 0 }.reversed()
        #expect(ids == expected.map { .int32(Int32($0)) })
        #expect((op.spilledRuns > 0) == spilled)
    }

    @Test func windowPartitionsComputedNullsTogether() async throws {
        let call = WindowFunctionCall(
            function: .aggregate(try AggregateCall(.countStar)), partitionBy: [sum], resultType: .int64)
        let op = WindowOperator(
            input: poisoned(rows), functions: [call], context: context, cancellation: QueryCancellation())
        let counts = try await Rows.collect(op).map { [$0[0], $0[3]] }.sorted { "\($0)" < "\($1)" }
        #expect(
            counts == [
                [.int32(1), .int64(4)], [.int32(2), .int64(4)], [.int32(3), .int64(4)], [.int32(4), .int64(1)],
                [.int32(5), .int64(1)], [.int32(6), .int64(4)],
            ])
    }
}

extension Column {
    /// The same column with each NULL row's value slot holding a different non-zero value, as
    /// kernels may leave it: what NULL handling must never read.
    func poisoningNullSlots() -> Column {
        guard let validity = nullableValidity else { return self }
        func poison<T>(_ values: [T], _ junk: (Int) -> T) -> [T] {
            var values = values
            for row in 0..<count where !validity[row] { values[row] = junk(row) }
            return values
        }
        let poisoned: Storage
        switch storage {
        case .bool(let v): poisoned = .bool(poison(v) { _ in 1 })
        case .int16(let v): poisoned = .int16(poison(v) { Int16($0 + 7) })
        case .int32(let v): poisoned = .int32(poison(v) { Int32($0 * 31 + 7) })
        case .uint32(let v): poisoned = .uint32(poison(v) { UInt32($0 + 7) })
        case .int64(let v): poisoned = .int64(poison(v) { Int64($0) * 1_000_003 + 7 })
        case .float32(let v): poisoned = .float32(poison(v) { Float($0) + 0.5 })
        case .float64(let v): poisoned = .float64(poison(v) { Double($0) - 2.25 })
        case .decimal(let v): poisoned = .decimal(poison(v) { Int128($0) * 12_345 + 1 })
        case .interval(let v): poisoned = .interval(poison(v) { Interval(months: 1, days: Int32($0), microseconds: 5) })
        case .bytes(let offsets, let data):
            var newOffsets: [Int32] = [0]
            var newData: [UInt8] = []
            for row in 0..<count {
                if validity[row] {
                    newData += data[Int(offsets[row])..<Int(offsets[row + 1])]
                } else {
                    newData += Array("junk\(row)\u{0}".utf8)
                }
                newOffsets.append(Int32(newData.count))
            }
            poisoned = .bytes(offsets: newOffsets, data: newData)
        case .array(let offsets, let elements):
            // A NULL row's element range covers one to three NULL elements.
            var values: [Value] = []
            var newOffsets: [Int32] = [0]
            for row in 0..<count {
                if validity[row] {
                    for element in offsets[row]..<offsets[row + 1] {
                        values.append(elements.column.value(at: Int(element)))
                    }
                } else {
                    values += Array(repeating: .null, count: row % 3 + 1)
                }
                newOffsets.append(Int32(values.count))
            }
            poisoned = .array(
                offsets: newOffsets, elements: ColumnBox(Column(type: elements.column.type, values: values)))
        }
        return Column(type: type, count: count, validity: validity, storage: poisoned)
    }
}
