import Testing

@testable import Engine

@Suite struct GatherOperatorTests {
    @Test func gathersEveryPartition() async throws {
        let op = GatherOperator(partitions: 4, bufferBatches: 2, cancellation: QueryCancellation()) { partition in
            GenerateSeriesSource(
                start: Int64(partition * 10_000), stop: Int64(partition * 10_000 + 9_999), step: 1, type: .int64,
                cancellation: QueryCancellation())
        }
        var seen: [Int64] = []
        while let batch = try await op.next() {
            guard case .int64(let values) = batch.columns[0].storage else { Issue.record("not bigint"); return }
            seen += values
        }
        let expected = (0..<4).flatMap { partition in (0..<10_000).map { Int64(partition * 10_000 + $0) } }
        #expect(seen.sorted() == expected)
    }

    @Test func firstErrorReachesTheConsumer() async throws {
        let failure = EngineError(.divisionByZero, "division by zero")
        let op = GatherOperator(partitions: 3, bufferBatches: 1, cancellation: QueryCancellation()) {
            partition throws(EngineError) in
            if partition == 1 {
                return FailingStream(
                    batch: Batch(columns: [Column(type: .int32, values: [.int32(1)])], rowCount: 1), before: 2,
                    error: failure)
            }
            return GenerateSeriesSource(
                start: 0, stop: 1_000_000_000, step: 1, type: .int64, cancellation: QueryCancellation())
        }
        await #expect(throws: failure) {
            while try await op.next() != nil {}
        }
    }

    @Test func partitionFactoryErrorsAndCancellation() async throws {
        let broken = GatherOperator(partitions: 2, bufferBatches: 4, cancellation: QueryCancellation()) {
            partition throws(EngineError) in
            if partition == 0 { throw EngineError(.undefinedFile, "could not open file") }
            return MaterializedStream([])
        }
        await #expect(throws: EngineError(.undefinedFile, "could not open file")) { try await Rows.collect(broken) }
        let cancellation = QueryCancellation()
        let endless = GatherOperator(partitions: 2, bufferBatches: 2, cancellation: cancellation) { _ in
            GenerateSeriesSource(
                start: 0, stop: 1_000_000_000_000, step: 1, type: .int64, cancellation: QueryCancellation())
        }
        _ = try await endless.next()
        cancellation.cancel()
        await #expect(throws: EngineError.queryCanceled()) {
            while try await endless.next() != nil {}
        }
    }

    @Test func concatRunsInputsInTurn() async throws {
        let stream = ConcatStream([
            Rows.stream([.int32], [[.int32(1)], [.int32(2)]]), MaterializedStream([]),
            Rows.stream([.int32], [[.int32(3)]]),
        ])
        #expect(try await Rows.collect(stream) == [[.int32(1)], [.int32(2)], [.int32(3)]])
    }
}
