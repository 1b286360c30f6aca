import Testing

@testable import SQL

@Suite struct WindowClauseParsingTests {
    func select(_ sql: String) throws -> SelectStatement {
        guard case .select(let select) = try SQLParser.parse(sql)[0].statement else {
            throw ParseError(message: "not a select", position: nil, sqlState: .internalError)
        }
        return select
    }

    func call(_ select: SelectStatement, _ index: Int) -> FunctionCall? {
        guard case .expression(.function(let call), _) = select.targets[index] else { return nil }
        return call
    }

    @Test func overClausesAndWindowDefinitions() throws {
        let select = try select(
            "SELECT sum(x) OVER w, rank() OVER (w ORDER BY y DESC ROWS BETWEEN 2 PRECEDING AND -1 FOLLOWING), "
                + "count(*) OVER (PARTITION BY z RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING EXCLUDE TIES), lag(x) OVER () "
                + "FROM t WINDOW w AS (PARTITION BY a ORDER BY b), v AS (w GROUPS UNBOUNDED PRECEDING)")
        let reference = try #require(call(select, 0)?.over)
        #expect(reference.isReference && reference.name == "w")
        let ordered = try #require(call(select, 1)?.over)
        #expect(ordered.baseName == "w" && ordered.name == nil && !ordered.isReference)
        #expect(ordered.orderBy.map(\.descending) == [true])
        #expect(
            ordered.frame
                == WindowFrameClause(
                    mode: .rows, start: .preceding(.literal(.integer(2), location: 66)),
                    end: .following(.literal(.integer(-1), location: 82))))
        let partitioned = try #require(call(select, 2)?.over)
        #expect(partitioned.partitionBy == [.column(["z"], location: 125)])
        #expect(
            partitioned.frame
                == WindowFrameClause(mode: .range, start: .currentRow, end: .unboundedFollowing, exclusion: .ties))
        let empty = try #require(call(select, 3)?.over)
        #expect(empty.frame == nil && empty.partitionBy.isEmpty && empty.orderBy.isEmpty && !empty.isReference)
        #expect(select.windows.map(\.name) == ["w", "v"])
        #expect(select.windows[0].frame == nil && select.windows[0].orderBy.count == 1)
        #expect(select.windows[1].baseName == "w")
        #expect(select.windows[1].frame == WindowFrameClause(mode: .groups, start: .unboundedPreceding))
    }

    @Test func frameErrorsFromTheGrammarAreWindowingErrors() {
        #expect(
            throws: ParseError(
                message: "frame start cannot be UNBOUNDED FOLLOWING", position: 37, sqlState: .windowingError)
        ) {
            try SQLParser.parse("SELECT sum(x) OVER (ORDER BY x ROWS UNBOUNDED FOLLOWING) FROM t")
        }
        #expect(
            throws: ParseError(
                message: "frame starting from current row cannot have preceding rows", position: 50,
                sqlState: .windowingError)
        ) {
            try SQLParser.parse("SELECT sum(x) OVER (ROWS BETWEEN CURRENT ROW AND 1 PRECEDING) FROM t")
        }
    }
}
