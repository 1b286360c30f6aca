import Engine

/// A data or delete file as a manifest describes it (spec "Manifests", the `data_file` struct).
///
/// Bounds stay in Iceberg's single-value binary form keyed by field id; decode them for a type
/// with `SingleValueSerialization` (scan planning does so for the columns a predicate uses).
public struct DataFile: Sendable, Hashable, Codable {
    /// What the file holds.
    public enum Content: Int, Sendable, Codable {
        case data = 0
        case positionDeletes = 1
        case equalityDeletes = 2
    }

    public var content: Content
    public var filePath: String
    /// `PARQUET`, `AVRO`, `ORC` or `PUFFIN`, upper-cased.
    public var fileFormat: String
    public var specID: Int
    /// The partition tuple, one value per field of the file's spec, in Weir's value form.
    public var partition: [Value]
    public var recordCount: Int64
    public var fileSizeInBytes: Int64
    public var columnSizes: [Int: Int64]
    public var valueCounts: [Int: Int64]
    public var nullValueCounts: [Int: Int64]
    public var nanValueCounts: [Int: Int64]
    public var lowerBounds: [Int: [UInt8]]
    public var upperBounds: [Int: [UInt8]]
    public var splitOffsets: [Int64]
    /// For equality deletes: the field ids whose values identify deleted rows.
    public var equalityIDs: [Int]
    public var sortOrderID: Int?

    public init(
        content: Content, filePath: String, fileFormat: String, specID: Int, partition: [Value], recordCount: Int64,
        fileSizeInBytes: Int64, columnSizes: [Int: Int64] = [:], valueCounts: [Int: Int64] = [:],
        nullValueCounts: [Int: Int64] = [:], nanValueCounts: [Int: Int64] = [:], lowerBounds: [Int: [UInt8]] = [:],
        upperBounds: [Int: [UInt8]] = [:], splitOffsets: [Int64] = [], equalityIDs: [Int] = [], sortOrderID: Int? = nil
    ) {
        self.content = content
        self.filePath = filePath
        self.fileFormat = fileFormat
        self.specID = specID
        self.partition = partition
        self.recordCount = recordCount
        self.fileSizeInBytes = fileSizeInBytes
        self.columnSizes = columnSizes
        self.valueCounts = valueCounts
        self.nullValueCounts = nullValueCounts
        self.nanValueCounts = nanValueCounts
        self.lowerBounds = lowerBounds
        self.upperBounds = upperBounds
        self.splitOffsets = splitOffsets
        self.equalityIDs = equalityIDs
        self.sortOrderID = sortOrderID
    }
}

/// One row of a manifest: a file, whether this snapshot added, kept or deleted it, and the
/// sequence numbers that order it against delete files.
public struct ManifestEntry: Sendable, Hashable, Codable {
    public enum Status: Int, Sendable, Codable {
        case existing = 0
        case added = 1
        case deleted = 2
    }

    public var status: Status
    /// The snapshot that added the file (inherited from the manifest when the entry leaves it null).
    public var snapshotID: Int64
    /// The data sequence number, with v2 inheritance applied; 0 for v1 manifests.
    public var sequenceNumber: Int64
    /// The sequence number of the commit that wrote the file, with inheritance applied.
    public var fileSequenceNumber: Int64
    public var dataFile: DataFile

    public init(status: Status, snapshotID: Int64, sequenceNumber: Int64, fileSequenceNumber: Int64, dataFile: DataFile)
    {
        self.status = status
        self.snapshotID = snapshotID
        self.sequenceNumber = sequenceNumber
        self.fileSequenceNumber = fileSequenceNumber
        self.dataFile = dataFile
    }

    /// True for entries a scan reads: added or existing files.
    public var isLive: Bool { status != .deleted }
}
