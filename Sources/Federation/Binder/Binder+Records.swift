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
                "42809",
                "column notation .\(field) applied to type \(record.type.sqlName), which is not a composite type",
                location: location)
        }
        guard let index = fields.firstIndex(where: { $0.name == field }) else {
            throw BindError("42703", "could not identify column \"\(field)\" in record data type", location: location)
        }
        return .function(RecordFunctions.field(index, of: record.type), [record])
    }
}
