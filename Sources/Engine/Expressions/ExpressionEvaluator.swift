/// Evaluates an `Expression` over a batch, producing one result column.
public struct ExpressionEvaluator: Sendable {
    public let context: EvaluationContext

    public init(context: EvaluationContext) {
        self.context = context
    }

    public func evaluate(_ expression: Expression, on batch: Batch) throws(EngineError) -> Column {
        let rowCount = batch.rowCount
        switch expression {
        case .column(let index, _):
            return batch.columns[index]
        case .constant(let value, let type):
            return Column(repeating: value, type: type, count: rowCount)
        case .parameter(let index, let type):
            let value: Value
            if index >= EvaluationContext.subqueryParameterBase {
                let position = index - EvaluationContext.subqueryParameterBase
                value = position < context.subqueryValues.count ? context.subqueryValues[position] : .null
            } else if index >= EvaluationContext.correlationParameterBase {
                let position = index - EvaluationContext.correlationParameterBase
                value = position < context.correlationValues.count ? context.correlationValues[position] : .null
            } else {
                value = index < context.parameters.count ? context.parameters[index] : .null
            }
            return Column(repeating: value, type: type, count: rowCount)
        case .arithmetic(let op, let lhs, let rhs, let resultType):
            return try ArithmeticKernels.apply(
                op, try evaluate(lhs, on: batch), try evaluate(rhs, on: batch), resultType: resultType)
        case .negate(let operand):
            return try ArithmeticKernels.negate(try evaluate(operand, on: batch))
        case .comparison(let op, let lhs, let rhs):
            return ComparisonKernels.compare(op, try evaluate(lhs, on: batch), try evaluate(rhs, on: batch))
        case .and(let operands):
            return try evaluateConnective(operands, isAnd: true, on: batch)
        case .or(let operands):
            return try evaluateConnective(operands, isAnd: false, on: batch)
        case .not(let operand):
            return BooleanKernels.not(try evaluate(operand, on: batch))
        case .isNull(let operand, let negated):
            return BooleanKernels.isNull(try evaluate(operand, on: batch), negated: negated)
        case .cast(let operand, let target):
            return try CastKernels.cast(try evaluate(operand, on: batch), to: target, context: context)
        case .caseWhen(let branches, let otherwise, let resultType):
            return try evaluateCase(branches, otherwise: otherwise, resultType: resultType, on: batch)
        case .function(let function, let arguments) where function.evaluatesArgumentsInTurn:
            return try evaluateFirstNonNull(arguments, type: function.resultType, on: batch)
        case .function(let function, let arguments):
            let columns = try arguments.map { argument throws(EngineError) in try evaluate(argument, on: batch) }
            return try function.evaluate(columns, rowCount, context)
        }
    }
}
