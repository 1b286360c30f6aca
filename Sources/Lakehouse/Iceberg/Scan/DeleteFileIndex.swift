import Engine

/// Finds the delete files that apply to a data file, by the spec's rules ("Scan Planning"):
///
/// - a position delete applies when the data file's data sequence number is at most the delete's
///   and both have the same partition spec and partition tuple (and, when the delete file's
///   `file_path` bounds are known, the data file's path lies between them);
/// - an equality delete applies when the data file's data sequence number is strictly less than
///   the delete's and the delete is unpartitioned or in the same spec and partition.
struct DeleteFileIndex {
    private struct PartitionKey: Hashable {
        var specID: Int
        var partition: [Value]
    }

    /// The reserved field id of position delete files' `file_path` column.
    static let filePathFieldID = PositionDeleteFile.filePathField.id

    private var positionDeletes: [PartitionKey: [ManifestEntry]] = [:]
    private var partitionedEqualityDeletes: [PartitionKey: [ManifestEntry]] = [:]
    private var globalEqualityDeletes: [ManifestEntry] = []

    init(deletes: [ManifestEntry], specs: [Int: PartitionSpec]) {
        for entry in deletes {
            let file = entry.dataFile
            let key = PartitionKey(specID: file.specID, partition: file.partition)
            switch file.content {
            case .positionDeletes:
                positionDeletes[key, default: []].append(entry)
            case .equalityDeletes:
                if specs[file.specID]?.isUnpartitioned ?? file.partition.isEmpty {
                    globalEqualityDeletes.append(entry)
                } else {
                    partitionedEqualityDeletes[key, default: []].append(entry)
                }
            case .data:
                continue
            }
        }
    }

    var isEmpty: Bool { positionDeletes.isEmpty && partitionedEqualityDeletes.isEmpty && globalEqualityDeletes.isEmpty }

    /// The position and equality delete files for one live data entry.
    func deletes(for entry: ManifestEntry) -> (position: [DataFile], equality: [DataFile]) {
        let file = entry.dataFile
        let key = PartitionKey(specID: file.specID, partition: file.partition)
        let path = Array(file.filePath.utf8)
        let position = (positionDeletes[key] ?? []).filter { delete in
            guard entry.sequenceNumber <= delete.sequenceNumber else { return false }
            return Self.pathMayBeIn(path, delete.dataFile)
        }
        let equality = (globalEqualityDeletes + (partitionedEqualityDeletes[key] ?? [])).filter { delete in
            entry.sequenceNumber < delete.sequenceNumber
        }
        return (position.map(\.dataFile), equality.map(\.dataFile))
    }

    private static func pathMayBeIn(_ path: [UInt8], _ delete: DataFile) -> Bool {
        if let lower = delete.lowerBounds[filePathFieldID],
            let order = ValueOrdering.compare(.bytes(path), .bytes(lower)), order < 0
        {
            return false
        }
        if let upper = delete.upperBounds[filePathFieldID],
            let order = ValueOrdering.compare(.bytes(path), .bytes(upper)), order > 0
        {
            return false
        }
        return true
    }
}
