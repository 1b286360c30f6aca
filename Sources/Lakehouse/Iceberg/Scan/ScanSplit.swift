/// One unit of scan work an engine node can run without the table's metadata: a data file with
/// the delete files that apply to it. Serializable, so a coordinator can ship it to a node.
public struct ScanSplit: Sendable, Hashable, Codable {
    /// The data file: location, format, record count, size, partition values and column stats.
    public var dataFile: DataFile
    /// The file's data sequence number, which orders it against delete files.
    public var dataSequenceNumber: Int64
    /// Position delete files whose rows may point into this file.
    public var positionDeletes: [DataFile]
    /// Equality delete files that apply to this file's rows.
    public var equalityDeletes: [DataFile]

    public init(dataFile: DataFile, dataSequenceNumber: Int64, positionDeletes: [DataFile], equalityDeletes: [DataFile])
    {
        self.dataFile = dataFile
        self.dataSequenceNumber = dataSequenceNumber
        self.positionDeletes = positionDeletes
        self.equalityDeletes = equalityDeletes
    }

    public var location: String { dataFile.filePath }
    public var hasDeletes: Bool { !positionDeletes.isEmpty || !equalityDeletes.isEmpty }
}

/// The result of planning a scan: which snapshot and schema it reads and the splits to run.
public struct ScanPlan: Sendable, Hashable, Codable {
    /// The snapshot read; nil for a table that has none yet (then there are no splits).
    public var snapshot: Snapshot?
    /// The schema rows read with: the snapshot's schema, or the current one.
    public var schema: IcebergSchema
    public var splits: [ScanSplit]
    /// Manifests and data files skipped by pruning, for EXPLAIN and tests.
    public var skippedManifests: Int
    public var skippedDataFiles: Int

    public init(
        snapshot: Snapshot?, schema: IcebergSchema, splits: [ScanSplit], skippedManifests: Int = 0,
        skippedDataFiles: Int = 0
    ) {
        self.snapshot = snapshot
        self.schema = schema
        self.splits = splits
        self.skippedManifests = skippedManifests
        self.skippedDataFiles = skippedDataFiles
    }
}

/// Which snapshot a scan reads.
public enum SnapshotSelection: Sendable, Hashable, Codable {
    /// The table's current snapshot.
    case current
    case snapshotID(Int64)
    /// The snapshot current at a moment, in milliseconds since the epoch.
    case asOfTimestampMs(Int64)
    /// A branch or tag.
    case ref(String)
}
