import Catalog
import Engine
import SQL
import Testing

@testable import Planner

/// A table held in memory that records which columns and filter each scan asked for.
final class MemoryTable: TableSource, @unchecked Sendable {
    // Unchecked: `scans` is only appended to by the test's own task, one query at a time.
    let displayName = "shop.items"
    let columns = [
        TableColumn(name: "id", type: .int32, isNullable: false), TableColumn(name: "name", type: .text),
        TableColumn(name: "price", type: .numeric(precision: 10, scale: 2)),
    ]
    let rows: [[Value]] = [
        [.int32(1), .text("apple"), .decimal(120)], [.int32(2), .text("pear"), .null],
        [.int32(3), .text("fig"), .decimal(310)],
    ]
    var scans: [(columns: [Int], filter: Engine.Expression?)] = []

    func scan(
        columns projection: [Int], filter: Engine.Expression?, context: EvaluationContext,
        cancellation: QueryCancellation
    )
        async throws(EngineError) -> any BatchStream
    {
        scans.append((projection, filter))
        let projected = projection.map { index in Column(type: columns[index].type, values: rows.map { $0[index] }) }
        return MaterializedStream([Batch(columns: projected, rowCount: rows.count)])
    }
}

@Suite struct TableBindingTests {
    let table = MemoryTable()

    var context: FixedContext {
        var context = FixedContext()
        context.tables.add(QualifiedName(["shop", "items"]), table)
        context.tables.add(QualifiedName(["items"]), table)
        return context
    }

    @Test func selectsColumnsOfATable() async throws {
        let (plan, rows) = try await BinderTests().run(
            "SELECT name, price FROM shop.items WHERE id >= 2", context: context)
        #expect(plan.columns.map(\.name) == ["name", "price"])
        #expect(plan.columns.map(\.type) == [.text, .numeric(precision: 10, scale: 2)])
        #expect(rows == [[.text("pear"), .null], [.text("fig"), .decimal(310)]])
        // Only the three columns the query reads are scanned, and the WHERE clause reaches the scan
        // (over the scan's own column positions: id is the first of the pruned columns).
        #expect(table.scans.first?.columns == [0, 1, 2])
        guard
            case .comparison(.greaterOrEqual, .column(0, .int32), .constant(.int32(2), .int32))? = table.scans.first?
                .filter
        else {
            Issue.record("filter not pushed to the scan: \(String(describing: table.scans.first?.filter))")
            return
        }
    }

    @Test func prunesColumnsAndHonoursAliases() async throws {
        let (plan, rows) = try await BinderTests().run(
            "SELECT i.label FROM items AS i(num, label) LIMIT 2", context: context)
        #expect(plan.columns.map(\.name) == ["label"])
        #expect(rows == [[.text("apple")], [.text("pear")]])
        #expect(table.scans.first?.columns == [1])
    }

    @Test func starExpandsEveryColumn() async throws {
        let (plan, rows) = try await BinderTests().run("SELECT * FROM items WHERE price IS NULL", context: context)
        #expect(plan.columns.map(\.name) == ["id", "name", "price"])
        #expect(rows == [[.int32(2), .text("pear"), .null]])
    }

    @Test func derivedTablesNestPlans() async throws {
        let (plan, rows) = try await BinderTests().run(
            "SELECT t.n, t.p FROM (SELECT name AS n, price FROM items WHERE id > 1) AS t(n, p) WHERE t.p IS NOT NULL",
            context: context)
        #expect(plan.columns.map(\.name) == ["n", "p"])
        #expect(rows == [[.text("fig"), .decimal(310)]])
        // PostgreSQL 15's grammar rejects the missing alias, with the cursor on the subquery.
        do {
            _ = try SQLParser.parse("SELECT * FROM (SELECT 1)")
            Issue.record("a subquery without an alias parsed")
        } catch {
            #expect(error.sqlState == .syntaxError)
            #expect(error.message == "subquery in FROM must have an alias")
            #expect(error.position == 15)
        }
    }

    @Test func joinsBindColumnsFromBothSides() throws {
        func bind(_ sql: String) throws -> QueryPlan {
            guard case .select(let select) = try SQLParser.parse(sql)[0].statement else {
                throw BindError(.internalError, "not a select")
            }
            var planner = StatementPlanner(context: context, declaredParameterTypes: [])
            return try planner.planQuery(select)
        }
        // USING merges the join column: `*` shows it once, first; qualified names still reach each side.
        let using = try bind("SELECT *, a.id AS left_id, b.id AS right_id FROM items a JOIN items b USING (id)")
        #expect(using.columns.map(\.name) == ["id", "name", "price", "name", "price", "left_id", "right_id"])
        let on = try bind("SELECT a.name, b.price FROM items a LEFT JOIN shop.items b ON a.id = b.id + 1")
        #expect(on.columns.map(\.name) == ["name", "price"])
        #expect(throws: BindError(.ambiguousColumn, "column reference \"name\" is ambiguous", location: 7)) {
            _ = try bind("SELECT name FROM items a, items b")
        }
        #expect(throws: BindError(.duplicateAlias, "table name \"items\" specified more than once")) {
            _ = try bind("SELECT 1 FROM items, items")
        }
        #expect(
            throws: BindError(
                .undefinedColumn, "column \"nope\" specified in USING clause does not exist in left table")
        ) {
            _ = try bind("SELECT 1 FROM items a JOIN items b USING (nope)")
        }
    }

    @Test func unknownTablesAndColumnsAreReported() async throws {
        await #expect(throws: BindError(.undefinedTable, "relation \"shop.missing\" does not exist", location: 14)) {
            _ = try await BinderTests().run("SELECT * FROM shop.missing", context: context)
        }
        await #expect(throws: BindError.self) {
            _ = try await BinderTests().run("SELECT nope FROM items", context: context)
        }
    }
}
