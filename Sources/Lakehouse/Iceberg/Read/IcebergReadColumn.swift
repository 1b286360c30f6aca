import Engine

/// One column a scan reads from an Iceberg table: the schema field (matched in data files by its
/// field id, so renamed columns still read) and the engine type the query expects.
public struct IcebergReadColumn: Sendable {
    public let field: NestedField
    public let type: DataType

    public init(field: NestedField, type: DataType) {
        self.field = field
        self.type = type
    }

    /// `decoded` (this column as a file stored it) in the table's type: as it is, or cast from the
    /// older, narrower type the file was written with (int promoted to long, float to double, a
    /// wider decimal).
    func conform(_ decoded: Column, context: EvaluationContext) throws(EngineError) -> Column {
        guard decoded.type != type else { return decoded }
        let evaluator = ExpressionEvaluator(context: context)
        let batch = Batch(columns: [decoded], rowCount: decoded.count)
        return try evaluator.evaluate(.cast(.column(index: 0, type: decoded.type), to: type), on: batch)
    }
}

extension ParquetSchema {
    /// The leaf holding each of `fields`: by Iceberg field id, or by name for files written
    /// without ids; nil for a field the file lacks.
    func leafIndexes(of fields: [NestedField]) -> [Int?] {
        let byFieldID = Dictionary(
            columns.enumerated().compactMap { index, column in column.fieldID.map { ($0, index) } },
            uniquingKeysWith: { first, _ in first })
        return fields.map { field -> Int? in
            if !byFieldID.isEmpty { return byFieldID[field.id] }
            return columns.firstIndex { $0.path == [field.name] }
        }
    }
}
