import Engine

/// Writes a manifest: an Avro file of `manifest_entry` records (spec "Manifests"), the inverse of
/// `ManifestReader`.
///
/// Empty metrics maps, split offsets and equality ids are written as null (not recorded). In v2,
/// a sequence number equal to `ManifestFile.unassignedSequenceNumber` is written as null, so the
/// entry inherits the sequence number of the manifest list that adds it; only added entries may
/// leave it unassigned. v1 entries carry no sequence numbers (readers take 0) and the deprecated
/// `block_size_in_bytes` is written as 64 MiB, as Java and PyIceberg do.
public enum ManifestWriter {
    /// The `block_size_in_bytes` every v1 entry carries.
    static let v1BlockSize: Int64 = 64 * 1024 * 1024

    /// A manifest file (Avro) holding `entries`, for format v1 or v2, in Iceberg's manifest_entry
    /// schema with field ids, its partition struct typed from `spec` over `schema`. Metadata keys:
    /// "schema" (schema JSON), "schema-id", "partition-spec" (JSON array of the spec's fields),
    /// "partition-spec-id", "format-version", and for v2 "content" ("data" or "deletes").
    ///
    /// Throws `22000` naming the entry when one does not fit the manifest: a file of another spec,
    /// content or partition arity, a partition value not of its field's type, a delete file in a
    /// data manifest (or in v1), an unassigned sequence number on an entry that is not added.
    public static func write(
        entries: [ManifestEntry], schema: IcebergSchema, spec: PartitionSpec, formatVersion: Int,
        content: ManifestFile.Content
    ) throws -> [UInt8] {
        guard formatVersion == 1 || formatVersion == 2 else {
            throw LakehouseError.unsupported("writing manifests of format version \(formatVersion) is not supported")
        }
        guard formatVersion == 2 || content == .data else {
            throw LakehouseError.cannotWrite("a manifest", "format version 1 has no delete manifests")
        }
        let partitionTypes = try spec.fields.map { field in
            guard let source = schema.field(id: field.sourceID) else {
                throw LakehouseError.cannotWrite(
                    "a manifest",
                    "partition field \"\(field.name)\" has source id \(field.sourceID), which schema \(schema.schemaID) lacks"
                )
            }
            return field.transform.resultType(source: source.type)
        }
        let partitionFields = try zip(spec.fields, partitionTypes).map { field, type in
            AvroRecordSchema.Field(
                name: IcebergAvroMapping.avroName(field.name),
                type: .optional(try IcebergAvroMapping.schema(for: type, nameSuffix: "_\(field.fieldID)")),
                fieldID: field.fieldID)
        }
        let encoder = EntryEncoder(
            formatVersion: formatVersion, content: content, spec: spec, partitionTypes: partitionTypes,
            schema: ManifestEntrySchema(formatVersion: formatVersion, partitionFields: partitionFields))
        var metadata = [
            "schema": try IcebergSchemaJSON.text(IcebergSchemaJSON.schema(schema)),
            "schema-id": String(schema.schemaID),
            "partition-spec": try IcebergSchemaJSON.text(IcebergSchemaJSON.partitionFields(spec)),
            "partition-spec-id": String(spec.specID),
            "format-version": String(formatVersion),
        ]
        if formatVersion >= 2 { metadata["content"] = content == .data ? "data" : "deletes" }
        var writer = AvroContainerWriter(schema: .record(encoder.schema.entry), metadata: metadata)
        for (index, entry) in entries.enumerated() {
            try writer.append(try encoder.record(entry, index: index))
        }
        return try writer.finish()
    }
}

/// Turns one `ManifestEntry` into its `manifest_entry` record.
private struct EntryEncoder {
    let formatVersion: Int
    let content: ManifestFile.Content
    let spec: PartitionSpec
    let partitionTypes: [IcebergType]
    let schema: ManifestEntrySchema

    /// Why an entry does not fit the manifest, completed into a `LakehouseError` naming the entry.
    private struct Misfit: Error {
        let text: String
        init(_ text: String) { self.text = text }
    }

    func record(_ entry: ManifestEntry, index: Int) throws -> AvroValue {
        do {
            return try record(entry)
        } catch let misfit as Misfit {
            throw LakehouseError.cannotWrite(
                "a manifest", "entry \(index) (\"\(entry.dataFile.filePath)\") \(misfit.text)")
        }
    }

