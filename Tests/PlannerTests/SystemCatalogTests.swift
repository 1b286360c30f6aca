import Catalog
import Engine
import SQL
import SystemCatalog
import Testing

@testable import Planner

/// A catalog with one schema holding the in-memory `items` table.
struct MemoryCatalog: TableCatalog {
    let table: MemoryTable
    var name: String { "lake" }
    func table(schema: String, name: String) async throws(EngineError) -> (any TableSource)? {
        schema == "shop" && name == "items" ? table : nil
    }
    func schemaNames() async throws(EngineError) -> [String] { ["shop"] }
    func tableNames(schema: String) async throws(EngineError) -> [String] { schema == "shop" ? ["items"] : [] }
}

@Suite struct SystemCatalogTests {
    func query(_ sql: String) async throws -> [[Value]] {
        guard case .select(let select) = try SQLParser.parse(sql)[0].statement else {
            throw BindError(.internalError, "not a select")
        }
        let resolver = TableResolver(
            catalogs: ["lake": MemoryCatalog(table: MemoryTable())], defaultCatalog: "lake",
            systemCatalogs: SystemCatalog.factory)
        var context = FixedContext()
        context.tables = try await resolver.resolveTables(in: [select], searchPath: ["demo", "public"], user: "demo")
        return try await BinderTests().run(sql, context: context).1
    }

    @Test func pgTypeDescribesBuiltInTypes() async throws {
        #expect(
            try await query("SELECT oid, typname, typlen FROM pg_type WHERE typname = 'int8'") == [
                [.uint32(20), .text("int8"), .int16(8)]
            ])
        #expect(try await query("SELECT typelem FROM pg_catalog.pg_type WHERE oid = 1009") == [[.uint32(25)]])
    }

    @Test func informationSchemaListsTablesAndColumns() async throws {
        #expect(
            try await query("SELECT table_schema, table_name, table_type FROM information_schema.tables")
                == [[.text("shop"), .text("items"), .text("BASE TABLE")]])
        #expect(
            try await query(
                "SELECT column_name, ordinal_position, is_nullable, data_type, numeric_precision, numeric_scale FROM information_schema.columns"
            )
                == [
                    [.text("id"), .int32(1), .text("NO"), .text("integer"), .int32(32), .int32(0)],
                    [.text("name"), .int32(2), .text("YES"), .text("text"), .null, .null],
                    [.text("price"), .int32(3), .text("YES"), .text("numeric"), .int32(10), .int32(2)],
                ])
    }

    @Test func pgClassAndPgAttributeAgreeOnOIDs() async throws {
        let classes = try await query("SELECT oid, relname, relkind, relnatts FROM pg_class")
        #expect(classes.count == 1)
        guard let row = classes.first, case .uint32(let oid) = row[0] else { return }
        #expect(Array(row[1...]) == [.text("items"), .text("r"), .int16(3)])
        let attributes = try await query("SELECT attrelid, attname, atttypid, attnum, attnotnull FROM pg_attribute")
        #expect(
            attributes == [
                [.uint32(oid), .text("id"), .uint32(23), .int16(1), .bool(true)],
                [.uint32(oid), .text("name"), .uint32(25), .int16(2), .bool(false)],
                [.uint32(oid), .text("price"), .uint32(1700), .int16(3), .bool(false)],
            ])
        #expect(try await query("SELECT nspname FROM pg_namespace WHERE nspname = 'shop'") == [[.text("shop")]])
    }
}
