import Engine
import SQL
import Testing

@testable import Federation

/// The statement's memory budget reaches its operators: over the limit a query fails with 53200,
/// and the memory it held is given back.
@Suite struct QueryMemoryLimitTests {
    func run(_ sql: String, limit: Int) async throws -> (rows: Int, budget: MemoryBudget) {
        guard case .select(let select) = try SQLParser.parse(sql)[0].statement else { throw BindError("XX000", "not a select") }
        var binder = Binder(context: FixedContext(), declaredParameterTypes: [])
        let plan = try binder.bindSelect(select)
        var context = EvaluationContext()
        let budget = MemoryBudget(limit: limit)
        context.memoryBudget = budget
        var rows = 0
        do {
            let stream = try await plan.instantiate(context: context, cancellation: QueryCancellation())
            while let batch = try await stream.next() { rows += batch.rowCount }
        }
        return (rows, budget)
    }

    @Test(arguments: [
        "SELECT g FROM generate_series(1, 300000) g ORDER BY g DESC",
        "SELECT g, count(*) FROM generate_series(1, 300000) g GROUP BY g",
        "SELECT count(*) FROM generate_series(1, 300000) a JOIN generate_series(1, 300000) b ON a = b",
    ])
    func operatorsOverTheLimitFailWith53200(sql: String) async throws {
        let error = await #expect(throws: EngineError.self) { _ = try await run(sql, limit: 1 << 20) }
        #expect(error?.sqlState == "53200")
        let (rows, budget) = try await run(sql, limit: 1 << 30)
        #expect(rows > 0)
        #expect(budget.bytesReserved == 0)
    }
}
