import Engine
import SQL
import Testing

@testable import Planner

/// Result types and errors of function and operator resolution, as PostgreSQL resolves them.
@Suite struct FunctionBindingTests {
    func bind(_ sql: String) throws -> QueryPlan {
        guard case .select(let select) = try SQLParser.parse(sql)[0].statement else {
            throw BindError(.internalError, "not a select")
        }
        var planner = StatementPlanner(context: FixedContext(), declaredParameterTypes: [])
        return try planner.planQuery(select)
    }

    func types(_ sql: String) throws -> [DataType] { try bind(sql).columns.map(\.type) }

    @Test func mathResultTypes() throws {
        #expect(
            try types("SELECT round(5), round(2.5), round(2.567, 2), abs(-1::bigint), sqrt(4), mod(7, 2), div(7, 2)")
                == [
                    .float64, .numeric(precision: nil, scale: 0), .numeric(precision: nil, scale: 2), .int64, .float64,
                    .int32,
                    .numeric(precision: nil, scale: 0),
                ])
    }

    @Test func dateTimeResultTypes() throws {
        #expect(
            try types(
                "SELECT date '2024-01-01' + 1, date '2024-01-01' - date '2023-01-01', date '2024-01-01' + interval '1 day', extract(second from timestamp '2024-01-01'), date_part('year', date '2024-01-01')"
            ) == [
                .date, .int32, .timestamp, .numeric(precision: nil, scale: 6), .float64,
            ])
        #expect(
            try types(
                "SELECT date_trunc('month', date '2024-01-01'), timestamp '2024-01-01' AT TIME ZONE 'UTC', now() - interval '1 hour'"
            ) == [
                .timestamptz, .timestamptz, .timestamptz,
            ])
    }

    @Test func patternOperatorsAreBoolean() throws {
        #expect(
            try types("SELECT 'a' LIKE 'a%', 'a' ~* 'A', 'a' SIMILAR TO 'a', 1 IS DISTINCT FROM 2, greatest(1, 2.5)")
                == [
                    .boolean, .boolean, .boolean, .boolean, .numeric(precision: nil, scale: 1),
                ])
    }

    @Test func errorsCarryPostgreSQLStates() throws {
        let cases: [(String, String)] = [
            ("SELECT 'a' ~ '('", "2201B"), ("SELECT 1 LIKE '1'", "42883"), ("SELECT lpad(1, 3)", "42883"),
            ("SELECT extract(hour from date '2024-01-01')", "0A000"), ("SELECT date '2024-01-01' + '1'", "42725"),
            ("SELECT date_trunc('fortnight', now())", "22023"),
        ]
        for (sql, state) in cases {
            #expect(throws: BindError.self) { try bind(sql) }
            do {
                _ = try bind(sql)
            } catch let error as BindError {
                #expect(error.sqlState.code == state, "\(sql)")
            }
        }
    }
}
