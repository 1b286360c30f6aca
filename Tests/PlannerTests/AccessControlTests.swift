import Catalog
import Engine
import SQL
import Synchronization
import Testing

@testable import Planner

/// Hides row 2 of `shop.items` and masks its names, and refuses `shop.secrets`, recording each table
/// it was asked about: the rewrite the governance work will install, as the planner's analyzer must
/// apply it to every table a statement reads.
final class RestrictingAccessControl: AccessControl {
    let asked = Mutex<[String]>([])

    func readPolicy(table: any TableSource, user: String) throws(EngineError) -> ReadPolicy {
        asked.withLock { $0.append(table.displayName) }
        switch table.displayName {
        case "shop.items":
            return ReadPolicy(
                rowFilter: .comparison(.notEqual, .column(index: 0, type: .int32), .constant(.int32(2), .int32)),
                columnMasks: [1: .constant(.text("***"), .text)])
        case "shop.secrets":
            throw EngineError(.insufficientPrivilege, "permission denied for table secrets")
        default:
            return .unrestricted
        }
    }
}

/// `shop.items` scanned with one more column, each row's identifier (its id times 10), for the row
/// changes.
struct IdentifiedItems: RowIdentifyingTable {
    final class Identities: RowIdentities {}

    let base = MemoryTable()
    var displayName: String { base.displayName }
    var columns: [TableColumn] { base.columns }

    func scan(
        columns projection: [Int], filter: Engine.Expression?, context: EvaluationContext,
        cancellation: QueryCancellation
    )
        async throws(EngineError) -> any BatchStream
    {
        try await base.scan(columns: projection, filter: filter, context: context, cancellation: cancellation)
    }

    func identifyingRows() -> (table: any TableSource, identities: any RowIdentities) {
        (WithIdentifiers(base: base), Identities())
    }

    struct WithIdentifiers: TableSource {
        let base: MemoryTable
        var displayName: String { base.displayName }
        var columns: [TableColumn] { base.columns + [TableColumn(name: "row_id", type: .int64, isNullable: false)] }

        func scan(
            columns projection: [Int], filter: Engine.Expression?, context: EvaluationContext,
            cancellation: QueryCancellation
        )
            async throws(EngineError) -> any BatchStream
        {
            let rows = base.rows.map { row -> [Value] in
                guard case .int32(let id) = row[0] else { return row + [.null] }
                return row + [.int64(Int64(id) * 10)]
            }
            let projected = projection.map { index in Column(type: columns[index].type, values: rows.map { $0[index] })
            }
            return MaterializedStream([Batch(columns: projected, rowCount: rows.count)])
        }
    }
}

/// A table nobody may read.
struct SecretTable: TableSource {
    let displayName = "shop.secrets"
    let columns = [TableColumn(name: "code", type: .text)]

    func scan(
        columns projection: [Int], filter: Engine.Expression?, context: EvaluationContext,
        cancellation: QueryCancellation
    )
        async throws(EngineError) -> any BatchStream
    {
        Issue.record("a refused table was scanned")
        return MaterializedStream([])
    }
}

@Suite struct AccessControlTests {
    let accessControl = RestrictingAccessControl()
    let items = IdentifiedItems()

    var context: FixedContext {
        var context = FixedContext()
        context.accessControl = accessControl
        context.tables.add(QualifiedName(["items"]), items)
        context.tables.add(QualifiedName(["secrets"]), SecretTable())
        let viewQuery = "SELECT id, name FROM items WHERE id < 3"
        guard case .select(let select) = try? SQLParser.parse(viewQuery)[0].statement else {
            preconditionFailure("view query")
        }
        var viewTables = ResolvedTables()
        viewTables.add(QualifiedName(["items"]), items)
        let definition = ViewDefinition(
            schema: "shop", name: "cheap", query: viewQuery, defaultSchema: "shop",
            columns: [TableColumn(name: "id", type: .int32), TableColumn(name: "name", type: .text)])
        context.tables.add(
            QualifiedName(["cheap"]), ResolvedView(definition: definition, query: select, tables: viewTables))
        return context
    }

    func rows(of plan: any StatementRows) async throws -> [[Value]] {
        let stream = try await plan.open(context: EvaluationContext(), cancellation: QueryCancellation())
        var rows: [[Value]] = []
        while let batch = try await stream.next() {
            for row in 0..<batch.rowCount { rows.append(batch.columns.map { $0.value(at: row) }) }
        }
        return rows
    }

    func query(_ sql: String) async throws -> [[Value]] {
        guard case .select(let select) = try SQLParser.parse(sql)[0].statement else {
            throw BindError(.internalError, "not a select")
        }
        var planner = StatementPlanner(context: context, declaredParameterTypes: [])
        return try await rows(of: try planner.planQuery(select))
    }

