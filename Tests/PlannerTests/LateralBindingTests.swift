import Engine
import SQL
import Testing

@testable import Planner

/// LATERAL subqueries and functions in FROM that read the items before them.
@Suite struct LateralBindingTests {
    func run(_ sql: String) async throws -> (QueryPlan, [[Value]]) {
        try await BinderTests().run(sql)
    }

    @Test func subqueryRunsPerLeftRowWithItsLimit() async throws {
        let (plan, rows) = try await run(
            """
            SELECT t.a, s.b FROM (VALUES (1), (2), (3)) t(a),
            LATERAL (SELECT b FROM (VALUES (1), (2), (3), (4)) u(b) WHERE b > t.a ORDER BY b LIMIT 2) s ORDER BY 1, 2
            """)
        guard case .lateral = Self.firstLateral(plan.root) else { Issue.record("no lateral node"); return }
        #expect(
            rows == [
                [.int32(1), .int32(2)], [.int32(1), .int32(3)], [.int32(2), .int32(3)], [.int32(2), .int32(4)],
                [.int32(3), .int32(4)],
            ])
    }

    @Test func leftJoinLateralKeepsRowsWithoutMatches() async throws {
        let (_, rows) = try await run(
            """
            SELECT t.a, s.b FROM (VALUES (1), (5)) t(a)
            LEFT JOIN LATERAL (SELECT b FROM (VALUES (2), (3)) u(b) WHERE b > t.a) s ON s.b <> 2 ORDER BY 1, 2
            """)
        #expect(rows == [[.int32(1), .int32(3)], [.int32(5), .null]])
    }

    @Test func functionsInFromReadEarlierItems() async throws {
        let (_, rows) = try await run("SELECT a, g FROM (VALUES (2), (0)) t(a), generate_series(1, a) g ORDER BY 1, 2")
        #expect(rows == [[.int32(2), .int32(1)], [.int32(2), .int32(2)]])
    }

    @Test func uncorrelatedLateralIsAnOrdinaryJoin() async throws {
        let (plan, rows) = try await run("SELECT * FROM (VALUES (1)) t(a), LATERAL (SELECT 2 AS b) s")
        #expect(Self.firstLateral(plan.root) == nil)
        #expect(rows == [[.int32(1), .int32(2)]])
    }

    @Test func rightAndFullJoinsCannotBeLateral() async throws {
        let error = await #expect(throws: BindError.self) {
            try await run("SELECT * FROM (VALUES (1)) t(a) RIGHT JOIN LATERAL (SELECT t.a AS b) s ON true")
        }
        #expect(error?.sqlState == .invalidColumnReference)
    }

    static func firstLateral(_ plan: LogicalPlan) -> LogicalPlan? {
        if case .lateral = plan { return plan }
        return PlanExplainer.children(plan).lazy.compactMap(firstLateral).first
    }
}
