import Foundation
import Testing

@testable import Engine

/// Spill files: batches written as an Arrow IPC stream come back unchanged, and pyarrow reads the
/// same file as the Arrow types Weir declares.
@Suite struct SpillFileTests {
    static let types: [DataType] = [
        .boolean, .int16, .int32, .int64, .float32, .float64, .numeric(precision: 15, scale: 2), .variableScaleNumeric,
        .text, .bytea,
        .date, .time, .timestamp, .timestamptz, .interval, .oid, .array(.int32), .array(.text),
    ]

    static func sampleBatch() -> Batch {
        let rows: [[Value]] = [
            [
                .bool(true), .int16(-7), .int32(42), .int64(1 << 40), .float32(1.5), .float64(-2.25), .decimal(12345),
                .decimal(7), .text("héllo"),
                .bytes([0, 255]), .int32(19_000), .int64(3_600_000_000), .int64(1_700_000_000_000_000), .int64(0),
                .interval(Interval(months: 14, days: -3, microseconds: 1_500_000)), .uint32(2200),
                .array([.int32(1), .null, .int32(3)]),
                .array([.text("a")]),
            ],
            Array(repeating: .null, count: 18),
            [
                .bool(false), .int16(0), .int32(-1), .int64(-5), .float32(0), .float64(1e300), .decimal(-1),
                .decimal(0), .text(""),
                .bytes([]), .int32(0), .int64(0), .int64(-1), .int64(86_400_000_000), .interval(Interval()), .uint32(0),
                .array([]),
                .array([.null]),
            ],
        ]
        let columns = types.indices.map { index in Column(type: types[index], values: rows.map { $0[index] }) }
        return Batch(columns: columns, rowCount: rows.count)
    }

    @Test func batchesComeBackUnchanged() async throws {
        let batch = Self.sampleBatch()
        let file = try SpillFile(types: Self.types)
        try file.append(batch)
        try file.append(batch.slice(1..<3))
        try file.finish()
        let reader = try file.reader()
        var read: [Batch] = []
        while let next = try await reader.next() { read.append(next) }
        #expect(read.count == 2)
        #expect(read.map(\.rowCount) == [3, 2])
        for (original, copy) in [(batch, read[0]), (batch.slice(1..<3), read[1])] {
            for row in 0..<original.rowCount {
                #expect(original.columns.map { $0.value(at: row) } == copy.columns.map { $0.value(at: row) })
            }
        }
    }

