import SQLErrors
import Testing

@testable import SQL

@Suite struct SQLParserTests {
    func onlyStatement(_ sql: String) throws -> Statement {
        let parsed = try SQLParser.parse(sql)
        #expect(parsed.count == 1)
        return parsed[0].statement
    }

    @Test func selectListWithLiteralsAndOperators() throws {
        guard case .select(let select) = try onlyStatement("SELECT 1, 'a', 2.5, NULL, true, $1 + x AS y") else {
            Issue.record("not a select")
            return
        }
        #expect(select.targets.count == 6)
        #expect(select.targets[0] == .expression(.literal(.integer(1), location: 7), alias: nil))
        #expect(select.targets[1] == .expression(.literal(.string("a"), location: 10), alias: nil))
        #expect(select.targets[2] == .expression(.literal(.numeric("2.5"), location: 15), alias: nil))
        #expect(select.targets[3] == .expression(.literal(.null, location: 20), alias: nil))
        #expect(select.targets[4] == .expression(.literal(.boolean(true), location: 26), alias: nil))
        #expect(
            select.targets[5]
                == .expression(
                    .binary("+", .parameter(1, location: 32), .column(["x"], location: 37), location: 35), alias: "y"))
    }

    /// libpg_query's JSON omits zero and negative integers; the converter reads them from the text.
    @Test(arguments: [
        ("SELECT 0", Int64(0)), ("SELECT -7", -7), ("SELECT -(5)", -5), ("SELECT - 12", -12), ("SELECT 42", 42),
    ])
    func integerConstantsKeepTheirSign(sql: String, expected: Int64) throws {
        guard case .select(let select) = try onlyStatement(sql),
            case .expression(.literal(.integer(let value), _), _) = select.targets[0]
        else {
            Issue.record("unexpected tree for \(sql)")
            return
        }
        #expect(value == expected)
    }

    @Test func fieldSelectionAndRowConstructors() throws {
        guard case .select(let select) = try onlyStatement("SELECT (r.k).x, ROW(1, 'a')") else {
            Issue.record("not a select")
            return
        }
        guard case .expression(.fieldSelection(.column(let parts, _), let field, _), _) = select.targets[0] else {
            Issue.record("not a field selection: \(select.targets[0])")
            return
        }
        #expect(parts == ["r", "k"] && field == "x")
        guard case .expression(.row(let items, _), _) = select.targets[1] else {
            Issue.record("not a row: \(select.targets[1])")
            return
        }
        #expect(items == [.literal(.integer(1), location: 20), .literal(.string("a"), location: 23)])
    }

    @Test func syntaxErrorReportsPosition() {
        #expect(throws: ParseError(message: "syntax error at or near \"where\"", position: 13, sqlState: .syntaxError))
        {
            try SQLParser.parse("select from where")
        }
    }

    @Test func severalStatementsKeepTheirText() throws {
        let parsed = try SQLParser.parse("SET application_name = 'x'; SHOW ALL; BEGIN")
        #expect(
            parsed.map(\.statement) == [
                .set(name: "application_name", value: .values(["x"]), isLocal: false), .show(name: "all"),
                .transaction(.begin),
            ])
        #expect(parsed[1].text.trimmingPrefix(" ") == "SHOW ALL")
    }

    @Test func emptyQueryHasNoStatements() throws {
        #expect(try SQLParser.parse("").isEmpty)
        #expect(try SQLParser.parse("  -- only a comment").isEmpty)
    }

    @Test func copyOptions() throws {
        guard
            case .copyToStdout(_, let options) = try onlyStatement(
                "COPY (SELECT 1) TO STDOUT WITH (FORMAT csv, HEADER, DELIMITER ';')")
        else {
            Issue.record("not a COPY")
            return
        }
        #expect(options.format == .csv)
        #expect(options.header)
        #expect(options.delimiter == ";")
    }

    @Test func fetchAllIsNotATrap() throws {
        #expect(try onlyStatement("FETCH ALL FROM c") == .fetch(cursor: "c", direction: .all, move: false))
        #expect(try onlyStatement("FETCH FORWARD 5 FROM c") == .fetch(cursor: "c", direction: .forward(5), move: false))
    }

    @Test func unsupportedStatementsAreNamed() throws {
        #expect(try onlyStatement("LISTEN x") == .unsupported(feature: "LISTEN"))
        #expect(try onlyStatement("CREATE INDEX i ON t (a)") == .unsupported(feature: "CREATE INDEX"))
    }

    @Test func characterPositionCountsCharactersNotBytes() {
        #expect(ErrorCursor.byteOffset(0).characterPosition(in: "select") == 1)
        #expect(ErrorCursor.byteOffset(12).characterPosition(in: "select 'é' x") == 12)
    }
}
