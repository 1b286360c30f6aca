import Engine
import Testing

@testable import Planner

/// FoldConstants and NarrowComparisons: a rewritten expression must give the same values as the
/// original on every input, and must be cheaper (a constant, or a comparison without a cast).
@Suite struct ConstantRewriteTests {
    let evaluator = ExpressionEvaluator(context: EvaluationContext())

    func values(_ expression: Expression, on batch: Batch) throws -> [Value] {
        let column = try evaluator.evaluate(expression, on: batch)
        return (0..<batch.rowCount).map { column.value(at: $0) }
    }

    func numeric(_ text: String, _ type: DataType = .variableScaleNumeric) throws -> Expression {
        .constant(try TextInput.parse(text, as: type), type)
    }

    @Test func foldsArithmeticAndImmutableCalls() throws {
        let difference = FoldConstants.fold(
            .arithmetic(.subtract, try numeric("0.06"), try numeric("0.01"), resultType: .variableScaleNumeric))
        guard case .constant(let value, .variableScaleNumeric) = difference else {
            Issue.record("expected a constant, got \(difference)")
            return
        }
        #expect(
            try values(.constant(value, .variableScaleNumeric), on: Batch(columns: [], rowCount: 1)) == [
                try TextInput.parse("0.05", as: .variableScaleNumeric)
            ])

        let day = try TextInput.parse("1998-12-01", as: .timestamp)
        let ninetyDays = try TextInput.parse("90 days", as: .interval)
        let shifted = FoldConstants.fold(
            .function(
                DateTimeArithmetic.addInterval(type: .timestamp, subtract: true),
                [.constant(day, .timestamp), .constant(ninetyDays, .interval)]))
        guard case .constant(let result, .timestamp) = shifted else {
            Issue.record("expected a constant, got \(shifted)")
            return
        }
        #expect(result == (try TextInput.parse("1998-09-02", as: .timestamp)))
    }

    @Test func leavesFailingAndSessionDependentExpressionsAlone() throws {
        let division = FoldConstants.fold(
            .arithmetic(.divide, .constant(.int32(1), .int32), .constant(.int32(0), .int32), resultType: .int32))
        if case .constant = division { Issue.record("1 / 0 must fail when run, not fold") }
        let zoned = FoldConstants.fold(
            .function(
                DateTimeArithmetic.addInterval(type: .timestamptz, subtract: false),
                [.constant(.int64(0), .timestamptz), .constant(try TextInput.parse("1 day", as: .interval), .interval)])
        )
        if case .constant = zoned { Issue.record("timestamptz arithmetic depends on the session's zone") }
        let toText = FoldConstants.fold(.cast(.constant(.float64(0.1), .float64), to: .text))
        if case .constant = toText { Issue.record("float output depends on extra_float_digits") }
        let column = FoldConstants.fold(
            .arithmetic(.add, .column(index: 0, type: .int32), .constant(.int32(1), .int32), resultType: .int32))
        if case .constant = column { Issue.record("a column is not a constant") }
    }

    @Test func numericComparisonsUseTheColumnsScale() throws {
        let type = DataType.numeric(precision: 15, scale: 2)
        let column = Column(
            type: type,
            values: try ["0.04", "0.05", "0.06", "0.07", "-1.00"].map { try TextInput.parse($0, as: type) } + [.null])
        let batch = Batch(columns: [column], rowCount: column.count)
        let widened = Expression.cast(.column(index: 0, type: type), to: .variableScaleNumeric)
        for op in [ComparisonOperator.equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual] {
            for text in ["0.05", "0.050", "0.06", "-1"] {
                let original = Expression.comparison(op, widened, try numeric(text))
                let swapped = Expression.comparison(op, try numeric(text), widened)
                for expression in [original, swapped] {
                    guard let narrowed = NarrowComparisons.narrowed(expression) else {
                        Issue.record("\(op) \(text) was not narrowed")
                        continue
                    }
                    guard case .comparison(_, let lhs, let rhs) = narrowed, case .column = lhs,
                        case .constant(_, type) = rhs
                    else {
                        Issue.record("expected column \(op) constant of the column's type, got \(narrowed)")
                        continue
                    }
                    #expect(try values(narrowed, on: batch) == values(expression, on: batch), "\(op) \(text)")
                }
            }
        }
        // 0.055 has no exact value at scale 2: the comparison keeps its cast.
        #expect(NarrowComparisons.narrowed(.comparison(.less, widened, try numeric("0.055"))) == nil)
    }

    @Test func dateComparisonsWithTimestampsUseDates() throws {
        let dates =
            try ["1994-12-31", "1995-01-01", "1995-01-02", "1995-01-03"].map { try TextInput.parse($0, as: .date) } + [
                .null
            ]
        let batch = Batch(columns: [Column(type: .date, values: dates)], rowCount: dates.count)
        let widened = Expression.cast(.column(index: 0, type: .date), to: .timestamp)
        for op in [ComparisonOperator.less, .lessOrEqual, .greater, .greaterOrEqual, .equal, .notEqual] {
            for text in ["1995-01-01 00:00:00", "1995-01-01 12:00:00", "1994-12-31 23:59:59.999999"] {
                let bound = Expression.constant(try TextInput.parse(text, as: .timestamp), .timestamp)
                for expression in [Expression.comparison(op, widened, bound), .comparison(op, bound, widened)] {
                    guard let narrowed = NarrowComparisons.narrowed(expression) else {
                        // Only (in)equality with a timestamp inside a day stays as it is.
                        #expect(op == .equal || op == .notEqual, "\(op) \(text) was not narrowed")
                        continue
                    }
                    guard case .comparison(_, let lhs, .constant(_, .date)) = narrowed, case .column = lhs else {
                        Issue.record("expected date column \(op) date constant, got \(narrowed)")
                        continue
                    }
                    #expect(try values(narrowed, on: batch) == values(expression, on: batch), "\(op) \(text)")
                }
            }
        }
    }
}
