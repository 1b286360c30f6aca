import Catalog
import Engine
import PostgresClient
import SQL
import TestSupport
import Testing

@testable import Planner

/// The same rows as a Weir table and as a PostgreSQL table.
struct PushdownRows: TableSource {
    let displayName = "pushdown_rows"
    let columns = [
        TableColumn(name: "id", type: .int32), TableColumn(name: "a", type: .int32),
        TableColumn(name: "b", type: .int64),
        TableColumn(name: "c", type: .numeric(precision: 12, scale: 3)), TableColumn(name: "d", type: .float64),
        TableColumn(name: "e", type: .text), TableColumn(name: "f", type: .date),
        TableColumn(name: "g", type: .timestamptz),
        TableColumn(name: "h", type: .boolean),
    ]
    /// The rows as SQL literals, for PostgreSQL.
    static let rowsSQL = """
        (1, 7, 9000000000, 12.345, 0.1, 'it''s', '2024-02-29', '2024-01-01 10:00:00+00', true),
        (2, -3, -1, -0.5, -2.5e300, '', '1999-12-31', '1970-01-01 00:00:00.5+00', false),
        (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
        (4, 0, 0, 0, 0, 'x y', '0044-03-15', '2038-01-19 03:14:08+00', true)
        """

    func scan(
        columns projection: [Int], filter: Engine.Expression?, context: EvaluationContext,
        cancellation: QueryCancellation
    )
        async throws(EngineError) -> any BatchStream
    {
        guard let sql = try? SQLParser.parse("VALUES \(Self.rowsSQL)"),
            case .select(let select) = sql[0].statement, let rows = select.values
        else {
            throw EngineError(.internalError, "rows")
        }
        var values: [[Value]] = []
        for row in rows {
            var converted: [Value] = []
            for (index, item) in row.enumerated() {
                let text: String?
                switch item {
                case .literal(.null, _): text = nil
                case .literal(.integer(let number), _): text = String(number)
                case .literal(.numeric(let number), _): text = number
                case .literal(.string(let string), _): text = string
                case .literal(.boolean(let flag), _): text = flag ? "true" : "false"
                case .unary("-", .literal(.integer(let number), _), _): text = "-\(number)"
                case .unary("-", .literal(.numeric(let number), _), _): text = "-" + number
                default: throw EngineError(.internalError, "unexpected literal \(item)")
                }
                converted.append(
                    try text.map { text throws(EngineError) in try TextInput.parse(text, as: columns[index].type) }
                        ?? .null)
            }
            values.append(converted)
        }
        let projected = projection.map { index in Column(type: columns[index].type, values: values.map { $0[index] }) }
        return MaterializedStream([Batch(columns: projected, rowCount: values.count)])
    }
}

/// Bound expressions written back as SQL (`Expression.sqlTree` then `SQLUnparser`) compute on
/// PostgreSQL exactly what Weir computes: the path a pushed-down filter or projection takes.
@Suite struct ExpressionSQLTreeTests {
    static let expressions = [
        "a + 1", "b * 2 - a", "a / 2", "a % 3", "-a", "c * 2", "c + 1.5", "c / 3", "d * 2", "-d",
        "a > 0 AND (h OR b < 0)", "NOT h", "e IS NULL", "c IS NOT NULL",
        "CASE WHEN a > 0 THEN 'pos' WHEN a < 0 THEN 'neg' ELSE 'zero' END", "COALESCE(e, 'none')", "e || '!'",
        "a::text", "c::int4", "a::numeric(5, 1)", "g > TIMESTAMPTZ '2000-01-01 00:00:00+00'",
        "c = 12.345", "e = 'it''s'", "f = DATE '2024-02-29'", "b = 9000000000", "d = 0.1", "c BETWEEN -1 AND 13",
        "a IN (7, 0, 42)",
    ]

    func plan(_ sql: String) throws -> QueryPlan {
        var context = FixedContext()
        context.tables.add(QualifiedName(["pushdown_rows"]), PushdownRows())
        guard case .select(let select) = try SQLParser.parse(sql)[0].statement else {
            throw BindError(.internalError, "not a select")
        }
        var planner = StatementPlanner(context: context, declaredParameterTypes: [])
        return try planner.planQuery(select)
    }

    @Test(.enabled(if: PostgresTestServer.dsn != nil), arguments: expressions)
    func computesTheSameOnPostgreSQL(sql: String) async throws {
        let query = try plan("SELECT id, \(sql) FROM pushdown_rows")
        // The optimized plan projects the expressions over a scan of the table's columns.
        guard case .project(.scan(let table, let scanned, _), let expressions) = query.root else {
            Issue.record("unexpected plan for \(sql): \(query.root)")
            return
        }
        let tree = try #require(
            expressions[1].sqlTree { index in ["pushdown_rows", table.columns[scanned[index]].name] })
        let written = try SQLUnparser.sql(tree)

        let connection = try PostgresClientConnection(connectionString: PostgresTestServer.dsn!, password: nil)
        try connection.execute("SET TIME ZONE 'UTC'; SET extra_float_digits = 1")
        try connection.execute(
            "CREATE TEMP TABLE pushdown_rows (id int4, a int4, b int8, c numeric(12, 3), d float8, e text, f date, "
                + "g timestamptz, h bool); INSERT INTO pushdown_rows VALUES \(PushdownRows.rowsSQL)")
        let expected = try connection.query("SELECT \(written) FROM pushdown_rows ORDER BY id").map { $0[0] }

        let stream = try await query.instantiate(context: EvaluationContext(), cancellation: QueryCancellation())
        var actual: [(Int32, String?)] = []
        while let batch = try await stream.next() {
            for row in 0..<batch.rowCount {
                guard case .int32(let id) = batch.columns[0].value(at: row) else { continue }
                actual.append((id, TextOutput().string(batch.columns[1], at: row)))
            }
        }
        #expect(actual.sorted { $0.0 < $1.0 }.map(\.1) == expected, "\(sql) written as \(written)")
    }

    @Test func refusesWhatItCannotWriteFaithfully() throws {
        #expect(Engine.Expression.parameter(index: 0, type: .int32).sqlTree { _ in ["x"] } == nil)
        #expect(Engine.Expression.column(index: 0, type: .int32).sqlTree { _ in nil } == nil)
        // Functions wait for the registry to say PostgreSQL computes them identically.
        for sql in ["md5(e)", "f + 1", "f - DATE '2000-01-01'"] {
            let query = try plan("SELECT \(sql) FROM pushdown_rows")
            guard case .project(_, let expressions) = query.root else { return }
            #expect(expressions[0].sqlTree { _ in ["x"] } == nil, "\(sql)")
        }
    }

    @Test func writesTypedLiterals() throws {
        let literal = Engine.Expression.constant(.decimal(150), .numeric(precision: 5, scale: 2))
        #expect(
            try SQLUnparser.sql(try #require(literal.sqlTree { _ in nil }))
                == #"CAST('1.50' AS "pg_catalog"."numeric"(5, 2))"#)
        let null = Engine.Expression.constant(.null, .date)
        #expect(try SQLUnparser.sql(try #require(null.sqlTree { _ in nil })) == #"CAST(NULL AS "pg_catalog"."date")"#)
    }
}
