/// The content of a table metadata file (spec "Table Metadata"), format v1 or v2.
///
/// Parsed by `TableMetadataParser`; v1 files are normalized on the way in (a single `schema` and
/// `partition-spec` become one-element lists, missing sequence numbers become 0).
public struct TableMetadata: Sendable, Hashable, Codable {
    public var formatVersion: Int
    public var tableUUID: String?
    public var location: String
    public var lastSequenceNumber: Int64
    public var lastUpdatedMs: Int64
    public var lastColumnID: Int
    public var schemas: [IcebergSchema]
    public var currentSchemaID: Int
    public var partitionSpecs: [PartitionSpec]
    public var defaultSpecID: Int
    public var lastPartitionID: Int?
    public var properties: [String: String]
    public var currentSnapshotID: Int64?
    public var snapshots: [Snapshot]
    public var snapshotLog: [SnapshotLogEntry]
    public var metadataLog: [MetadataLogEntry]
    public var sortOrders: [SortOrder]
    public var defaultSortOrderID: Int
    public var refs: [String: SnapshotReference]

    public init(
        formatVersion: Int, tableUUID: String?, location: String, lastSequenceNumber: Int64, lastUpdatedMs: Int64,
        lastColumnID: Int, schemas: [IcebergSchema], currentSchemaID: Int, partitionSpecs: [PartitionSpec],
        defaultSpecID: Int, lastPartitionID: Int?, properties: [String: String], currentSnapshotID: Int64?,
        snapshots: [Snapshot], snapshotLog: [SnapshotLogEntry], metadataLog: [MetadataLogEntry],
        sortOrders: [SortOrder], defaultSortOrderID: Int, refs: [String: SnapshotReference]
    ) {
        self.formatVersion = formatVersion
        self.tableUUID = tableUUID
        self.location = location
        self.lastSequenceNumber = lastSequenceNumber
        self.lastUpdatedMs = lastUpdatedMs
        self.lastColumnID = lastColumnID
        self.schemas = schemas
        self.currentSchemaID = currentSchemaID
        self.partitionSpecs = partitionSpecs
        self.defaultSpecID = defaultSpecID
        self.lastPartitionID = lastPartitionID
        self.properties = properties
        self.currentSnapshotID = currentSnapshotID
        self.snapshots = snapshots
        self.snapshotLog = snapshotLog
        self.metadataLog = metadataLog
        self.sortOrders = sortOrders
        self.defaultSortOrderID = defaultSortOrderID
        self.refs = refs
    }

    /// The schema new reads use by default.
    public var currentSchema: IcebergSchema? { schema(id: currentSchemaID) }

    public func schema(id: Int) -> IcebergSchema? { schemas.first { $0.schemaID == id } }

    public func partitionSpec(id: Int) -> PartitionSpec? { partitionSpecs.first { $0.specID == id } }

    public var currentSnapshot: Snapshot? { currentSnapshotID.flatMap { snapshot(id: $0) } }

    public func snapshot(id: Int64) -> Snapshot? { snapshots.first { $0.snapshotID == id } }

    /// The snapshot a branch or tag points at.
    public func snapshot(ref name: String) -> Snapshot? { refs[name].flatMap { snapshot(id: $0.snapshotID) } }

    /// The snapshot that was current at `timestampMs`, from the snapshot log: the last entry at or
    /// before that time. Nil when the table had no snapshot yet.
    public func snapshot(asOfTimestampMs timestampMs: Int64) -> Snapshot? {
        let entry = snapshotLog.last { $0.timestampMs <= timestampMs }
        if let entry { return snapshot(id: entry.snapshotID) }
        // Tables whose log was trimmed: fall back to snapshot timestamps along the current lineage.
        var candidate = currentSnapshot
        while let current = candidate, current.timestampMs > timestampMs {
            candidate = current.parentSnapshotID.flatMap { snapshot(id: $0) }
        }
        return snapshotLog.isEmpty ? candidate : nil
    }

    /// The schema a snapshot was written with, or the current schema when it does not record one.
    public func schema(for snapshot: Snapshot) -> IcebergSchema? {
        snapshot.schemaID.flatMap { schema(id: $0) } ?? currentSchema
    }

    /// The field with id `id`, from the current schema or, for dropped columns, the newest
    /// schema that still has it.
    public func field(id: Int) -> NestedField? {
        if let field = currentSchema?.field(id: id) { return field }
        return schemas.reversed().lazy.compactMap { $0.field(id: id) }.first
    }

    /// The result types of a partition spec's fields, in spec order; nil where the source column
    /// is unknown to every schema.
    public func partitionTypes(specID: Int) -> [IcebergType?] {
        guard let spec = partitionSpec(id: specID) else { return [] }
        return spec.fields.map { field in
            self.field(id: field.sourceID).map { field.transform.resultType(source: $0.type) }
        }
    }
}
