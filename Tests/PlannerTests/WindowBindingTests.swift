import Engine
import SQL
import Testing

@testable import Planner

/// Window functions from SQL text to rows: names, types, where they sit among the clauses, and
/// PostgreSQL's errors. (Expected rows worked out by hand; compat-tests compare many more queries
/// with PostgreSQL itself.)
@Suite struct WindowBindingTests {
    func run(_ sql: String) async throws -> (QueryPlan, [[Value]]) { try await BinderTests().run(sql) }

    static let sales =
        "(VALUES ('a', 1, 10), ('a', 2, 20), ('a', 3, 20), ('b', 1, 5), ('b', 2, NULL), ('c', 1, 7)) AS s(shop, day, amount)"

    @Test func namedWindowsPartitionAndOrder() async throws {
        let (plan, rows) = try await run(
            "SELECT shop, day, row_number() OVER w, rank() OVER (PARTITION BY shop ORDER BY amount DESC), sum(amount) OVER w AS running, "
                + "count(*) OVER (PARTITION BY shop), lag(amount, 1, 0) OVER w FROM \(Self.sales) "
                + "WINDOW w AS (PARTITION BY shop ORDER BY day) ORDER BY shop, day")
        #expect(plan.columns.map(\.name) == ["shop", "day", "row_number", "rank", "running", "count", "lag"])
        #expect(plan.columns.map(\.type) == [.text, .int32, .int64, .int64, .int64, .int64, .int32])
        #expect(
            rows.map { Array($0[2...]) } == [
                [.int64(1), .int64(3), .int64(10), .int64(3), .int32(0)],
                [.int64(2), .int64(1), .int64(30), .int64(3), .int32(10)],
                [.int64(3), .int64(1), .int64(50), .int64(3), .int32(20)],
                [.int64(1), .int64(2), .int64(5), .int64(2), .int32(0)],
                [.int64(2), .int64(1), .int64(5), .int64(2), .int32(5)],
                [.int64(1), .int64(1), .int64(7), .int64(1), .int32(0)],
            ])
    }

    @Test func windowsRunOverGroupsAndFeedOrderBy() async throws {
        let (_, rows) = try await run(
            "SELECT shop, sum(amount) AS total, rank() OVER (ORDER BY sum(amount) DESC) AS place, "
                + "sum(sum(amount)) OVER () AS everything FROM \(Self.sales) GROUP BY shop HAVING count(*) > 1 "
                + "ORDER BY row_number() OVER (ORDER BY shop DESC)")
        #expect(
            rows == [
                [.text("b"), .int64(5), .int64(2), .decimal(55)],
                [.text("a"), .int64(50), .int64(1), .decimal(55)],
            ])
    }

    @Test func filtersAboveAWindowStayAboveIt() async throws {
        let (plan, rows) = try await run(
            "SELECT x, n FROM (SELECT x, row_number() OVER (ORDER BY x) AS n FROM generate_series(1, 5) AS g(x)) AS t WHERE x > 3"
        )
        #expect(rows == [[.int32(4), .int64(4)], [.int32(5), .int64(5)]])
        let lines = PlanExplainer.lines(plan)
        let window = try #require(lines.firstIndex { $0.contains("WindowAgg (row_number)") })
        #expect(lines[..<window].contains { $0.contains("Filter") })
    }

    @Test func rangeOffsetsFollowTheKeyType() async throws {
        let (_, rows) = try await run(
            "SELECT d, count(*) OVER (ORDER BY d RANGE BETWEEN '1 day' PRECEDING AND CURRENT ROW), "
                + "sum(x) OVER (ORDER BY x DESC RANGE BETWEEN 1.5 PRECEDING AND 1 FOLLOWING) "
                + "FROM (VALUES (DATE '2024-01-01', 1.0), (DATE '2024-01-02', 2.0), (DATE '2024-01-04', 3.0), (NULL, 4.0)) AS v(d, x) ORDER BY x"
        )
        #expect(
            rows.map { Array($0[1...]) } == [
                [.int64(1), .decimal(30)], [.int64(2), .decimal(60)], [.int64(1), .decimal(90)],
                [.int64(1), .decimal(70)],
            ])
    }

    @Test(arguments: [
        (
            "SELECT x FROM generate_series(1, 3) AS g(x) WHERE row_number() OVER () > 1", "42P20",
            "window functions are not allowed in WHERE"
        ),
        (
            "SELECT x FROM generate_series(1, 3) AS g(x) GROUP BY rank() OVER ()", "42P20",
            "window functions are not allowed in GROUP BY"
        ),
        (
            "SELECT count(*) FROM generate_series(1, 3) AS g(x) HAVING rank() OVER () > 0", "42P20",
            "window functions are not allowed in HAVING"
        ),
        (
            "SELECT sum(rank() OVER ()) FROM generate_series(1, 3) AS g(x)", "42803",
            "aggregate function calls cannot contain window function calls"
        ),
        (
            "SELECT sum(rank() OVER ()) OVER () FROM generate_series(1, 3) AS g(x)", "42P20",
            "window function calls cannot be nested"
        ),
        (
            "SELECT rank() OVER (ORDER BY rank() OVER ()) FROM generate_series(1, 3) AS g(x)", "42P20",
            "window functions are not allowed in window definitions"
        ),
        ("SELECT rank() OVER w FROM generate_series(1, 3) AS g(x)", "42704", "window \"w\" does not exist"),
        (
            "SELECT rank() OVER (w PARTITION BY x) FROM generate_series(1, 3) AS g(x) WINDOW w AS (ORDER BY x)",
            "42P20",
            "cannot override PARTITION BY clause of window \"w\""
        ),
        (
            "SELECT rank() OVER (w ORDER BY x) FROM generate_series(1, 3) AS g(x) WINDOW w AS (ORDER BY x)", "42P20",
            "cannot override ORDER BY clause of window \"w\""
        ),
        (
            "SELECT sum(x) OVER (w) FROM generate_series(1, 3) AS g(x) WINDOW w AS (ROWS 1 PRECEDING)", "42P20",
            "cannot copy window \"w\" because it has a frame clause"
        ),
        (
            "SELECT 1 FROM generate_series(1, 3) AS g(x) WINDOW w AS (), w AS ()", "42P20",
            "window \"w\" is already defined"
        ),
        (
            "SELECT sum(x) OVER (RANGE 1 PRECEDING) FROM generate_series(1, 3) AS g(x)", "42P20",
            "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column"
        ),
        (
            "SELECT sum(x) OVER (GROUPS 1 PRECEDING) FROM generate_series(1, 3) AS g(x)", "42P20",
            "GROUPS mode requires an ORDER BY clause"
        ),
        (
            "SELECT sum(x) OVER (ROWS x PRECEDING) FROM generate_series(1, 3) AS g(x)", "42P20",
            "argument of ROWS must not contain variables"
        ),
        (
            "SELECT row_number() FROM generate_series(1, 3) AS g(x)", "42809",
            "window function row_number requires an OVER clause"
        ),
        (
            "SELECT upper('a') OVER () FROM generate_series(1, 3) AS g(x)", "42809",
            "OVER specified, but upper is not a window function nor an aggregate function"
        ),
        (
            "SELECT count(DISTINCT x) OVER () FROM generate_series(1, 3) AS g(x)", "0A000",
            "DISTINCT is not implemented for window functions"
        ),
        (
            "SELECT sum(x) OVER (ORDER BY x ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW EXCLUDE TIES) FROM generate_series(1, 3) AS g(x)",
            "0A000", "EXCLUDE TIES in window frames is not supported yet"
        ),
    ])
    func errorsMatchPostgreSQL(sql: String, sqlState: String, message: String) async {
        do {
            _ = try await run(sql)
            Issue.record("no error for \(sql)")
        } catch let error as BindError {
            #expect(error.sqlState.code == sqlState)
            #expect(error.message == message)
        } catch {
            Issue.record("unexpected \(error) for \(sql)")
        }
    }
}
