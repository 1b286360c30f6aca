import Engine
import SQL

extension Binder {
    /// `ROW(a, b, ...)`: an anonymous record whose fields are named `f1`, `f2`, ... as in PostgreSQL.
    mutating func bindRow(_ items: [ParsedExpression], scope: [ScopeColumn]) throws(BindError) -> BoundExpression {
        // Untyped literals stay `unknown` inside a row, as in PostgreSQL.
        let fields = try items.map { item throws(BindError) in try bind(item, scope: scope) }
        let type = DataType.record(fields.enumerated().map { RecordField("f\($0.offset + 1)", $0.element.type) })
        return .function(RecordFunctions.construct(type), fields)
    }

    /// `(record).field`.
    mutating func bindFieldSelection(_ base: ParsedExpression, field: String, scope: [ScopeColumn], location: Int)
        throws(BindError) -> BoundExpression
    {
        let record = try bind(base, scope: scope)
        let location = base.location ?? location
        guard case .record(let fields) = record.type else {
            throw BindError(
                .wrongObjectType,
                "column notation .\(field) applied to type \(record.type.sqlName), which is not a composite type",
                location: location)
        }
        guard let index = fields.firstIndex(where: { $0.name == field }) else {
            throw BindError(
                .undefinedColumn, "could not identify column \"\(field)\" in record data type", location: location)
        }
        return .function(RecordFunctions.field(index, of: record.type), [record])
    }

    /// `(a, b) op (c, d)`, field by field as PostgreSQL's row comparison: `=` needs every pair equal,
    /// `<>` any pair unequal, and the orderings decide at the first pair that is not equal (a NULL
    /// there makes the result NULL).
    mutating func bindRowComparison(
        _ op: String, _ left: [ParsedExpression], _ right: [ParsedExpression], scope: [ScopeColumn], location: Int
    ) throws(BindError) -> BoundExpression {
        guard left.count == right.count else {
            throw BindError(.syntaxError, "unequal number of entries in row expressions", location: location)
        }
        guard !left.isEmpty else {
            throw BindError(.featureNotSupported, "cannot compare rows of zero length", location: location)
        }
        var pairs: [(BoundExpression, BoundExpression)] = []
        for (lhs, rhs) in zip(left, right) { pairs.append((try bind(lhs, scope: scope), try bind(rhs, scope: scope))) }
        func compare(_ op: String, _ index: Int) throws(BindError) -> BoundExpression {
            try bindOperator(op, pairs[index].0, pairs[index].1, location: location)
        }
        switch op {
        case "=":
            return .and(try pairs.indices.map { index throws(BindError) in try compare("=", index) })
        case "<>", "!=":
            return .or(try pairs.indices.map { index throws(BindError) in try compare("<>", index) })
        case "<", "<=", ">", ">=":
            let strict = op.hasPrefix("<") ? "<" : ">"
            var result = try compare(op, pairs.count - 1)
            for index in stride(from: pairs.count - 2, through: 0, by: -1) {
                result = .or([try compare(strict, index), .and([try compare("=", index), result])])
            }
            return result
        default:
            throw BindError(
                .featureNotSupported, "operator \(op) is not supported for row comparisons", location: location)
        }
    }
}
