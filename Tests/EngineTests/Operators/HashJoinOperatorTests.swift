import Synchronization
import Testing

@testable import Engine

@Suite struct HashJoinOperatorTests {
    let kinds: [JoinKind] = [.inner, .left, .right, .full, .semi, .anti, .nullAwareAnti]

    func join(_ fixture: JoinFixture, _ kind: JoinKind, residual: Bool, batchSize: Int = 2) async throws -> [[Value]] {
        let op = HashJoinOperator(
            probe: Rows.stream(JoinFixture.probeTypes, fixture.probe, batchSize: batchSize),
            build: Rows.stream(JoinFixture.buildTypes, fixture.build, batchSize: batchSize),
            probeKeys: [Rows.column(0, .int32)], buildKeys: [Rows.column(0, .int32)], kind: kind,
            residual: residual ? JoinFixture.residual : nil, probeTypes: JoinFixture.probeTypes,
            buildTypes: JoinFixture.buildTypes, context: EvaluationContext(), cancellation: QueryCancellation())
        return JoinFixture.sorted(try await Rows.collect(op))
    }

    @Test func everyKindWithDuplicatesAndNullKeys() async throws {
        let fixture = JoinFixture.standard
        for kind in kinds {
            for residual in [false, true] where !(kind == .nullAwareAnti && residual) {
                #expect(
                    try await join(fixture, kind, residual: residual) == fixture.reference(kind, residual: residual),
                    "\(kind) residual \(residual)")
            }
        }
    }

    @Test func handCheckedInnerAndLeft() async throws {
        let inner = try await join(.standard, .inner, residual: true)
        // 1/10 pairs with bid 5; 2/20 none (25, 65 ≥ 20); 1/40 with 5 and 35; 2/60 with 25.
        #expect(
            inner
                == JoinFixture.sorted([
                    [.int32(1), .int32(10), .int32(1), .int32(5)], [.int32(1), .int32(40), .int32(1), .int32(5)],
                    [.int32(1), .int32(40), .int32(1), .int32(35)], [.int32(2), .int32(60), .int32(2), .int32(25)],
                ]))
        let left = try await join(.standard, .left, residual: true)
        #expect(left.count == 4 + 4)
        #expect(left.contains([.int32(2), .int32(20), .null, .null]))
        #expect(left.contains([.null, .int32(30), .null, .null]))
    }

    @Test func emptySides() async throws {
        let noBuild = JoinFixture(probe: JoinFixture.standard.probe, build: [])
        let noProbe = JoinFixture(probe: [], build: JoinFixture.standard.build)
        for fixture in [noBuild, noProbe] {
            for kind in kinds {
                #expect(
                    try await join(fixture, kind, residual: false) == fixture.reference(kind, residual: false),
                    "\(kind)")
            }
        }
        // NOT IN over an empty set keeps every row, NULL keys included.
        #expect(try await join(noBuild, .nullAwareAnti, residual: false).count == 7)
    }

    @Test func notInSemantics() async throws {
        let withNull = JoinFixture.standard
        #expect(try await join(withNull, .nullAwareAnti, residual: false).isEmpty)
        let noNull = JoinFixture(probe: withNull.probe, build: withNull.build.filter { !$0[0].isNull })
        // 4 and 5 are not in {1, 2, 3}; the NULL probe key is excluded.
        #expect(
            try await join(noNull, .nullAwareAnti, residual: false)
                == JoinFixture.sorted([[.int32(4), .int32(50)], [.int32(5), .int32(70)]]))
        #expect(try await join(noNull, .anti, residual: false).count == 3)
    }

    @Test func manyDuplicatesSpanSeveralOutputBatches() async throws {
        let probe: [[Value]] = (0..<30).map { [.int32(Int32($0 % 3)), .int32(Int32($0))] }
        let build: [[Value]] = (0..<900).map { [.int32(Int32($0 % 3)), .int32(Int32($0))] }
        let fixture = JoinFixture(probe: probe, build: build)
        let result = try await join(fixture, .inner, residual: false, batchSize: 100)
        #expect(result.count == 30 * 300)
        #expect(result == fixture.reference(.inner, residual: false))
    }

    @Test func textAndCompositeKeys() async throws {
        let types: [DataType] = [.text, .int32]
        let probe: [[Value]] = [
            [.text("a"), .int32(1)], [.text("a"), .int32(2)], [.text("b"), .int32(1)], [.text(""), .int32(1)],
        ]
        let build: [[Value]] = [
            [.text("a"), .int32(2)], [.text(""), .int32(1)], [.text("b"), .null], [.text("a"), .int32(2)],
        ]
        let op = HashJoinOperator(
            probe: Rows.stream(types, probe), build: Rows.stream(types, build),
            probeKeys: [Rows.column(0, .text), Rows.column(1, .int32)],
            buildKeys: [Rows.column(0, .text), Rows.column(1, .int32)],
            kind: .inner, probeTypes: types, buildTypes: types, context: EvaluationContext(),
            cancellation: QueryCancellation())
        let result = JoinFixture.sorted(try await Rows.collect(op))
        #expect(
            result
                == JoinFixture.sorted([
                    [.text("a"), .int32(2), .text("a"), .int32(2)], [.text("a"), .int32(2), .text("a"), .int32(2)],
                    [.text(""), .int32(1), .text(""), .int32(1)],
                ]))
    }

    @Test func partitionsShareOneBuild() async throws {
        let fixture = JoinFixture(
            probe: (0..<600).map {
                [$0 % 50 == 0 ? .null : .int32(Int32(Rows.scrambled($0, modulo: 40))), .int32(Int32($0))]
            },
            build: (0..<90).map { [$0 % 31 == 0 ? .null : .int32(Int32($0 % 45)), .int32(Int32($0))] })
        let probeParts = Rows.batches(JoinFixture.probeTypes, fixture.probe, batchSize: 50)
        let buildBatches = Rows.batches(JoinFixture.buildTypes, fixture.build, batchSize: 20)
        for kind: JoinKind in [.inner, .left, .semi, .anti] {
            let builds = Counter()
            let shared = SharedJoinBuild(
                buildKeys: [Rows.column(0, .int32)], buildTypes: JoinFixture.buildTypes, context: EvaluationContext(),
                cancellation: QueryCancellation()
            ) {
                builds.increment()
                return MaterializedStream(buildBatches)
            }
            let gather = GatherOperator(partitions: 3, bufferBatches: 2, cancellation: QueryCancellation()) {
                partition in
                HashJoinOperator(
                    probe: MaterializedStream(
                        probeParts.enumerated().filter { $0.offset % 3 == partition }.map(\.element)),
                    sharedBuild: shared, probeKeys: [Rows.column(0, .int32)], kind: kind,
                    residual: JoinFixture.residual, probeTypes: JoinFixture.probeTypes, context: EvaluationContext(),
                    cancellation: QueryCancellation())
            }
            #expect(
                JoinFixture.sorted(try await Rows.collect(gather)) == fixture.reference(kind, residual: true), "\(kind)"
            )
            #expect(builds.value == 1)
        }
    }
}

/// Counts calls from several tasks.
final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
