// Micro benchmark of the hash aggregate, hash join and sort, run by hand (not part of `make test`).
// The file compiles to nothing unless OPERATOR_BENCHMARK is defined; it is built together with the
// Engine sources as one optimized module:
//
//   swiftc -O -wmo -parse-as-library -D OPERATOR_BENCHMARK -module-name OperatorBenchmark \
//       $(find Sources/Engine -name '*.swift') Tests/EngineTests/Benchmarks/OperatorBenchmark.swift \
//       -o /tmp/operator-benchmark && /tmp/operator-benchmark
#if OPERATOR_BENCHMARK
    import Dispatch

    @main
    struct OperatorBenchmark {
        static func main() async throws {
            try await aggregate(rows: 6_000_000)
            try await join(probeRows: 6_000_000, buildRows: 1_500_000)
            try await sort(rows: 1_000_000)
        }

        static func batches(rows: Int, _ make: (Range<Int>) -> [Column]) -> [Batch] {
            stride(from: 0, to: rows, by: Batch.preferredRowCount).map { start in
                let range = start..<min(start + Batch.preferredRowCount, rows)
                return Batch(columns: make(range), rowCount: range.count)
            }
        }

        /// Every `partitions`-th batch starting at `partition`: one partition's share of a scan.
        static func share(_ batches: [Batch], _ partition: Int, of partitions: Int) -> [Batch] {
            batches.enumerated().filter { $0.offset % partitions == partition }.map(\.element)
        }

        static func time(_ label: String, rows: Int, _ body: () async throws -> Int) async rethrows {
            let start = DispatchTime.now().uptimeNanoseconds
            let produced = try await body()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let rate = Double(rows) / seconds / 1e6
            print(
                "\(label): \(rows) rows in \(String(format: "%.3f", seconds)) s = \(String(format: "%.1f", rate)) M rows/s (\(produced) out)"
            )
        }

        static func drain(_ stream: any BatchStream) async throws -> Int {
            var rows = 0
            while let batch = try await stream.next() { rows += batch.rowCount }
            return rows
        }

        static func column(_ type: DataType, _ range: Range<Int>, _ value: (Int) -> Int) -> Column {
            let storage: Column.Storage =
                type == .int32 ? .int32(range.map { Int32(value($0)) }) : .int64(range.map { Int64(value($0)) })
            return Column(type: type, count: range.count, validity: nil, storage: storage)
        }

        /// GROUP BY small and large keys with sum/avg/count over numeric(15,2), as TPC-H Q1 and Q18 do.
        static func aggregate(rows: Int) async throws {
            let price = DataType.numeric(precision: 15, scale: 2)
            let input = batches(rows: rows) { range in
                [
                    column(.int32, range) { ($0 &* 7) % 4 },
                    Column(
                        type: price, count: range.count, validity: nil,
                        storage: .decimal(range.map { Int128(($0 &* 31) % 100_000) })),
                    text(range) { UInt8(ascii: "A") + UInt8(($0 &* 7) % 3) },
                    text(range) { UInt8(ascii: "F") + UInt8(($0 &* 13) % 2) },
                    column(.int64, range) { ($0 &* 7) % 1_500_000 },
                ]
            }
            let value = Expression.column(index: 1, type: price)
            let calls = [
                try AggregateCall(.sum, arguments: [value]), try AggregateCall(.avg, arguments: [value]),
                try AggregateCall(.countStar),
            ]
            var output: [Batch] = []
            let cases: [(String, [Expression])] = [
                ("aggregate by int key", [.column(index: 0, type: .int32)]), ("aggregate, no key", []),
                (
                    "aggregate by two 1-byte text keys",
                    [.column(index: 2, type: .text), .column(index: 3, type: .text)]
                ),
                ("aggregate by 1.5 M bigint groups", [.column(index: 4, type: .int64)]),
            ]
            for (label, keys) in cases {
                try await time(label, rows: rows) {
                    let op = try HashAggregateOperator(
                        input: MaterializedStream(input), groupKeys: keys, aggregates: calls,
                        context: EvaluationContext(), cancellation: QueryCancellation())
                    output = []
                    while let batch = try await op.next() { output.append(batch) }
                    return output.reduce(0) { $0 + $1.rowCount }
                }
                if label.hasSuffix("int key") { check(output[0]) }
            }
            try await time("aggregate by int key, 2 partial partitions + final", rows: rows) {
                let gather = GatherOperator(partitions: 2, bufferBatches: 8, cancellation: QueryCancellation()) {
                    partition throws(EngineError) in
                    try HashAggregateOperator(
                        input: MaterializedStream(share(input, partition, of: 2)),
                        groupKeys: [.column(index: 0, type: .int32)], aggregates: calls, mode: .partial,
                        context: EvaluationContext(), cancellation: QueryCancellation())
                }
                var finalCalls = calls
                finalCalls[0].arguments = [.column(index: 1, type: calls[0].stateTypes[0])]
                finalCalls[1].arguments = [
                    .column(index: 2, type: calls[1].stateTypes[0]), .column(index: 3, type: .int64),
                ]
                finalCalls[2].arguments = [.column(index: 4, type: .int64)]
                let final = try HashAggregateOperator(
                    input: gather, groupKeys: [.column(index: 0, type: .int32)], aggregates: finalCalls,
                    mode: .final, context: EvaluationContext(), cancellation: QueryCancellation())
                output = []
                while let batch = try await final.next() { output.append(batch) }
                return output.reduce(0) { $0 + $1.rowCount }
            }
            check(output[0])
        }

        /// A text column of one-byte values.
        static func text(_ range: Range<Int>, _ byte: (Int) -> UInt8) -> Column {
            Column(
                type: .text, count: range.count, validity: nil,
                storage: .bytes(offsets: (0...range.count).map { Int32($0) }, data: range.map(byte)))
        }

        /// Compares the keyed aggregate with sums computed by a plain loop over the same formulas.
        static func check(_ batch: Batch) {
            guard case .int32(let keys) = batch.columns[0].storage,
                case .decimal(let sums) = batch.columns[1].storage,
                case .int64(let counts) = batch.columns[3].storage
            else { fatalError("unexpected output types") }
            var expectedSums = [Int128](repeating: 0, count: 4)
            var expectedCounts = [Int64](repeating: 0, count: 4)
            for row in 0..<6_000_000 {
                expectedSums[(row &* 7) % 4] += Int128((row &* 31) % 100_000)
                expectedCounts[(row &* 7) % 4] += 1
            }
            for (index, key) in keys.enumerated() {
                precondition(
                    sums[index] == expectedSums[Int(key)] && counts[index] == expectedCounts[Int(key)],
                    "wrong aggregate")
            }
        }

        /// Inner join of 6 M probe rows on 1.5 M unique build keys (each build key matches four probe rows).
        static func join(probeRows: Int, buildRows: Int) async throws {
            let build = batches(rows: buildRows) { range in
                [column(.int64, range) { $0 }, column(.int32, range) { $0 % 1000 }]
            }
            let probe = batches(rows: probeRows) { range in
                [column(.int64, range) { ($0 &* 7) % buildRows }, column(.int64, range) { $0 }]
            }
            let key = Expression.column(index: 0, type: .int64)
            try await time("hash join build+probe", rows: probeRows + buildRows) {
                let op = HashJoinOperator(
                    probe: MaterializedStream(probe), build: MaterializedStream(build), probeKeys: [key],
                    buildKeys: [key], kind: .inner, probeTypes: [.int64, .int64], buildTypes: [.int64, .int32],
                    context: EvaluationContext(), cancellation: QueryCancellation())
                return try await drain(op)
            }
            try await time("hash join, 2 probe partitions sharing one build", rows: probeRows + buildRows) {
                let shared = SharedJoinBuild(
                    buildKeys: [key], buildTypes: [.int64, .int32], context: EvaluationContext(),
                    cancellation: QueryCancellation()
                ) { MaterializedStream(build) }
                let gather = GatherOperator(partitions: 2, bufferBatches: 8, cancellation: QueryCancellation()) {
                    partition in
                    HashJoinOperator(
                        probe: MaterializedStream(share(probe, partition, of: 2)), sharedBuild: shared,
                        probeKeys: [key], kind: .inner, probeTypes: [.int64, .int64], context: EvaluationContext(),
                        cancellation: QueryCancellation())
                }
                return try await drain(gather)
            }
        }

        static func sort(rows: Int) async throws {
            let input = batches(rows: rows) { range in
                [column(.int64, range) { ($0 &* 2_654_435_761) % 1_000_003 }]
            }
            for limit in [nil, 100] as [Int?] {
                try await time(limit == nil ? "sort bigint" : "top-100 bigint", rows: rows) {
                    let op = SortOperator(
                        input: MaterializedStream(input), keys: [SortKey(.column(index: 0, type: .int64))],
                        limit: limit, context: EvaluationContext(), cancellation: QueryCancellation())
                    return try await drain(op)
                }
            }
        }
    }
#endif
