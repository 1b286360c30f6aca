/// One entry of a snapshot's manifest list: a manifest and the summary that lets scans skip it.
public struct ManifestFile: Sendable, Hashable, Codable {
    /// Whether the manifest tracks data files or delete files.
    public enum Content: Int, Sendable, Codable { case data = 0, deletes = 1 }

    /// The sequence number of a manifest or entry written before its commit's number is known
    /// (the spec's `UNASSIGNED_SEQ`); the manifest list writer fills in the commit's number.
    public static let unassignedSequenceNumber: Int64 = -1

    public var path: String
    public var length: Int64
    public var partitionSpecID: Int
    public var content: Content
    /// The sequence number of the commit that added the manifest; 0 in format v1.
    public var sequenceNumber: Int64
    public var minSequenceNumber: Int64
    public var addedSnapshotID: Int64
    public var addedFilesCount: Int?
    public var existingFilesCount: Int?
    public var deletedFilesCount: Int?
    public var addedRowsCount: Int64?
    public var existingRowsCount: Int64?
    public var deletedRowsCount: Int64?
    /// One summary per partition field, in spec order.
    public var partitions: [PartitionFieldSummary]

    public init(
        path: String, length: Int64, partitionSpecID: Int, content: Content, sequenceNumber: Int64,
        minSequenceNumber: Int64, addedSnapshotID: Int64, addedFilesCount: Int? = nil, existingFilesCount: Int? = nil,
        deletedFilesCount: Int? = nil, addedRowsCount: Int64? = nil, existingRowsCount: Int64? = nil,
        deletedRowsCount: Int64? = nil, partitions: [PartitionFieldSummary] = []
    ) {
        self.path = path
        self.length = length
        self.partitionSpecID = partitionSpecID
        self.content = content
        self.sequenceNumber = sequenceNumber
        self.minSequenceNumber = minSequenceNumber
        self.addedSnapshotID = addedSnapshotID
        self.addedFilesCount = addedFilesCount
        self.existingFilesCount = existingFilesCount
        self.deletedFilesCount = deletedFilesCount
        self.addedRowsCount = addedRowsCount
        self.existingRowsCount = existingRowsCount
        self.deletedRowsCount = deletedRowsCount
        self.partitions = partitions
    }

    /// False only when the counts prove the manifest holds no live (added or existing) files.
    public var mayHaveLiveFiles: Bool {
        guard let added = addedFilesCount, let existing = existingFilesCount else { return true }
        return added + existing > 0
    }
}

/// The bounds of one partition field over every file in a manifest.
public struct PartitionFieldSummary: Sendable, Hashable, Codable {
    public var containsNull: Bool
    public var containsNaN: Bool?
    /// Single-value serialized bounds (see `SingleValueSerialization`); nil when all values are null.
    public var lowerBound: [UInt8]?
    public var upperBound: [UInt8]?

    public init(containsNull: Bool, containsNaN: Bool? = nil, lowerBound: [UInt8]? = nil, upperBound: [UInt8]? = nil) {
        self.containsNull = containsNull
        self.containsNaN = containsNaN
        self.lowerBound = lowerBound
        self.upperBound = upperBound
    }
}