    @Test(arguments: [
        // The table itself, and through WITH, a derived table, a view and set operations.
        ("SELECT id, name FROM items ORDER BY id", [[Value.int32(1), .text("***")], [.int32(3), .text("***")]]),
        (
            "WITH c AS (SELECT * FROM items) SELECT id, name FROM c ORDER BY id",
            [[.int32(1), .text("***")], [.int32(3), .text("***")]]
        ),
        (
            "SELECT id, name FROM (SELECT * FROM items) AS d ORDER BY id",
            [[.int32(1), .text("***")], [.int32(3), .text("***")]]
        ),
        ("SELECT id, name FROM cheap ORDER BY id", [[.int32(1), .text("***")]]),
        (
            "SELECT id FROM items UNION ALL SELECT id FROM items ORDER BY 1",
            [[.int32(1)], [.int32(1)], [.int32(3)], [.int32(3)]]
        ),
        // Subqueries: IN, EXISTS, uncorrelated scalar, correlated scalar, LATERAL, recursive WITH.
        (
            "SELECT x FROM generate_series(1, 3) AS g(x) WHERE x IN (SELECT id FROM items) ORDER BY x",
            [[.int32(1)], [.int32(3)]]
        ),
        (
            "SELECT x FROM generate_series(1, 3) AS g(x) WHERE EXISTS (SELECT 1 FROM items WHERE id = x) ORDER BY x",
            [[.int32(1)], [.int32(3)]]
        ),
        ("SELECT (SELECT count(*) FROM items)", [[.int64(2)]]),
        (
            "SELECT x, (SELECT max(name) FROM items WHERE id <= x) FROM generate_series(1, 2) AS g(x) ORDER BY x",
            [[.int32(1), .text("***")], [.int32(2), .text("***")]]
        ),
        (
            "SELECT x, n FROM generate_series(2, 3) AS g(x), LATERAL (SELECT name AS n FROM items WHERE id = x) AS l",
            [[.int32(3), .text("***")]]
        ),
        (
            "WITH RECURSIVE r(n) AS (SELECT min(id) FROM items UNION ALL SELECT n + 1 FROM r WHERE n + 1 IN (SELECT id FROM items)) SELECT n FROM r",
            [[.int32(1)]]
        ),
    ])
    func reachesEveryTableAQueryReads(sql: String, expected: [[Value]]) async throws {
        #expect(try await query(sql) == expected, "\(sql)")
        #expect(accessControl.asked.withLock { $0 }.allSatisfy { $0 == "shop.items" }, "\(sql)")
    }

    @Test func refusesATableAnywhereInAStatement() async throws {
        for sql in [
            "SELECT * FROM secrets", "SELECT 1 WHERE EXISTS (SELECT 1 FROM secrets)",
            "SELECT (SELECT max(code) FROM secrets)",
            "WITH s AS (SELECT * FROM secrets) SELECT count(*) FROM s",
        ] {
            await #expect(throws: BindError(.insufficientPrivilege, "permission denied for table secrets"), "\(sql)") {
                _ = try await query(sql)
            }
        }
    }

    @Test func reachesTheSourcesOfWrites() async throws {
        var planner = StatementPlanner(context: context, declaredParameterTypes: [])
        guard case .select(let source) = try SQLParser.parse("SELECT id, name FROM items")[0].statement else { return }
        let insert = try planner.planInsert(
            source, into: [TableColumn(name: "id", type: .int32), TableColumn(name: "label", type: .text)], listed: [],
            tableName: "copy")
        #expect(try await rows(of: insert) == [[.int32(1), .text("***")], [.int32(3), .text("***")]])

        // DELETE and UPDATE find only the rows the user may see, and UPDATE computes from masked values.
        let delete = try planner.planRowChange(
            table: items, tableName: "items", alias: nil, from: [], whereClause: nil, assignments: nil, returning: [])
        #expect(try await rows(of: delete.change.rows).map { $0[0] } == [.int64(10), .int64(30)])
        guard
            case .update(let update) = try SQLParser.parse("UPDATE items SET price = 1 WHERE name = '***'")[0].statement
        else { return }
        let updated = try planner.planRowChange(
            table: items, tableName: "items", alias: nil, from: [], whereClause: update.whereClause,
            assignments: update.assignments,
            returning: [])
        #expect(try await rows(of: updated.change.rows).map { $0[0] } == [.int64(10), .int64(30)])

        guard
            case .merge(let merge) = try SQLParser.parse(
                "MERGE INTO items t USING (SELECT id FROM items) s ON t.id = s.id WHEN MATCHED THEN DELETE")[0]
                .statement
        else { return }
        let merged = try planner.planMerge(
            into: items, tableName: "items", alias: merge.alias, source: merge.source, condition: merge.condition,
            clauses: merge.clauses)
        #expect(try await rows(of: merged.change.rows).map { $0[0] } == [.int64(10), .int64(30)])
    }
}
