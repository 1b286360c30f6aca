import Engine
import SQL
import Testing

@testable import Planner

/// ROLLUP, CUBE, GROUPING SETS and GROUPING(), bound and run over VALUES rows.
@Suite struct GroupingSetsBindingTests {
    func rows(_ sql: String) async throws -> [[Value]] {
        try await BinderTests().run(sql).1
    }

    func groupings(_ groupBy: String) throws -> [[String]] {
        guard case .select(let select) = try SQLParser.parse("SELECT 1 FROM t GROUP BY \(groupBy)")[0].statement else {
            return []
        }
        return try Binder.expandGroupingSets(select.groupBy).map { grouping in
            grouping.map { item in if case .column(let parts, _) = item { parts.joined(separator: ".") } else { "?" } }
        }
    }

    @Test func expansionFollowsPostgreSQL() throws {
        #expect(try groupings("ROLLUP (a, (b, c))") == [["a", "b", "c"], ["a"], []])
        #expect(try groupings("CUBE (a, b)") == [["a", "b"], ["a"], ["b"], []])
        #expect(try groupings("a, GROUPING SETS (b, (), ROLLUP (c))") == [["a", "b"], ["a"], ["a", "c"], ["a"]])
        #expect(try groupings("a, b") == [["a", "b"]])
        #expect(try groupings("()") == [[]])
    }

    @Test func tooManyGroupingsAreRefused() throws {
        let cube = #expect(throws: BindError.self) { try groupings("CUBE (a, b, c, d, e, f, g, h, i, j, k, l, m)") }
        #expect(cube?.sqlState == .tooManyColumns)
        let error = #expect(throws: BindError.self) {
            try groupings("CUBE (a, b, c, d, e, f, g), CUBE (a, b, c, d, e, f)")
        }
        #expect(error?.sqlState == .programLimitExceeded)
    }

    @Test func rollupAddsSubtotalsWithNullKeysAndGroupingBits() async throws {
        let result = try await rows(
            """
            SELECT a, b, sum(n), GROUPING(a, b) FROM (VALUES (1, 1, 10), (1, 2, 20), (2, 1, 30)) t(a, b, n)
            GROUP BY ROLLUP (a, b) ORDER BY 4, 1, 2
            """)
        #expect(
            result == [
                [.int32(1), .int32(1), .int64(10), .int32(0)], [.int32(1), .int32(2), .int64(20), .int32(0)],
                [.int32(2), .int32(1), .int64(30), .int32(0)],
                [.int32(1), .null, .int64(30), .int32(1)], [.int32(2), .null, .int64(30), .int32(1)],
                [.null, .null, .int64(60), .int32(3)],
            ])
    }

    @Test func emptyInputStillHasTheGrandTotal() async throws {
        let result = try await rows("SELECT a, count(*) FROM (VALUES (1)) t(a) WHERE a > 1 GROUP BY CUBE (a)")
        #expect(result == [[.null, .int64(0)]])
    }

    @Test func groupingArgumentsMustBeGroupKeys() async throws {
        let error = await #expect(throws: BindError.self) {
            try await rows("SELECT GROUPING(b) FROM (VALUES (1, 2)) t(a, b) GROUP BY a")
        }
        #expect(error?.sqlState == .groupingError)
        let inWhere = await #expect(throws: BindError.self) {
            try await rows("SELECT a FROM (VALUES (1)) t(a) WHERE GROUPING(a) = 0 GROUP BY a")
        }
        #expect(inWhere?.sqlState == .groupingError)
    }
}
