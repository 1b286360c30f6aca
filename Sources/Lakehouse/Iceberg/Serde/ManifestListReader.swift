/// Reads a snapshot's manifest list (an Avro file of `manifest_file` records, v1 or v2 layout).
///
/// Fields are found by their spec field ids (falling back to names), so both layouts read the
/// same way; v1 lists lack content and sequence numbers, which read as data and 0.
public enum ManifestListReader {
    /// The manifests listed in the Avro file `bytes` read from `location`.
    public static func read(_ bytes: [UInt8], location: String) throws -> [ManifestFile] {
        let container = try AvroContainerReader(bytes: bytes, location: location)
        return try container.values.enumerated().map { index, value in
            guard let record = value.recordValue else {
                throw LakehouseError.corrupt(location, "manifest list entry \(index) is not a record")
            }
            return try manifest(record, location: location, index: index)
        }
    }

    private static func manifest(_ record: AvroRecord, location: String, index: Int) throws -> ManifestFile {
        func required(_ id: Int, _ name: String) throws -> AvroValue {
            let value = record.value(fieldID: id, name: name)
            guard !value.isNull else {
                throw LakehouseError.corrupt(location, "manifest list entry \(index) has no \(name)")
            }
            return value
        }
        func optionalInteger(_ id: Int, _ names: String...) -> Int64? {
            for name in names { if let value = record.value(fieldID: id, name: name).integer { return value } }
            return nil
        }
        guard let path = try required(500, "manifest_path").stringValue,
            let length = try required(501, "manifest_length").integer,
            let specID = try required(502, "partition_spec_id").integer
        else {
            throw LakehouseError.corrupt(location, "manifest list entry \(index) has mistyped required fields")
        }
        let contentCode = optionalInteger(517, "content") ?? 0
        guard let content = ManifestFile.Content(rawValue: Int(contentCode)) else {
            throw LakehouseError.corrupt(location, "manifest list entry \(index) has content \(contentCode)")
        }
        let sequenceNumber = optionalInteger(515, "sequence_number") ?? 0
        var partitions: [PartitionFieldSummary] = []
        for summary in record.value(fieldID: 507, name: "partitions").arrayValue ?? [] {
            guard let fields = summary.recordValue else {
                throw LakehouseError.corrupt(location, "manifest list entry \(index) has a malformed partition summary")
            }
            guard case .boolean(let containsNull) = fields.value(fieldID: 509, name: "contains_null") else {
                throw LakehouseError.corrupt(location, "manifest list entry \(index) summary lacks contains_null")
            }
            var containsNaN: Bool?
            if case .boolean(let flag) = fields.value(fieldID: 518, name: "contains_nan") { containsNaN = flag }
            partitions.append(
                PartitionFieldSummary(
                    containsNull: containsNull, containsNaN: containsNaN,
                    lowerBound: fields.value(fieldID: 510, name: "lower_bound").byteArray,
                    upperBound: fields.value(fieldID: 511, name: "upper_bound").byteArray))
        }
        return ManifestFile(
            path: path, length: length, partitionSpecID: Int(specID), content: content,
            sequenceNumber: sequenceNumber,
            minSequenceNumber: optionalInteger(516, "min_sequence_number") ?? sequenceNumber,
            addedSnapshotID: optionalInteger(503, "added_snapshot_id") ?? 0,
            addedFilesCount: optionalInteger(504, "added_files_count", "added_data_files_count").map { Int($0) },
            existingFilesCount: optionalInteger(505, "existing_files_count", "existing_data_files_count").map {
                Int($0)
            },
            deletedFilesCount: optionalInteger(506, "deleted_files_count", "deleted_data_files_count").map { Int($0) },
            addedRowsCount: optionalInteger(512, "added_rows_count"),
            existingRowsCount: optionalInteger(513, "existing_rows_count"),
            deletedRowsCount: optionalInteger(514, "deleted_rows_count"),
            partitions: partitions)
    }
}
