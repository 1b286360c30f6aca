import Engine

/// The delete files that apply to one data file of a scan, and what reading that file needs to
/// apply them: where each of its row groups starts, and which equality key columns must be read
/// although the query does not ask for them.
struct SplitDeletes: Sendable {
    /// One list of equality field ids (ascending) and the delete files that delete by it.
    struct EqualityGroup: Sendable {
        let columns: [IcebergReadColumn]
        /// Indexes of `columns` among the columns read: the requested ones, then `keyOnlyColumns`.
        let columnIndexes: [Int]
        let files: [DataFile]
    }

    /// The data file's location, as its position delete files name it.
    let dataFile: [UInt8]
    let positionDeletes: [DataFile]
    let equalityGroups: [EqualityGroup]
    /// Equality key columns the query does not read: read after the requested columns and dropped
    /// from the output.
    let keyOnlyColumns: [IcebergReadColumn]

    /// Checks the split's delete files and places their key columns after `requested`. `0A000`
    /// for a delete file Weir cannot read (not Parquet, or a deletion vector) or one that deletes
    /// by a column outside `schema`'s top-level flat columns; `XX001` for an equality delete file
    /// without equality ids.
    init(
        split: ScanSplit, requested: [IcebergReadColumn], schema: IcebergSchema,
        tableName: String
    ) throws {
        for file in split.positionDeletes + split.equalityDeletes {
            try Self.checkReadable(file, tableName: tableName)
        }
        var keyOnlyColumns: [IcebergReadColumn] = []
        var indexByFieldID: [Int: Int] = [:]
        for (index, column) in requested.enumerated() where indexByFieldID[column.field.id] == nil {
            indexByFieldID[column.field.id] = index
        }
        var groups: [[Int]: [DataFile]] = [:]
        for file in split.equalityDeletes {
            let ids = Array(Set(file.equalityIDs)).sorted()
            guard !ids.isEmpty else {
                throw LakehouseError.corrupt(file.filePath, "equality delete file lists no equality ids")
            }
            groups[ids, default: []].append(file)
        }
        var equalityGroups: [EqualityGroup] = []
        for (ids, files) in groups.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            var columns: [IcebergReadColumn] = []
            for id in ids {
                guard let field = schema.fields.first(where: { $0.id == id }) else {
                    throw LakehouseError.unsupported(
                        "equality delete file \"\(files[0].filePath)\" of table \"\(tableName)\" deletes by field \(id), "
                            + "which is not a top-level column of the schema read")
                }
                if let index = indexByFieldID[id] {
                    // Keys are compared in the type the data file's column is read as.
                    columns.append(index < requested.count ? requested[index] : keyOnlyColumns[index - requested.count])
                } else {
                    let column = IcebergReadColumn(field: field, type: try field.columnType())
                    indexByFieldID[id] = requested.count + keyOnlyColumns.count
                    keyOnlyColumns.append(column)
                    columns.append(column)
                }
            }
            equalityGroups.append(
                EqualityGroup(columns: columns, columnIndexes: ids.map { indexByFieldID[$0]! }, files: files))
        }
        dataFile = Array(split.location.utf8)
        positionDeletes = split.positionDeletes
        self.equalityGroups = equalityGroups
        self.keyOnlyColumns = keyOnlyColumns
    }

    /// Parquet delete files read; Avro and ORC ones and Puffin deletion vectors (format v3) are `0A000`.
    private static func checkReadable(_ file: DataFile, tableName: String) throws {
        switch file.fileFormat.uppercased() {
        case "PARQUET":
            return
        case "PUFFIN":
            throw LakehouseError.unsupported(
                "delete file \"\(file.filePath)\" of table \"\(tableName)\" is a deletion vector (Puffin, format v3); "
                    + "reading deletion vectors is not supported")
        default:
            throw LakehouseError.unsupported(
                "delete file \"\(file.filePath)\" of table \"\(tableName)\" is \(file.fileFormat); "
                    + "only Parquet delete files are supported")
        }
    }
}
