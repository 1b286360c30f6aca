/// A snapshot: the state of a table after one commit (spec "Snapshots").
public struct Snapshot: Sendable, Hashable, Codable {
    public var snapshotID: Int64
    public var parentSnapshotID: Int64?
    /// The sequence number of the commit; 0 for format v1 tables.
    public var sequenceNumber: Int64
    public var timestampMs: Int64
    /// The Avro manifest list; nil only for old v1 snapshots that list `manifests` inline.
    public var manifestList: String?
    /// Manifest locations of v1 snapshots written without a manifest list.
    public var manifests: [String]
    /// The summary map; `operation` is one of append, replace, overwrite, delete.
    public var summary: [String: String]
    public var schemaID: Int?

    public init(
        snapshotID: Int64, parentSnapshotID: Int64?, sequenceNumber: Int64, timestampMs: Int64,
        manifestList: String?, manifests: [String] = [], summary: [String: String], schemaID: Int?
    ) {
        self.snapshotID = snapshotID
        self.parentSnapshotID = parentSnapshotID
        self.sequenceNumber = sequenceNumber
        self.timestampMs = timestampMs
        self.manifestList = manifestList
        self.manifests = manifests
        self.summary = summary
        self.schemaID = schemaID
    }

    /// The operation the summary records (`append`, `overwrite`, ...).
    public var operation: String? { summary["operation"] }
}

/// A named reference to a snapshot: a branch (such as `main`) or a tag.
public struct SnapshotReference: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable { case branch, tag }

    public var snapshotID: Int64
    public var kind: Kind
    public var maxRefAgeMs: Int64?
    public var maxSnapshotAgeMs: Int64?
    public var minSnapshotsToKeep: Int?

    public init(
        snapshotID: Int64, kind: Kind, maxRefAgeMs: Int64? = nil, maxSnapshotAgeMs: Int64? = nil,
        minSnapshotsToKeep: Int? = nil
    ) {
        self.snapshotID = snapshotID
        self.kind = kind
        self.maxRefAgeMs = maxRefAgeMs
        self.maxSnapshotAgeMs = maxSnapshotAgeMs
        self.minSnapshotsToKeep = minSnapshotsToKeep
    }
}

/// One entry of the snapshot log: which snapshot became current when.
public struct SnapshotLogEntry: Sendable, Hashable, Codable {
    public var timestampMs: Int64
    public var snapshotID: Int64

    public init(timestampMs: Int64, snapshotID: Int64) {
        self.timestampMs = timestampMs
        self.snapshotID = snapshotID
    }
}

/// One entry of the metadata log: an earlier metadata file of the table.
public struct MetadataLogEntry: Sendable, Hashable, Codable {
    public var timestampMs: Int64
    public var metadataFile: String

    public init(timestampMs: Int64, metadataFile: String) {
        self.timestampMs = timestampMs
        self.metadataFile = metadataFile
    }
}
