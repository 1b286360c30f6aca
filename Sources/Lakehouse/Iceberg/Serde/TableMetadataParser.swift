/// Parses table metadata JSON (format v1 and v2) into `TableMetadata`.
///
/// Format v3 metadata is read when it uses nothing beyond v2 (its extra top-level fields such as
/// `next-row-id` are ignored); v3-only types and deletion vectors are rejected with `0A000` where
/// they are met. Malformed documents throw `XX001` naming the file and the offending field.
public enum TableMetadataParser {
    /// Parses the metadata file `bytes` read from `location`.
    public static func parse(_ bytes: [UInt8], location: String) throws -> TableMetadata {
        let root = try JSONObject.parse(bytes, location: location)
        let formatVersion = try root.int("format-version")
        guard (1...3).contains(formatVersion) else {
            throw LakehouseError.unsupported(
                "Iceberg format version \(formatVersion) of \"\(location)\" is not supported")
        }
        let schemas: [IcebergSchema]
        let currentSchemaID: Int
        if root.has("schemas") {
            schemas = try root.objects("schemas").map { try IcebergTypeParser.schema($0) }
            currentSchemaID = try root.optionalInt("current-schema-id") ?? schemas.first?.schemaID ?? 0
        } else {
            let schema = try IcebergTypeParser.schema(try root.object("schema"))
            schemas = [schema]
            currentSchemaID = schema.schemaID
        }
        guard schemas.contains(where: { $0.schemaID == currentSchemaID }) else {
            throw root.problem("current-schema-id", "names schema \(currentSchemaID), which is not listed")
        }

        let specs: [PartitionSpec]
        let defaultSpecID: Int
        if root.has("partition-specs") {
            specs = try root.objects("partition-specs").map { try partitionSpec($0) }
            defaultSpecID = try root.optionalInt("default-spec-id") ?? specs.first?.specID ?? 0
        } else {
            specs = [try v1PartitionSpec(root)]
            defaultSpecID = 0
        }

        var snapshots = try root.objects("snapshots").map { try snapshot($0) }
        if formatVersion == 1 {
            for index in snapshots.indices { snapshots[index].sequenceNumber = 0 }
        }
        var currentSnapshotID = try root.optionalInt64("current-snapshot-id")
        if currentSnapshotID == -1 { currentSnapshotID = nil }
        var refs: [String: SnapshotReference] = [:]
        if root.has("refs") {
            let refsObject = try root.object("refs")
            for name in refsObject.fields.keys.sorted() { refs[name] = try reference(try refsObject.object(name)) }
        }
        if refs["main"] == nil, let currentSnapshotID {
            refs["main"] = SnapshotReference(snapshotID: currentSnapshotID, kind: .branch)
        }

        return TableMetadata(
            formatVersion: formatVersion,
            tableUUID: try root.optionalString("table-uuid"),
            location: try root.string("location"),
            lastSequenceNumber: try root.optionalInt64("last-sequence-number") ?? 0,
            lastUpdatedMs: try root.optionalInt64("last-updated-ms") ?? 0,
            lastColumnID: try root.optionalInt("last-column-id") ?? 0,
            schemas: schemas,
            currentSchemaID: currentSchemaID,
            partitionSpecs: specs,
            defaultSpecID: defaultSpecID,
            lastPartitionID: try root.optionalInt("last-partition-id"),
            properties: try root.stringMap("properties"),
            currentSnapshotID: currentSnapshotID,
            snapshots: snapshots,
            snapshotLog: try root.objects("snapshot-log").map {
                SnapshotLogEntry(timestampMs: try $0.int64("timestamp-ms"), snapshotID: try $0.int64("snapshot-id"))
            },
            metadataLog: try root.objects("metadata-log").map {
                MetadataLogEntry(
                    timestampMs: try $0.int64("timestamp-ms"), metadataFile: try $0.string("metadata-file"))
            },
            sortOrders: try root.objects("sort-orders").map { try sortOrder($0) },
            defaultSortOrderID: try root.optionalInt("default-sort-order-id") ?? 0,
            refs: refs
        )
    }

    static func partitionSpec(_ object: JSONObject) throws -> PartitionSpec {
        PartitionSpec(specID: try object.int("spec-id"), fields: try partitionFields(object.objects("fields")))
    }

    /// v1 tables may only have `partition-spec`, an array of fields without field ids.
    private static func v1PartitionSpec(_ root: JSONObject) throws -> PartitionSpec {
        PartitionSpec(specID: 0, fields: try partitionFields(root.objects("partition-spec")))
    }

    private static func partitionFields(_ objects: [JSONObject]) throws -> [PartitionField] {
        try objects.enumerated().map { index, field in
            PartitionField(
                sourceID: try field.int("source-id"),
                fieldID: try field.optionalInt("field-id") ?? 1000 + index,
                name: try field.string("name"),
                transform: try PartitionTransform.parse(try field.string("transform")))
        }
    }

    private static func snapshot(_ object: JSONObject) throws -> Snapshot {
        Snapshot(
            snapshotID: try object.int64("snapshot-id"),
            parentSnapshotID: try object.optionalInt64("parent-snapshot-id"),
            sequenceNumber: try object.optionalInt64("sequence-number") ?? 0,
            timestampMs: try object.int64("timestamp-ms"),
            manifestList: try object.optionalString("manifest-list"),
            manifests: try object.stringArray("manifests"),
            summary: try object.stringMap("summary"),
            schemaID: try object.optionalInt("schema-id"))
    }

    private static func reference(_ object: JSONObject) throws -> SnapshotReference {
        let typeName = try object.string("type")
        guard let kind = SnapshotReference.Kind(rawValue: typeName) else {
            throw object.problem("type", "is \"\(typeName)\", not branch or tag")
        }
        return SnapshotReference(
            snapshotID: try object.int64("snapshot-id"), kind: kind,
            maxRefAgeMs: try object.optionalInt64("max-ref-age-ms"),
            maxSnapshotAgeMs: try object.optionalInt64("max-snapshot-age-ms"),
            minSnapshotsToKeep: try object.optionalInt("min-snapshots-to-keep"))
    }

    private static func sortOrder(_ object: JSONObject) throws -> SortOrder {
        SortOrder(
            orderID: try object.int("order-id"),
            fields: try object.objects("fields").map { field in
                let directionName = try field.string("direction")
                let nullOrderName = try field.string("null-order")
                guard let direction = SortOrder.Field.Direction(rawValue: directionName) else {
                    throw field.problem("direction", "is \"\(directionName)\"")
                }
                guard let nullOrder = SortOrder.Field.NullOrder(rawValue: nullOrderName) else {
                    throw field.problem("null-order", "is \"\(nullOrderName)\"")
                }
                return SortOrder.Field(
                    sourceID: try field.int("source-id"),
                    transform: try PartitionTransform.parse(try field.string("transform")),
                    direction: direction, nullOrder: nullOrder)
            })
    }
}
