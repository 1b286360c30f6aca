extension Expression {
    /// The input columns the expression reads.
    public var referencedColumns: Set<Int> {
        var columns = Set<Int>()
        visitColumns { columns.insert($0) }
        return columns
    }

    private func visitColumns(_ visit: (Int) -> Void) {
        switch self {
        case .column(let index, _): visit(index)
        case .constant, .parameter: break
        case .arithmetic(_, let lhs, let rhs, _), .comparison(_, let lhs, let rhs):
            lhs.visitColumns(visit)
            rhs.visitColumns(visit)
        case .negate(let operand), .not(let operand), .isNull(let operand, _), .cast(let operand, _):
            operand.visitColumns(visit)
        case .and(let items), .or(let items), .function(_, let items):
            for item in items { item.visitColumns(visit) }
        case .caseWhen(let branches, let otherwise, _):
            for branch in branches {
                branch.condition.visitColumns(visit)
                branch.result.visitColumns(visit)
            }
            otherwise?.visitColumns(visit)
        }
    }

    /// The same expression reading column `mapping[i]` wherever it read column `i`.
    public func remappingColumns(_ mapping: [Int: Int]) -> Expression {
        switch self {
        case .column(let index, let type): return .column(index: mapping[index] ?? index, type: type)
        case .constant, .parameter: return self
        case .arithmetic(let op, let lhs, let rhs, let type):
            return .arithmetic(op, lhs.remappingColumns(mapping), rhs.remappingColumns(mapping), resultType: type)
        case .comparison(let op, let lhs, let rhs):
            return .comparison(op, lhs.remappingColumns(mapping), rhs.remappingColumns(mapping))
        case .negate(let operand): return .negate(operand.remappingColumns(mapping))
        case .not(let operand): return .not(operand.remappingColumns(mapping))
        case .isNull(let operand, let negated): return .isNull(operand.remappingColumns(mapping), negated: negated)
        case .cast(let operand, let type): return .cast(operand.remappingColumns(mapping), to: type)
        case .and(let items): return .and(items.map { $0.remappingColumns(mapping) })
        case .or(let items): return .or(items.map { $0.remappingColumns(mapping) })
        case .function(let function, let arguments):
            return .function(function, arguments.map { $0.remappingColumns(mapping) })
        case .caseWhen(let branches, let otherwise, let type):
            return .caseWhen(
                branches.map {
                    (condition: $0.condition.remappingColumns(mapping), result: $0.result.remappingColumns(mapping))
                },
                otherwise: otherwise?.remappingColumns(mapping), resultType: type)
        }
    }
}
