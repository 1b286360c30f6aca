import Testing

@testable import Engine

/// CASE, AND, OR and COALESCE evaluate an operand only on the rows that still need it.
@Suite struct ConditionalEvaluationTests {
    let evaluator = ExpressionEvaluator(context: EvaluationContext())
    /// (x int4, y int4): x is 0 on row 0, NULL on row 3.
    let batch = Batch(
        columns: [
            Column(type: .int32, values: [.int32(0), .int32(2), .int32(20), .null]),
            Column(type: .int32, values: [.int32(1), .null, .null, .int32(3)]),
        ], rowCount: 4)
    var x: Expression { .column(index: 0, type: .int32) }
    var y: Expression { .column(index: 1, type: .int32) }
    /// `10 / x`: division by zero on row 0.
    var tenOverX: Expression { .arithmetic(.divide, .constant(.int32(10), .int32), x, resultType: .int32) }
    var xIsZero: Expression { .comparison(.equal, x, .constant(.int32(0), .int32)) }

    func values(_ expression: Expression) throws -> [Value] {
        let column = try evaluator.evaluate(expression, on: batch)
        return (0..<column.count).map { column.value(at: $0) }
    }

    @Test func caseEvaluatesEachResultOnItsRowsOnly() throws {
        let guarded = Expression.caseWhen(
            [(xIsZero, .constant(.null, .int32))], otherwise: tenOverX, resultType: .int32)
        #expect(try values(guarded) == [.null, .int32(5), .int32(0), .null])
        let unguarded = Expression.caseWhen([(.isNull(x, negated: true), tenOverX)], otherwise: nil, resultType: .int32)
        #expect(throws: EngineError.self) { try values(unguarded) }
    }

    @Test func laterOperandsOfAndAndOrSkipDecidedRows() throws {
        let bigQuotient = Expression.comparison(.greater, tenOverX, .constant(.int32(1), .int32))
        let and = Expression.and([.not(xIsZero), bigQuotient])
        #expect(try values(and) == [.bool(false), .bool(true), .bool(false), .null])
        let or = Expression.or([xIsZero, .constant(.null, .boolean), bigQuotient])
        #expect(try values(or) == [.bool(true), .bool(true), .null, .null])
    }

    @Test func coalesceStopsAtTheFirstNonNullArgument() throws {
        let first = Expression.function(ConditionalFunctions.coalesce(type: .int32), [y, tenOverX])
        #expect(try values(first) == [.int32(1), .int32(5), .int32(0), .int32(3)])
    }
}
