import Engine

extension Expression {
    /// The expression with each direct child replaced by `transform(child)`.
    func mappingChildren<E: Error>(_ transform: (Expression) throws(E) -> Expression) throws(E) -> Expression {
        switch self {
        case .column, .constant, .parameter: return self
        case .arithmetic(let op, let lhs, let rhs, let type):
            return .arithmetic(op, try transform(lhs), try transform(rhs), resultType: type)
        case .comparison(let op, let lhs, let rhs): return .comparison(op, try transform(lhs), try transform(rhs))
        case .negate(let operand): return .negate(try transform(operand))
        case .not(let operand): return .not(try transform(operand))
        case .isNull(let operand, let negated): return .isNull(try transform(operand), negated: negated)
        case .cast(let operand, let type): return .cast(try transform(operand), to: type)
        case .and(let items):
            var mapped: [Expression] = []
            for item in items { mapped.append(try transform(item)) }
            return .and(mapped)
        case .or(let items):
            var mapped: [Expression] = []
            for item in items { mapped.append(try transform(item)) }
            return .or(mapped)
        case .function(let function, let arguments):
            var mapped: [Expression] = []
            for argument in arguments { mapped.append(try transform(argument)) }
            return .function(function, mapped)
        case .caseWhen(let branches, let otherwise, let type):
            var mapped: [(condition: Expression, result: Expression)] = []
            for branch in branches { mapped.append((try transform(branch.condition), try transform(branch.result))) }
            return .caseWhen(mapped, otherwise: try otherwise.map { e throws(E) in try transform(e) }, resultType: type)
        }
    }

    /// Equal constants, NaN included (which `==` never finds equal to itself).
    static func sameConstant(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.float64(let x), .float64(let y)): return x == y || (x.isNaN && y.isNaN)
        case (.float32(let x), .float32(let y)): return x == y || (x.isNaN && y.isNaN)
        default: return a == b
        }
    }

    /// True when both expressions compute the same thing the same way: the test GROUP BY and
    /// ORDER BY use to find a select-list expression again. Functions compare by name and type.
    func isSame(as other: Expression) -> Bool {
        switch (self, other) {
        case (.column(let a, let t), .column(let b, let u)): return a == b && t == u
        case (.constant(let a, let t), .constant(let b, let u)): return Self.sameConstant(a, b) && t == u
        case (.parameter(let a, let t), .parameter(let b, let u)): return a == b && t == u
        case (.arithmetic(let op, let l, let r, let t), .arithmetic(let op2, let l2, let r2, let t2)):
            return op == op2 && t == t2 && l.isSame(as: l2) && r.isSame(as: r2)
        case (.comparison(let op, let l, let r), .comparison(let op2, let l2, let r2)):
            return op == op2 && l.isSame(as: l2) && r.isSame(as: r2)
        case (.negate(let a), .negate(let b)), (.not(let a), .not(let b)): return a.isSame(as: b)
        case (.isNull(let a, let n), .isNull(let b, let m)): return n == m && a.isSame(as: b)
        case (.cast(let a, let t), .cast(let b, let u)): return t == u && a.isSame(as: b)
        case (.and(let a), .and(let b)), (.or(let a), .or(let b)): return Self.same(a, b)
        case (.function(let f, let a), .function(let g, let b)):
            return f.name == g.name && f.resultType == g.resultType && Self.same(a, b)
        case (.caseWhen(let a, let x, let t), .caseWhen(let b, let y, let u)):
            guard t == u, a.count == b.count else { return false }
            for (left, right) in zip(a, b)
            where !left.condition.isSame(as: right.condition) || !left.result.isSame(as: right.result) {
                return false
            }
            switch (x, y) {
            case (nil, nil): return true
            case (let x?, let y?): return x.isSame(as: y)
            default: return false
            }
        default:
            return false
        }
    }

    private static func same(_ a: [Expression], _ b: [Expression]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.isSame(as: $1) }
    }
}

extension AggregateCall {
    /// The call reading column `mapping[i]` wherever it read column `i`.
    func remappingColumns(_ mapping: [Int: Int]) -> AggregateCall {
        var call = self
        call.arguments = arguments.map { $0.remappingColumns(mapping) }
        call.filter = filter?.remappingColumns(mapping)
        call.orderBy = orderBy.map { key in
            var key = key
            key.expression = key.expression.remappingColumns(mapping)
            return key
        }
        return call
    }

    /// The input columns the call reads.
    var referencedColumns: Set<Int> {
        var columns = Set<Int>()
        for argument in arguments { columns.formUnion(argument.referencedColumns) }
        if let filter { columns.formUnion(filter.referencedColumns) }
        for key in orderBy { columns.formUnion(key.expression.referencedColumns) }
        return columns
    }
}
