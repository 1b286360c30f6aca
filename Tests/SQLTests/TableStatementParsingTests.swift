import Testing

@testable import SQL

/// CREATE TABLE (with Iceberg partitioning and properties), CREATE TABLE AS, INSERT, COPY FROM
/// and DROP TABLE parse into Weir's statements, and what Weir does not support says so.
@Suite struct TableStatementParsingTests {
    func statement(_ sql: String) throws -> Statement { try SQLParser.parse(sql)[0].statement }

    @Test func createTableWithPartitioningAndProperties() throws {
        let sql = """
            CREATE TABLE IF NOT EXISTS s.t (a int NOT NULL, b numeric(10,2), c text NULL, d timestamptz)
            PARTITION BY iceberg (day(d), bucket(16, a), c, truncate(4, c)) WITH ("write.format.default" = 'parquet', n = 3)
            """
        guard case .createTable(let create) = try statement(sql) else {
            Issue.record("not CREATE TABLE")
            return
        }
        #expect(create.name == QualifiedName(["s", "t"]))
        #expect(create.ifNotExists)
        #expect(create.columns.map(\.name) == ["a", "b", "c", "d"])
        #expect(create.columns.map(\.notNull) == [true, false, false, false])
        #expect(create.columns[1].type.names.last == "numeric" && create.columns[1].type.modifiers == [10, 2])
        #expect(create.partitionBy.map(\.transform) == ["day", "bucket", "identity", "truncate"])
        #expect(create.partitionBy.map(\.column) == ["d", "a", "c", "c"])
        #expect(create.partitionBy.map(\.argument) == [nil, 16, nil, 4])
        #expect(create.properties.map(\.key) == ["write.format.default", "n"])
        #expect(create.properties.map(\.value) == ["parquet", "3"])
    }

    @Test(arguments: [
        ("CREATE TABLE t (a int PRIMARY KEY)", "0A000"),
        ("CREATE TABLE t (a int DEFAULT 1)", "0A000"),
        ("CREATE TABLE t (a int, UNIQUE (a))", "0A000"),
        ("CREATE TEMP TABLE t (a int)", "0A000"),
        ("CREATE TABLE t (a int) PARTITION BY RANGE (a)", "0A000"),
        ("CREATE TABLE t (a int) PARTITION BY iceberg (a + 1)", "42601"),
        ("CREATE TABLE t (a int) PARTITION BY iceberg (bucket(a))", "42601"),
        ("CREATE TABLE t (a int) PARTITION BY iceberg (bucket(0, a))", "22023"),
        ("INSERT INTO t DEFAULT VALUES", "0A000"),
        // Iceberg tables have no constraints for a conflict target to name.
        ("INSERT INTO t VALUES (1) ON CONFLICT (a) DO NOTHING", "42P10"),
        ("INSERT INTO t VALUES (1) ON CONFLICT ON CONSTRAINT t_pkey DO NOTHING", "42704"),
        ("INSERT INTO t VALUES (1) ON CONFLICT DO UPDATE SET a = 2", "42601"),
        ("COPY t FROM STDIN WITH (FORCE_QUOTE *)", "0A000"),
        ("COPY t FROM STDIN WITH (FORCE_NULL (a))", "0A000"),
        ("UPDATE t SET (a, b) = (SELECT 1, 2)", "0A000"),
        ("UPDATE t SET (a, b) = (1, 2, 3)", "42601"),
        ("ALTER TABLE t ALTER COLUMN a SET NOT NULL", "0A000"),
        ("ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0)", "0A000"),
    ])
    func unsupportedFormsSaySo(sql: String, sqlState: String) {
        let error = #expect(throws: ParseError.self) { try statement(sql) }
        #expect(error?.sqlState.code == sqlState, "\(sql)")
    }

