import Catalog
import Engine
import SQL
import Testing

@testable import Planner

/// A fixed session for binding.
struct FixedContext: BinderContext {
    var currentUser = "demo"
    var sessionUser = "demo"
    var currentDatabase = "lake"
    var evaluationContext = EvaluationContext()
    var processID: Int32 = 42
    var tables = ResolvedTables()
    var accessControl: any AccessControl = AllowEverything()
    func setting(_ name: String) -> String? { ["server_version": "15.8", "search_path": "\"$user\", public"][name] }
}

@Suite struct BinderTests {
    func run(
        _ sql: String, parameters: [Value] = [], declared: [DataType?] = [], context: FixedContext = FixedContext()
    ) async throws -> (QueryPlan, [[Value]]) {
        guard case .select(let select) = try SQLParser.parse(sql)[0].statement else {
            throw BindError(.internalError, "not a select")
        }
        var planner = StatementPlanner(context: context, declaredParameterTypes: declared)
        let plan = try planner.planQuery(select)
        let stream = try await plan.instantiate(
            context: EvaluationContext(parameters: parameters), cancellation: QueryCancellation())
        var rows: [[Value]] = []
        while let batch = try await stream.next() {
            for row in 0..<batch.rowCount { rows.append(batch.columns.map { $0.value(at: row) }) }
        }
        return (plan, rows)
    }

    @Test func literalTypesAndNames() async throws {
        let (plan, rows) = try await run("SELECT 1, 3000000000, 2.50, 'x', true, 1 AS one, 'a'::text")
        #expect(
            plan.columns.map(\.type) == [
                .int32, .int64, .numeric(precision: nil, scale: 2), .text, .boolean, .int32, .text,
            ])
        #expect(
            plan.columns.map(\.name) == ["?column?", "?column?", "?column?", "?column?", "?column?", "one", "text"])
        #expect(
            rows == [[.int32(1), .int64(3_000_000_000), .decimal(250), .text("x"), .bool(true), .int32(1), .text("a")]])
    }

    @Test func numericScalesFollowPostgreSQL() async throws {
        let (plan, rows) = try await run("SELECT 2.5 * 2, 1 + 1.25, 1.5 * 1.25")
        #expect(
            plan.columns.map(\.type) == [
                .numeric(precision: nil, scale: 1), .numeric(precision: nil, scale: 2),
                .numeric(precision: nil, scale: 3),
            ])
        #expect(rows == [[.decimal(50), .decimal(225), .decimal(1875)]])
    }

    @Test func seriesWithFilterAndLimit() async throws {
        let (plan, rows) = try await run(
            "SELECT x * 2 AS y FROM generate_series(1, 100) AS g(x) WHERE x % 10 = 0 LIMIT 3 OFFSET 1")
        #expect(plan.columns.map(\.name) == ["y"])
        #expect(rows == [[.int32(40)], [.int32(60)], [.int32(80)]])
    }

    @Test func parameterTypesAreInferred() async throws {
        let (plan, rows) = try await run(
            "SELECT $1 + 1, $2::int8, $3", parameters: [.int32(41), .int64(7), .text("t")])
        #expect(plan.parameterTypes == [.int32, .int64, .text])
        #expect(rows == [[.int32(42), .int64(7), .text("t")]])
    }

    @Test func sessionFunctionsAreConstants() async throws {
        let (_, rows) = try await run(
            "SELECT current_user, current_database(), current_schema(), pg_backend_pid(), current_setting('server_version')"
        )
        #expect(rows == [[.text("demo"), .text("lake"), .text("demo"), .int32(42), .text("15.8")]])
    }

    @Test func errorsCarrySQLStateAndLocation() async {
        await #expect(throws: BindError(.undefinedTable, "relation \"nope\" does not exist", location: 14)) {
            try await run("SELECT 1 FROM nope")
        }
        await #expect(throws: BindError(.undefinedColumn, "column \"y\" does not exist", location: 7)) {
            try await run("SELECT y FROM generate_series(1, 2) g(x)")
        }
        await #expect(throws: BindError.self) { try await run("SELECT 'abc' + 1") }
        await #expect(
            throws: BindError(
                .undefinedFunction, "function no_such(integer) does not exist",
                hint:
                    "No function matches the given name and argument types. You might need to add explicit type casts.",
                location: 7)
        ) {
            try await run("SELECT no_such(1)")
        }
    }

    @Test func caseCoalesceAndInList() async throws {
        let (_, rows) = try await run(
            "SELECT CASE WHEN x > 1 THEN 'big' ELSE 'small' END, coalesce(NULL, x), x IN (1, 3), x BETWEEN 2 AND 3 FROM generate_series(1, 3) g(x)"
        )
        #expect(
            rows == [
                [.text("small"), .int32(1), .bool(true), .bool(false)],
                [.text("big"), .int32(2), .bool(false), .bool(true)],
                [.text("big"), .int32(3), .bool(true), .bool(true)],
            ])
    }
}
