import Engine
import SQL
import Testing

@testable import Planner

/// The statement's memory budget reaches its operators: sorts and splittable aggregations over the
/// limit spill to disk and still return the right rows; an aggregation without group keys that must
/// keep its whole input fails with 53200; the memory held is given back.
@Suite struct QueryMemoryLimitTests {
    func run(_ sql: String, limit: Int) async throws -> (rows: Int, budget: MemoryBudget) {
        let (rows, budget) = try await values(sql, limit: limit)
        return (rows.count, budget)
    }

    func values(_ sql: String, limit: Int) async throws -> (rows: [Value], budget: MemoryBudget) {
        guard case .select(let select) = try SQLParser.parse(sql)[0].statement else {
            throw BindError(.internalError, "not a select")
        }
        var planner = StatementPlanner(context: FixedContext(), declaredParameterTypes: [])
        let plan = try planner.planQuery(select)
        var context = EvaluationContext()
        let budget = MemoryBudget(limit: limit)
        context.memoryBudget = budget
        var rows: [Value] = []
        let stream = try await plan.instantiate(context: context, cancellation: QueryCancellation())
        while let batch = try await stream.next() {
            for row in 0..<batch.rowCount {
                rows.append(
                    batch.columns.count == 1
                        ? batch.columns[0].value(at: row) : .array(batch.columns.map { $0.value(at: row) }))
            }
        }
        return (rows, budget)
    }

    @Test func sortsOverTheLimitSpillAndStaySorted() async throws {
        let sql = "SELECT g * 7 % 300001 AS v FROM generate_series(1, 300000) g ORDER BY v DESC"
        let (spilled, budget) = try await values(sql, limit: 1 << 20)
        let (inMemory, _) = try await values(sql, limit: 1 << 30)
        #expect(spilled.count == 300_000)
        #expect(spilled == inMemory)
        #expect(spilled.first == .int32(300_000))
        #expect(budget.bytesReserved == 0)
        let (page, _) = try await values(sql + " LIMIT 3 OFFSET 5000", limit: 1 << 20)
        #expect(page == Array(inMemory[5000..<5003]))
    }

    @Test func aggregationsOverTheLimitSpillPartialStates() async throws {
        let sql =
            "SELECT sum(v) FROM (SELECT g % 150000 AS k, count(*) * 3 + sum(g) AS v FROM generate_series(1, 300000) g GROUP BY g % 150000) t"
        let (spilled, budget) = try await values(sql, limit: 1 << 20)
        let (inMemory, _) = try await values(sql, limit: 1 << 30)
        #expect(spilled == inMemory)
        #expect(spilled == [.decimal(45_001_050_000)])
        #expect(budget.bytesReserved == 0)
        let (groups, _) = try await values(
            "SELECT count(*) FROM (SELECT g, avg(g) FROM generate_series(1, 300000) g GROUP BY g) t", limit: 1 << 20)
        #expect(groups == [.int64(300_000)])
    }

    /// Joins spill both inputs; aggregations with unsplittable calls spill their input rows.
    @Test(arguments: [
        "SELECT count(*), count(b), sum(a) FROM generate_series(1, 200000) a JOIN (SELECT g * 2 AS b FROM generate_series(1, 200000) g) t ON a = b",
        "SELECT count(*), count(b), sum(a) FROM generate_series(1, 200000) a LEFT JOIN (SELECT g * 2 AS b FROM generate_series(1, 200000) g) t ON a = b",
        "SELECT count(*), count(a), count(b) FROM generate_series(1, 200000) a FULL JOIN (SELECT g * 2 AS b FROM generate_series(1, 200000) g) t ON a = b",
        "SELECT count(*) FROM generate_series(1, 200000) a WHERE NOT EXISTS (SELECT 1 FROM generate_series(1, 200000) g WHERE g * 2 = a)",
        "SELECT count(*) FROM generate_series(1, 200000) a WHERE a IN (SELECT g * 3 FROM generate_series(1, 200000) g)",
        "SELECT count(*), sum(a) FROM generate_series(1, 200000) a WHERE a NOT IN (SELECT g * 2 FROM generate_series(1, 200000) g)",
        "SELECT count(*) FROM generate_series(1, 200000) a WHERE a NOT IN (SELECT CASE WHEN g = 7 THEN NULL ELSE g * 2 END FROM generate_series(1, 200000) g)",
        "SELECT sum(length(s)), sum(c), sum(d), sum(p) FROM (SELECT g % 100000 AS k, string_agg(g::text, ',' ORDER BY g DESC) AS s, count(DISTINCT g % 7) AS c, sum(g) FILTER (WHERE g % 2 = 0) AS d, percentile_disc(0.5) WITHIN GROUP (ORDER BY g) AS p FROM generate_series(1, 300000) g GROUP BY g % 100000) t",
        "SELECT k, string_agg(v::text, '-' ORDER BY v), array_agg(DISTINCT v % 3) FROM (SELECT g % 50000 AS k, g AS v FROM generate_series(1, 200000) g) t GROUP BY k ORDER BY k LIMIT 5 OFFSET 777",
    ])
    func joinsAndUnsplittableAggregationsOverTheLimitSpill(sql: String) async throws {
        let (spilled, budget) = try await values(sql, limit: 1 << 20)
        let (inMemory, _) = try await values(sql, limit: 1 << 30)
        #expect(spilled == inMemory)
        #expect(!spilled.isEmpty)
        #expect(budget.bytesReserved == 0)
    }

    @Test(arguments: [
        "SELECT string_agg(g::text, ',') FROM generate_series(1, 300000) g"
    ])
    func operatorsOverTheLimitFailWith53200(sql: String) async throws {
        let error = await #expect(throws: EngineError.self) { _ = try await run(sql, limit: 1 << 20) }
        #expect(error?.sqlState == .outOfMemory)
        let (rows, budget) = try await run(sql, limit: 1 << 30)
        #expect(rows > 0)
        #expect(budget.bytesReserved == 0)
    }
}