    private func record(_ entry: ManifestEntry) throws -> AvroValue {
        let file = entry.dataFile
        guard file.specID == spec.specID else {
            throw Misfit("has partition spec \(file.specID), the manifest is for spec \(spec.specID)")
        }
        guard (file.content == .data) == (content == .data) else {
            throw Misfit("holds \(file.content) content, which does not belong in a \(content) manifest")
        }
        let unassigned = ManifestFile.unassignedSequenceNumber
        if formatVersion >= 2, entry.status != .added,
            entry.sequenceNumber == unassigned || entry.fileSequenceNumber == unassigned
        {
            throw Misfit("is \(entry.status) but has no sequence number; only added entries may inherit one")
        }
        func sequence(_ number: Int64) -> AvroValue { number == unassigned ? .null : .long(number) }
        let fileRecord = AvroRecord(
            schema: schema.dataFile,
            valuesByName: [
                "content": .int(Int32(file.content.rawValue)),
                "file_path": .string(file.filePath),
                "file_format": .string(file.fileFormat),
                "partition": .record(try partition(file.partition)),
                "record_count": .long(file.recordCount),
                "file_size_in_bytes": .long(file.fileSizeInBytes),
                "block_size_in_bytes": .long(ManifestWriter.v1BlockSize),
                "column_sizes": try metrics(file.columnSizes, field: "column_sizes") { .long($0) },
                "value_counts": try metrics(file.valueCounts, field: "value_counts") { .long($0) },
                "null_value_counts": try metrics(file.nullValueCounts, field: "null_value_counts") { .long($0) },
                "nan_value_counts": try metrics(file.nanValueCounts, field: "nan_value_counts") { .long($0) },
                "lower_bounds": try metrics(file.lowerBounds, field: "lower_bounds") { .bytes($0) },
                "upper_bounds": try metrics(file.upperBounds, field: "upper_bounds") { .bytes($0) },
                "split_offsets": file.splitOffsets.isEmpty ? .null : .array(file.splitOffsets.map { .long($0) }),
                "equality_ids": file.equalityIDs.isEmpty
                    ? .null : .array(try file.equalityIDs.map { try int($0, "equality id") }),
                "sort_order_id": try file.sortOrderID.map { try int($0, "sort order id") } ?? .null,
            ])
        return .record(
            AvroRecord(
                schema: schema.entry,
                valuesByName: [
                    "status": .int(Int32(entry.status.rawValue)),
                    "snapshot_id": .long(entry.snapshotID),
                    "sequence_number": sequence(entry.sequenceNumber),
                    "file_sequence_number": sequence(entry.fileSequenceNumber),
                    "data_file": .record(fileRecord),
                ]))
    }

    private func partition(_ values: [Value]) throws -> AvroRecord {
        guard values.count == spec.fields.count else {
            throw Misfit("has \(values.count) partition values, spec \(spec.specID) has \(spec.fields.count) fields")
        }
        return AvroRecord(
            schema: schema.partition,
            values: try values.indices.map { position in
                let (field, type) = (spec.fields[position], partitionTypes[position])
                guard let avro = IcebergAvroMapping.value(values[position], as: type) else {
                    throw Misfit(
                        "has partition value \(values[position]) for \"\(field.name)\", which is not a \(type)")
                }
                return avro
            })
    }

    /// A `map<int, …>` of `data_file.<field>` as Iceberg writes it: key/value records in key
    /// order, or null when empty.
    private func metrics<Metric>(_ map: [Int: Metric], field: String, value: (Metric) -> AvroValue) throws
        -> AvroValue
    {
        if map.isEmpty { return .null }
        let pair = schema.pair(ofMetricsField: field)
        return .array(
            try map.keys.sorted().map { key in
                .record(AvroRecord(schema: pair, values: [try int(key, "field id"), value(map[key]!)]))
            })
    }

    private func int(_ number: Int, _ what: String) throws -> AvroValue {
        guard let narrow = Int32(exactly: number) else { throw Misfit("has \(what) \(number), beyond an Avro int") }
        return .int(narrow)
    }
}
