/// Iceberg's `manifest_file` Avro schema (spec "Manifest Lists") for format v1 or v2, with the
/// spec's field ids.
///
/// v1 lists have no content or sequence numbers, and their snapshot id and counts are optional;
/// v2 requires all of them.
struct ManifestFileSchema {
    /// The `field_summary` struct (`r508`) of one partition field.
    let summary: AvroRecordSchema
    /// The whole `manifest_file` record.
    let manifest: AvroRecordSchema

    init(formatVersion: Int) {
        let isV1 = formatVersion == 1
        let int = AvroSchema.int(logicalType: nil)
        let long = AvroSchema.long(logicalType: nil)
        let bytes = AvroSchema.bytes(logicalType: nil)
        /// Counts and the snapshot id: optional in v1, required in v2.
        func v1Optional(_ schema: AvroSchema) -> AvroSchema { isV1 ? .optional(schema) : schema }

        summary = AvroRecordSchema(
            name: "r508",
            fields: [
                .init(name: "contains_null", type: .boolean, fieldID: 509),
                .init(name: "contains_nan", type: .optional(.boolean), fieldID: 518),
                .init(name: "lower_bound", type: .optional(bytes), fieldID: 510),
                .init(name: "upper_bound", type: .optional(bytes), fieldID: 511),
            ])
        var fields: [AvroRecordSchema.Field] = [
            .init(name: "manifest_path", type: .string(logicalType: nil), fieldID: 500),
            .init(name: "manifest_length", type: long, fieldID: 501),
            .init(name: "partition_spec_id", type: int, fieldID: 502),
        ]
        if !isV1 {
            fields += [
                .init(name: "content", type: int, fieldID: 517),
                .init(name: "sequence_number", type: long, fieldID: 515),
                .init(name: "min_sequence_number", type: long, fieldID: 516),
            ]
        }
        fields += [
            .init(name: "added_snapshot_id", type: v1Optional(long), fieldID: 503),
            .init(name: "added_files_count", type: v1Optional(int), fieldID: 504),
            .init(name: "existing_files_count", type: v1Optional(int), fieldID: 505),
            .init(name: "deleted_files_count", type: v1Optional(int), fieldID: 506),
            .init(name: "added_rows_count", type: v1Optional(long), fieldID: 512),
            .init(name: "existing_rows_count", type: v1Optional(long), fieldID: 513),
            .init(name: "deleted_rows_count", type: v1Optional(long), fieldID: 514),
            .init(
                name: "partitions",
                type: .optional(.array(.record(summary), logicalType: nil, elementID: 508)), fieldID: 507),
            .init(name: "key_metadata", type: .optional(bytes), fieldID: 519),
        ]
        manifest = AvroRecordSchema(name: "manifest_file", fields: fields)
    }
}
