import Engine

/// Reads the key rows of an equality delete file (spec "Equality Delete Files"): the values of its
/// `equality_ids` columns, each cast to the table's type so they encode and hash exactly like the
/// same columns read from data files.
enum EqualityDeleteFile {
    /// The distinct key rows of `file`, for `keyColumns` (the table's columns of the file's
    /// equality ids, in ascending field id order).
    static func keys(
        of file: DataFile, keyColumns: [IcebergReadColumn], store: any ObjectStore, context: EvaluationContext
    ) async throws -> EncodedKeySet {
        let parquet = try await ParquetFile.open(file.filePath, in: store)
        let leaves = parquet.schema.leafIndexes(of: keyColumns.map(\.field))
        if let missing = zip(keyColumns, leaves).first(where: { $0.1 == nil })?.0 {
            throw LakehouseError.corrupt(
                file.filePath,
                "equality delete file has no column for field \(missing.field.id) (\"\(missing.field.name)\")")
        }
        let reader = ParquetRowGroupReader(file: parquet, store: store)
        var keys = EncodedKeySet(capacity: min(Int(clamping: file.recordCount), 1 << 20))
        for rowGroup in 0..<parquet.rowGroupCount {
            let rowCount = parquet.rowGroupRowCounts[rowGroup]
            let decoded = try await reader.read(rowGroup: rowGroup, columns: leaves.map { $0! })
            let columns = try zip(keyColumns, decoded).map { column, values in
                try column.conform(values, context: context)
            }
            let encoded = try EncodedKeys(columns, rowCount: rowCount)
            keys.insert(encoded, hashes: ColumnHashing.hashRows(columns, rowCount: rowCount))
        }
        return keys
    }
}
