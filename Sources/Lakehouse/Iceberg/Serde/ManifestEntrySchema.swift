/// Iceberg's `manifest_entry` Avro schema (spec "Manifests") for format v1 or v2, with the spec's
/// field ids, the `data_file` struct and a partition struct typed for one partition spec.
///
/// v1 entries have a required `snapshot_id`, no sequence numbers, and a `data_file` without
/// `content` or `equality_ids` but with the deprecated `block_size_in_bytes`.
struct ManifestEntrySchema {
    /// The `partition` struct (`r102`): one optional field per partition field, carrying its id.
    let partition: AvroRecordSchema
    /// The `data_file` struct (`r2`).
    let dataFile: AvroRecordSchema
    /// The whole entry.
    let entry: AvroRecordSchema

    /// The schema for `formatVersion` whose partition struct holds `partitionFields`.
    init(formatVersion: Int, partitionFields: [AvroRecordSchema.Field]) {
        let isV1 = formatVersion == 1
        partition = AvroRecordSchema(name: "r102", fields: partitionFields)
        var fileFields: [AvroRecordSchema.Field] = []
        if !isV1 { fileFields.append(.init(name: "content", type: .int(logicalType: nil), fieldID: 134)) }
        fileFields += [
            .init(name: "file_path", type: .string(logicalType: nil), fieldID: 100),
            .init(name: "file_format", type: .string(logicalType: nil), fieldID: 101),
            .init(name: "partition", type: .record(partition), fieldID: 102),
            .init(name: "record_count", type: .long(logicalType: nil), fieldID: 103),
            .init(name: "file_size_in_bytes", type: .long(logicalType: nil), fieldID: 104),
        ]
        if isV1 { fileFields.append(.init(name: "block_size_in_bytes", type: .long(logicalType: nil), fieldID: 105)) }
        fileFields += [
            Self.metricsMap("column_sizes", 108, keyID: 117, valueID: 118, values: .long(logicalType: nil)),
            Self.metricsMap("value_counts", 109, keyID: 119, valueID: 120, values: .long(logicalType: nil)),
            Self.metricsMap("null_value_counts", 110, keyID: 121, valueID: 122, values: .long(logicalType: nil)),
            Self.metricsMap("nan_value_counts", 137, keyID: 138, valueID: 139, values: .long(logicalType: nil)),
            Self.metricsMap("lower_bounds", 125, keyID: 126, valueID: 127, values: .bytes(logicalType: nil)),
            Self.metricsMap("upper_bounds", 128, keyID: 129, valueID: 130, values: .bytes(logicalType: nil)),
            .init(name: "key_metadata", type: .optional(.bytes(logicalType: nil)), fieldID: 131),
            Self.list("split_offsets", 132, elementID: 133, elements: .long(logicalType: nil)),
        ]
        if !isV1 { fileFields.append(Self.list("equality_ids", 135, elementID: 136, elements: .int(logicalType: nil))) }
        fileFields.append(.init(name: "sort_order_id", type: .optional(.int(logicalType: nil)), fieldID: 140))
        dataFile = AvroRecordSchema(name: "r2", fields: fileFields)

        let snapshotID = AvroSchema.long(logicalType: nil)
        var entryFields: [AvroRecordSchema.Field] = [.init(name: "status", type: .int(logicalType: nil), fieldID: 0)]
        if isV1 {
            entryFields.append(.init(name: "snapshot_id", type: snapshotID, fieldID: 1))
        } else {
            entryFields += [
                .init(name: "snapshot_id", type: .optional(snapshotID), fieldID: 1),
                .init(name: "sequence_number", type: .optional(.long(logicalType: nil)), fieldID: 3),
                .init(name: "file_sequence_number", type: .optional(.long(logicalType: nil)), fieldID: 4),
            ]
        }
        entryFields.append(.init(name: "data_file", type: .record(dataFile), fieldID: 2))
        entry = AvroRecordSchema(name: "manifest_entry", fields: entryFields)
    }

    /// The key/value record of the metrics map `data_file.<name>` (such as `column_sizes`).
    func pair(ofMetricsField name: String) -> AvroRecordSchema {
        guard let index = dataFile.index(ofField: name), case .union(let branches) = dataFile.fields[index].type,
            case .array(.record(let pair), _, _) = branches.last
        else { preconditionFailure("data_file has no metrics map \(name)") }
        return pair
    }

    /// The key/value record of an int-keyed map, named `k<keyID>_v<valueID>` as Iceberg names it.
    private static func pair(keyID: Int, valueID: Int, values: AvroSchema) -> AvroRecordSchema {
        AvroRecordSchema(
            name: "k\(keyID)_v\(valueID)",
            fields: [
                .init(name: "key", type: .int(logicalType: nil), fieldID: keyID),
                .init(name: "value", type: values, fieldID: valueID),
            ])
    }

    /// An optional `map<int, …>` field: Iceberg writes maps with non-string keys as an Avro array
    /// of key/value records marked with logical type `map`.
    private static func metricsMap(
        _ name: String, _ fieldID: Int, keyID: Int, valueID: Int, values: AvroSchema
    ) -> AvroRecordSchema.Field {
        let pairs = AvroSchema.array(.record(pair(keyID: keyID, valueID: valueID, values: values)), logicalType: "map")
        return .init(name: name, type: .optional(pairs), fieldID: fieldID)
    }

    private static func list(_ name: String, _ fieldID: Int, elementID: Int, elements: AvroSchema)
        -> AvroRecordSchema.Field
    {
        .init(name: name, type: .optional(.array(elements, logicalType: nil, elementID: elementID)), fieldID: fieldID)
    }
}