    @Test func pyarrowReadsTheStream() throws {
        let file = try SpillFile(types: Self.types)
        try file.append(Self.sampleBatch())
        try file.finish()
        let script = """
            import sys, pyarrow.ipc as ipc
            table = ipc.open_stream(sys.argv[1]).read_all()
            print(";".join(str(field.type) for field in table.schema))
            row = table.slice(0, 1).to_pylist()[0]
            print(row["c2"], row["c3"], row["c6"], row["c8"], row["c10"], row["c14"], row["c16"], table.num_rows, table.column("c0").null_count)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, file.url.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        let lines = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(
            separator: "\n")
        #expect(process.terminationStatus == 0)
        #expect(
            lines.first
                == """
                bool;int16;int32;int64;float;double;decimal128(15, 2);fixed_size_binary[16];string;binary;date32[day];time64[us];\
                timestamp[us];timestamp[us, tz=UTC];month_day_nano_interval;uint32;list<item: int32>;list<item: string>
                """)
        #expect(
            lines.dropFirst().first
                == "42 1099511627776 123.45 héllo 2022-01-08 MonthDayNano(months=14, days=-3, nanoseconds=1500000000) [1, None, 3] 3 1"
        )
    }

    @Test func damagedFilesFailWithXX001() async throws {
        let file = try SpillFile(types: [.int32])
        try file.append(Batch(columns: [Column(type: .int32, values: [.int32(1)])], rowCount: 1))
        try file.finish()
        var bytes = try Data(contentsOf: file.url)
        bytes.removeLast(20)
        try bytes.write(to: file.url)
        let reader = try file.reader()
        let error = await #expect(throws: EngineError.self) { while try await reader.next() != nil {} }
        #expect(error?.sqlState == .dataCorrupted)
    }
}

/// The external sort: runs spilled under a small budget merge into the same order, stably.
@Suite struct SortSpillTests {
    @Test func spilledRunsMergeStably() async throws {
        // Keys repeat, so stability shows: the second column records input order.
        let count = 200_000
        let keys = (0..<count).map { Value.int32(Int32(($0 * 7919) % 1000)) }
        let positions = (0..<count).map { Value.int64(Int64($0)) }
        let batches = stride(from: 0, to: count, by: 4096).map { start in
            let end = min(start + 4096, count)
            return Batch(
                columns: [
                    Column(type: .int32, values: Array(keys[start..<end])),
                    Column(type: .int64, values: Array(positions[start..<end])),
                ],
                rowCount: end - start)
        }
        let budget = MemoryBudget(limit: 1 << 20)
        let sort = SortOperator(
            input: MaterializedStream(batches),
            keys: [SortKey(.column(index: 0, type: .int32), descending: false, nullsFirst: nil)],
            context: EvaluationContext(), cancellation: QueryCancellation(), memoryBudget: budget)
        var rows: [(Int32, Int64)] = []
        while let batch = try await sort.next() {
            guard case .int32(let k) = batch.columns[0].storage, case .int64(let p) = batch.columns[1].storage else {
                continue
            }
            rows += zip(k, p).map { ($0, $1) }
        }
        #expect(sort.spilledRuns > 1)
        #expect(rows.count == count)
        #expect(zip(rows, rows.dropFirst()).allSatisfy { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) })
    }
}

/// Parallel sort: partitions sorted at once and merged give the full order; with a limit, the
/// merged rows are each partition's best.
@Suite struct ParallelSortTests {
    @Test func partitionsMergeIntoOneOrder() async throws {
        let key = [SortKey(.column(index: 0, type: .int64), descending: true, nullsFirst: nil)]
        func partition(_ values: [Int64]) -> any BatchStream {
            MaterializedStream([
                Batch(columns: [Column(type: .int64, values: values.map { .int64($0) })], rowCount: values.count)
            ])
        }
        let parts: [[Int64]] = [[5, 1, 9], [], [7, 7, 2, 8], [3]]
        for limit in [nil, 3] as [Int?] {
            let sorters = parts.map { values in
                SortOperator(
                    input: partition(values), keys: key, limit: limit, context: EvaluationContext(),
                    cancellation: QueryCancellation())
            }
            let merged = ParallelSortOperator(
                sorters: sorters, keys: key, context: EvaluationContext(), cancellation: QueryCancellation())
            var values: [Int64] = []
            while let batch = try await merged.next() {
                if case .int64(let v) = batch.columns[0].storage { values += v }
            }
            let all = parts.flatMap { $0 }.sorted(by: >)
            // Each partition keeps its own first three; the merge is still in order.
            #expect(limit == nil ? values == all : Array(values.prefix(3)) == Array(all.prefix(3)))
        }
    }
}

/// Aggregation under a small budget: a partial aggregation hands states down early, a complete
/// one spills them by key hash and merges each partition; both keep every group's total.
@Suite struct AggregateSpillTests {
    static let rowCount = 120_000

    static func input() -> any BatchStream {
        let batches = stride(from: 0, to: rowCount, by: 4096).map { start in
            let end = min(start + 4096, rowCount)
            return Batch(
                columns: [Column(type: .int64, values: (start..<end).map { .int64(Int64($0 % 40_000)) })],
                rowCount: end - start)
        }
        return MaterializedStream(batches)
    }

    func groups(_ mode: HashAggregateOperator.Mode) async throws -> (totals: [Int64: Int64], rows: Int, spilled: Bool) {
        let key = Expression.column(index: 0, type: .int64)
        let aggregate = try HashAggregateOperator(
            input: Self.input(), groupKeys: [key], aggregates: [try AggregateCall(.countStar, arguments: [])],
            mode: mode,
            context: EvaluationContext(), cancellation: QueryCancellation(),
            memoryBudget: MemoryBudget(limit: 256 << 10))
        var totals: [Int64: Int64] = [:]
        var batches = 0
        var rows = 0
        while let batch = try await aggregate.next() {
            batches += 1
            rows += batch.rowCount
            guard case .int64(let keys) = batch.columns[0].storage, case .int64(let counts) = batch.columns[1].storage
            else { continue }
            for (key, count) in zip(keys, counts) { totals[key, default: 0] += count }
        }
        #expect(batches > 1)
        return (totals, rows, aggregate.hasSpilled)
    }

    @Test func partialAggregationFlushesEarly() async throws {
        let (totals, rows, spilled) = try await groups(.partial)
        // States handed down early repeat groups; nothing went to disk.
        #expect(rows > 40_000)
        #expect(!spilled)
        #expect(totals.count == 40_000)
        #expect(totals.values.allSatisfy { $0 == 3 })
    }

    @Test func completeAggregationSpillsAndMerges() async throws {
        let (totals, rows, spilled) = try await groups(.complete)
        #expect(spilled)
        #expect(rows == 40_000)
        #expect(totals.count == 40_000)
        #expect(totals.values.allSatisfy { $0 == 3 })
    }
}

/// A hash join over the memory budget becomes a grace hash join and still pairs every row right.
@Suite struct JoinSpillTests {
    static func keys(_ values: [Int64]) -> any BatchStream {
        MaterializedStream(
            stride(from: 0, to: values.count, by: 4096).map { start in
                let slice = values[start..<min(start + 4096, values.count)]
                return Batch(columns: [Column(type: .int64, values: slice.map { .int64($0) })], rowCount: slice.count)
            })
    }

    @Test(arguments: [JoinKind.inner, .left, .full, .anti])
    func spilledJoinsKeepEveryPair(kind: JoinKind) async throws {
        // Probe 0..<60000, build the even numbers below 80000 (plus a NULL, which matches nothing).
        let probe = Array(0..<60_000).map(Int64.init)
        let build = stride(from: 0, to: 80_000, by: 2).map(Int64.init)
        let key = Expression.column(index: 0, type: .int64)
        let buildColumn = Column(type: .int64, values: build.map { .int64($0) } + [.null])
        let join = HashJoinOperator(
            probe: Self.keys(probe),
            build: MaterializedStream([Batch(columns: [buildColumn], rowCount: buildColumn.count)]),
            probeKeys: [key], buildKeys: [key], kind: kind, probeTypes: [.int64], buildTypes: [.int64],
            context: EvaluationContext(),
            cancellation: QueryCancellation(), memoryBudget: MemoryBudget(limit: 256 << 10))
        var rows = 0
        var nullProbe = 0
        var nullBuild = 0
        while let batch = try await join.next() {
            rows += batch.rowCount
            nullProbe += batch.columns[0].validity?.nullCount ?? 0
            if batch.columns.count > 1 { nullBuild += batch.columns[1].validity?.nullCount ?? 0 }
        }
        #expect(join.hasSpilled)
        switch kind {
        case .inner: #expect(rows == 30_000 && nullBuild == 0)
        case .left: #expect(rows == 60_000 && nullBuild == 30_000)
        case .full:
            // Unmatched build rows (10,000 evens past the probe, and the NULL key) come with NULL probe columns.
            #expect(rows == 60_000 + 10_000 + 1)
            #expect(nullBuild == 30_000 + 1)
            #expect(nullProbe == 10_001)
        case .anti: #expect(rows == 30_000)
        default: Issue.record("unexpected kind")
        }
    }
}

extension JoinSpillTests {
    /// NOT IN over a spilled build side keeps its NULL rule across partitions: a NULL probe key is
    /// dropped once the build side has rows, and one NULL build key empties the result.
    @Test(arguments: [false, true])
    func spilledNotInKeepsItsNullRule(buildHasNull: Bool) async throws {
        let key = Expression.column(index: 0, type: .int64)
        let probeColumn = Column(type: .int64, values: (0..<60_000).map { .int64(Int64($0)) } + [.null])
        let evens: [Value] = stride(from: 0, to: 80_000, by: 2).map { .int64(Int64($0)) }
        let buildColumn = Column(type: .int64, values: buildHasNull ? evens + [.null] + evens.prefix(10) : evens)
        let join = HashJoinOperator(
            probe: MaterializedStream([Batch(columns: [probeColumn], rowCount: probeColumn.count)]),
            build: MaterializedStream([Batch(columns: [buildColumn], rowCount: buildColumn.count)]),
            probeKeys: [key], buildKeys: [key], kind: .nullAwareAnti, probeTypes: [.int64], buildTypes: [.int64],
            context: EvaluationContext(), cancellation: QueryCancellation(),
            memoryBudget: MemoryBudget(limit: 256 << 10))
        var odd = 0
        var other = 0
        while let batch = try await join.next() {
            guard case .int64(let values) = batch.columns[0].storage else { continue }
            for row in 0..<batch.rowCount {
                if batch.columns[0].validity?[row] == false || values[row] % 2 == 0 { other += 1 } else { odd += 1 }
            }
        }
        #expect(join.hasSpilled)
        #expect(odd == (buildHasNull ? 0 : 30_000))
        #expect(other == 0)
    }
}

extension AggregateSpillTests {
    /// count(DISTINCT) cannot merge partial states: over the budget the aggregation spills its input
    /// rows by key hash and counts each partition afresh.
    @Test func distinctAggregationSpillsInputRows() async throws {
        // Key g % 40000, value g % 7 (values 0..<120000, so each key sees three values).
        let batches = stride(from: 0, to: Self.rowCount, by: 4096).map { start in
            let end = min(start + 4096, Self.rowCount)
            return Batch(
                columns: [
                    Column(type: .int64, values: (start..<end).map { .int64(Int64($0 % 40_000)) }),
                    Column(type: .int64, values: (start..<end).map { .int64(Int64($0 % 2)) }),
                ], rowCount: end - start)
        }
        let aggregate = try HashAggregateOperator(
            input: MaterializedStream(batches), groupKeys: [.column(index: 0, type: .int64)],
            aggregates: [try AggregateCall(.count, arguments: [.column(index: 1, type: .int64)], distinct: true)],
            context: EvaluationContext(), cancellation: QueryCancellation(),
            memoryBudget: MemoryBudget(limit: 256 << 10))
        var counts: [Int64: Int64] = [:]
        while let batch = try await aggregate.next() {
            guard case .int64(let keys) = batch.columns[0].storage, case .int64(let distinct) = batch.columns[1].storage
            else { continue }
            for (key, count) in zip(keys, distinct) { counts[key, default: 0] += count }
        }
        #expect(aggregate.hasSpilled)
        #expect(counts.count == 40_000)
        // Key k sees k, k + 40000 and k + 80000, whose parities differ since 40000 is even: one value.
        #expect(counts.values.allSatisfy { $0 == 1 })
    }
}
