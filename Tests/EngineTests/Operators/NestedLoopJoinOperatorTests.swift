import Testing

@testable import Engine

@Suite struct NestedLoopJoinOperatorTests {
    func join(_ fixture: JoinFixture, _ kind: JoinKind, condition: Expression?) async throws -> [[Value]] {
        let op = NestedLoopJoinOperator(
            probe: Rows.stream(JoinFixture.probeTypes, fixture.probe, batchSize: 3),
            build: Rows.stream(JoinFixture.buildTypes, fixture.build, batchSize: 4), condition: condition, kind: kind,
            probeTypes: JoinFixture.probeTypes, buildTypes: JoinFixture.buildTypes, context: EvaluationContext(),
            cancellation: QueryCancellation())
        return JoinFixture.sorted(try await Rows.collect(op))
    }

    @Test func conditionJoinsMatchTheReference() async throws {
        let keysEqual = Expression.comparison(.equal, .column(index: 0, type: .int32), .column(index: 2, type: .int32))
        for fixture in [
            JoinFixture.standard, JoinFixture(probe: JoinFixture.standard.probe, build: []),
            JoinFixture(probe: [], build: JoinFixture.standard.build),
        ] {
            for kind: JoinKind in [.inner, .left, .right, .full, .semi, .anti] {
                #expect(
                    try await join(fixture, kind, condition: keysEqual) == fixture.reference(kind, residual: false),
                    "\(kind)")
                #expect(
                    try await join(fixture, kind, condition: .and([keysEqual, JoinFixture.residual]))
                        == fixture.reference(kind, residual: true), "\(kind) with residual")
            }
        }
    }

    @Test func crossJoinPairsEveryRow() async throws {
        let fixture = JoinFixture.standard
        let result = try await join(fixture, .inner, condition: nil)
        let expected = fixture.probe.flatMap { p in fixture.build.map { p + $0 } }
        #expect(result == JoinFixture.sorted(expected))
        let greater = Expression.comparison(.greater, .column(index: 1, type: .int32), .column(index: 3, type: .int32))
        let nonEqui = try await join(fixture, .inner, condition: greater)
        let expectedNonEqui = expected.filter { row in
            guard case .int32(let pid) = row[1], case .int32(let bid) = row[3] else { return false }
            return pid > bid
        }
        #expect(nonEqui == JoinFixture.sorted(expectedNonEqui))
    }
}
