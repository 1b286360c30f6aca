import Engine

/// The delete files of one scan, each loaded once for every data file and stream that needs it,
/// and the `RowDeletes` of each data file, built once however many streams read its row groups.
///
/// One position delete file often covers many data files (a writer flushes the deletes of a whole
/// commit together), so it is read once, keeping only the rows that point into the scan's data
/// files. Equality delete files that apply to the same data files are merged into one key set.
final class ScanDeleteFiles: Sendable {
    private let store: any ObjectStore
    /// For each position delete file, the data files of the scan it applies to (locations as UTF-8).
    private let dataFilesByPositionDelete: [String: Set<[UInt8]>]
    private let positionFiles = LoadOnceCache<String, PositionDeleteFile>()
    private let equalityFiles = LoadOnceCache<String, EncodedKeySet>()
    /// Unions of several equality delete files' keys, by the files' sorted locations.
    private let equalityUnions = LoadOnceCache<[String], EncodedKeySet>()
    private let rowDeletes = LoadOnceCache<Int, RowDeletes>()

    init(splits: [ScanSplit], store: any ObjectStore) {
        self.store = store
        var dataFiles: [String: Set<[UInt8]>] = [:]
        for split in splits {
            for delete in split.positionDeletes {
                dataFiles[delete.filePath, default: []].insert(Array(split.location.utf8))
            }
        }
        dataFilesByPositionDelete = dataFiles
    }

    /// What the delete files of data file `index` (described by `deletes`) remove from it.
    func rowDeletes(ofFile index: Int, _ deletes: SplitDeletes, context: EvaluationContext) async throws -> RowDeletes {
        try await rowDeletes.value(for: index) { [self] in
            var positions: [[Int64]] = []
            for file in deletes.positionDeletes {
                let loaded = try await positionFiles.value(for: file.filePath) { [self] in
                    try await PositionDeleteFile.load(
                        file, for: dataFilesByPositionDelete[file.filePath] ?? [deletes.dataFile], store: store)
                }
                if let listed = loaded.positionsByDataFile[deletes.dataFile] { positions.append(listed) }
            }
            var equality: [RowDeletes.EqualityKeys] = []
            for group in deletes.equalityGroups {
                let keys = try await equalityKeys(group, context: context)
                equality.append(RowDeletes.EqualityKeys(columnIndexes: group.columnIndexes, keys: keys))
            }
            return RowDeletes(positions: DeletedRowPositions(merging: positions), equality: equality)
        }
    }

    /// The keys of all of `group`'s files: one file's own set, or the union of several.
    private func equalityKeys(_ group: SplitDeletes.EqualityGroup, context: EvaluationContext) async throws
        -> EncodedKeySet
    {
        if group.files.count == 1 { return try await equalityFileKeys(group.files[0], group, context: context) }
        let locations = group.files.map(\.filePath).sorted()
        return try await equalityUnions.value(for: locations) { [self] in
            var union = EncodedKeySet()
            for file in group.files { union.formUnion(try await equalityFileKeys(file, group, context: context)) }
            return union
        }
    }

    private func equalityFileKeys(_ file: DataFile, _ group: SplitDeletes.EqualityGroup, context: EvaluationContext)
        async throws -> EncodedKeySet
    {
        try await equalityFiles.value(for: file.filePath) { [self] in
            try await EqualityDeleteFile.keys(of: file, keyColumns: group.columns, store: store, context: context)
        }
    }
}