    @Test func insertCopyCreateAsAndDrop() throws {
        guard case .insert(let insert) = try statement("INSERT INTO s.t (b, a) SELECT 1, 2") else {
            Issue.record("not INSERT")
            return
        }
        #expect(insert.table == QualifiedName(["s", "t"]))
        #expect(insert.columns == ["b", "a"])
        #expect(insert.query.targets.count == 2)

        guard
            case .copyFromStdin(let table, let columns, let options) = try statement(
                "COPY t (x, y) FROM STDIN WITH (FORMAT csv, HEADER)")
        else {
            Issue.record("not COPY FROM")
            return
        }
        #expect(table == QualifiedName(["t"]) && columns == ["x", "y"])
        #expect(options.format == .csv && options.header)

        guard case .createTableAs(let create) = try statement("CREATE TABLE n (p, q) AS SELECT 1, 2 WITH NO DATA")
        else {
            Issue.record("not CREATE TABLE AS")
            return
        }
        #expect(create.columnNames == ["p", "q"] && !create.withData)

        #expect(
            try statement("DROP TABLE IF EXISTS a, s.b CASCADE")
                == .dropTable(names: [QualifiedName(["a"]), QualifiedName(["s", "b"])], ifExists: true, cascade: true))
    }

    @Test func deleteUpdateAndAlter() throws {
        guard case .delete(let delete) = try statement("DELETE FROM s.t AS x WHERE x.a = 1") else {
            Issue.record("not DELETE")
            return
        }
        #expect(delete.table == QualifiedName(["s", "t"]) && delete.alias == "x" && delete.whereClause != nil)

        guard case .update(let update) = try statement("UPDATE t SET a = a + 1, b = DEFAULT WHERE c > 2") else {
            Issue.record("not UPDATE")
            return
        }
        #expect(update.assignments.map(\.column) == ["a", "b"])
        #expect(update.assignments[0].value != nil && update.assignments[1].value == nil)

        guard
            case .delete(let joined) = try statement(
                "DELETE FROM t USING u, v AS w WHERE t.a = u.a RETURNING t.*, u.b AS ub")
        else {
            Issue.record("not DELETE ... USING")
            return
        }
        #expect(joined.using.count == 2 && joined.returning.count == 2)
        #expect(joined.returning[0] == .star(qualifier: "t", location: 56))
        guard case .update(let fromUpdate) = try statement("UPDATE t SET a = u.a FROM u WHERE t.b = u.b RETURNING *")
        else {
            Issue.record("not UPDATE ... FROM")
            return
        }
        #expect(fromUpdate.from == [.table(name: QualifiedName(["u"]), alias: nil, location: 26)])
        #expect(fromUpdate.returning == [.star(qualifier: nil, location: 54)])
        guard
            case .insert(let returning) = try statement(
                "INSERT INTO s.t AS x VALUES (1) ON CONFLICT DO NOTHING RETURNING x.a + 1")
        else {
            Issue.record("not INSERT ... RETURNING")
            return
        }
        #expect(returning.alias == "x" && returning.returning.count == 1)

        guard
            case .merge(let merge) = try statement(
                "MERGE INTO t AS x USING s ON x.a = s.a WHEN MATCHED AND s.b > 0 THEN UPDATE SET b = s.b WHEN MATCHED THEN DELETE "
                    + "WHEN NOT MATCHED AND s.a < 0 THEN DO NOTHING WHEN NOT MATCHED THEN INSERT (a, b) VALUES (s.a, DEFAULT) "
                    + "WHEN NOT MATCHED THEN INSERT DEFAULT VALUES")
        else {
            Issue.record("not MERGE")
            return
        }
        #expect(merge.table == QualifiedName(["t"]) && merge.alias == "x")
        #expect(merge.source == .table(name: QualifiedName(["s"]), alias: nil, location: 24))
        #expect(merge.clauses.map(\.matched) == [true, true, false, false, false])
        #expect(merge.clauses.map { $0.condition != nil } == [true, false, true, false, false])
        guard case .update(let set) = merge.clauses[0].action,
            case .insert(let columns, let values) = merge.clauses[3].action
        else {
            Issue.record("unexpected MERGE actions \(merge.clauses.map(\.action))")
            return
        }
        #expect(set.map(\.column) == ["b"] && columns == ["a", "b"] && values.count == 2 && values[1] == nil)
        #expect(merge.clauses[1].action == .delete && merge.clauses[2].action == .doNothing)
        #expect(merge.clauses[4].action == .insert(columns: [], values: []))

        guard
            case .alterTable(let table, let ifExists, let alterations) = try statement(
                "ALTER TABLE IF EXISTS t ADD COLUMN IF NOT EXISTS c int NOT NULL, DROP COLUMN d, ALTER COLUMN e TYPE bigint, ALTER COLUMN f DROP NOT NULL"
            )
        else {
            Issue.record("not ALTER TABLE")
            return
        }
        #expect(table == QualifiedName(["t"]) && ifExists)
        #expect(alterations.count == 4)
        #expect(alterations[1] == .dropColumn("d", ifExists: false))
        #expect(alterations[3] == .dropNotNull("f"))
        if case .addColumn(let column, let ifNotExists) = alterations[0] {
            #expect(column.name == "c" && column.notNull && ifNotExists)
        } else {
            Issue.record("not ADD COLUMN")
        }
        #expect(
            try statement("ALTER TABLE t RENAME COLUMN a TO b")
                == .alterTable(
                    table: QualifiedName(["t"]), ifExists: false, alterations: [.renameColumn(from: "a", to: "b")]))
        #expect(
            try statement("ALTER TABLE t RENAME TO u")
                == .alterTable(table: QualifiedName(["t"]), ifExists: false, alterations: [.renameTable(to: "u")]))
        guard
            case .call(let procedure, let arguments) = try statement(
                "CALL weir.expire_snapshots('s.t', retain_last => 2)")
        else {
            Issue.record("not CALL")
            return
        }
        #expect(procedure == QualifiedName(["weir", "expire_snapshots"]))
        #expect(arguments.map(\.name) == [nil, "retain_last"])
    }
}
