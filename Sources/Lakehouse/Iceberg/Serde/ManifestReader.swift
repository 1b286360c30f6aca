import Engine

/// Reads a manifest (an Avro file of `manifest_entry` records, v1 or v2 layout) into entries,
/// applying the spec's inheritance: null snapshot ids and sequence numbers of added entries take
/// the manifest list's values; v1 entries have sequence number 0.
public enum ManifestReader {
    /// The entries of `manifest`, whose Avro bytes were read from `manifest.path`.
    ///
    /// - Parameter partitionTypes: the result types of the manifest's partition spec fields, in
    ///   spec order (see `TableMetadata.partitionTypes(specID:)`), used to decode partition values.
    public static func read(
        _ bytes: [UInt8], manifest: ManifestFile, partitionFields: [PartitionField], partitionTypes: [IcebergType?]
    ) throws -> [ManifestEntry] {
        let location = manifest.path
        let container = try AvroContainerReader(bytes: bytes, location: location)
        let reader = EntryDecoder(
            location: location, manifest: manifest, partitionFields: partitionFields, partitionTypes: partitionTypes)
        return try container.values.enumerated().map { index, value in
            guard let record = value.recordValue else {
                throw LakehouseError.corrupt(location, "manifest entry \(index) is not a record")
            }
            return try reader.entry(record, index: index)
        }
    }
}

/// Decodes one `manifest_entry` record; field ids are the spec's (status 0, snapshot_id 1, ...).
private struct EntryDecoder {
    let location: String
    let manifest: ManifestFile
    let partitionFields: [PartitionField]
    let partitionTypes: [IcebergType?]

    func corrupt(_ index: Int, _ problem: String) -> LakehouseError {
        LakehouseError.corrupt(location, "manifest entry \(index) \(problem)")
    }

    func entry(_ record: AvroRecord, index: Int) throws -> ManifestEntry {
        guard let statusCode = record.value(fieldID: 0, name: "status").integer,
            let status = ManifestEntry.Status(rawValue: Int(statusCode))
        else { throw corrupt(index, "has no valid status") }
        guard let fileRecord = record.value(fieldID: 2, name: "data_file").recordValue else {
            throw corrupt(index, "has no data_file")
        }
        let snapshotID = record.value(fieldID: 1, name: "snapshot_id").integer ?? manifest.addedSnapshotID
        let inherits = status == .added || manifest.sequenceNumber == 0
        guard
            let sequenceNumber = record.value(fieldID: 3, name: "sequence_number").integer
                ?? (inherits ? manifest.sequenceNumber : nil)
        else { throw corrupt(index, "is \(status) but has no sequence number to keep") }
        let fileSequenceNumber =
            record.value(fieldID: 4, name: "file_sequence_number").integer
            ?? (inherits ? manifest.sequenceNumber : sequenceNumber)
        return ManifestEntry(
            status: status, snapshotID: snapshotID, sequenceNumber: sequenceNumber,
            fileSequenceNumber: fileSequenceNumber, dataFile: try dataFile(fileRecord, index: index))
    }

    func dataFile(_ record: AvroRecord, index: Int) throws -> DataFile {
        let contentCode = record.value(fieldID: 134, name: "content").integer ?? 0
        guard let content = DataFile.Content(rawValue: Int(contentCode)) else {
            throw corrupt(index, "has file content \(contentCode)")
        }
        guard let path = record.value(fieldID: 100, name: "file_path").stringValue,
            let format = record.value(fieldID: 101, name: "file_format").stringValue,
            let recordCount = record.value(fieldID: 103, name: "record_count").integer,
            let size = record.value(fieldID: 104, name: "file_size_in_bytes").integer
        else { throw corrupt(index, "lacks file_path, file_format, record_count or file_size_in_bytes") }
        return DataFile(
            content: content, filePath: path, fileFormat: format.uppercased(), specID: manifest.partitionSpecID,
            partition: try partition(record.value(fieldID: 102, name: "partition"), index: index),
            recordCount: recordCount, fileSizeInBytes: size,
            columnSizes: try counts(record.value(fieldID: 108, name: "column_sizes"), index: index),
            valueCounts: try counts(record.value(fieldID: 109, name: "value_counts"), index: index),
            nullValueCounts: try counts(record.value(fieldID: 110, name: "null_value_counts"), index: index),
            nanValueCounts: try counts(record.value(fieldID: 137, name: "nan_value_counts"), index: index),
            lowerBounds: try bounds(record.value(fieldID: 125, name: "lower_bounds"), index: index),
            upperBounds: try bounds(record.value(fieldID: 128, name: "upper_bounds"), index: index),
            splitOffsets: (record.value(fieldID: 132, name: "split_offsets").arrayValue ?? []).compactMap(\.integer),
            equalityIDs: (record.value(fieldID: 135, name: "equality_ids").arrayValue ?? []).compactMap {
                $0.integer.map { Int($0) }
            },
            sortOrderID: record.value(fieldID: 140, name: "sort_order_id").integer.map { Int($0) })
    }

    private func partition(_ value: AvroValue, index: Int) throws -> [Value] {
        if partitionFields.isEmpty { return [] }
        guard let record = value.recordValue else { throw corrupt(index, "has no partition tuple") }
        return try partitionFields.enumerated().map { position, field in
            var raw = record.value(fieldID: field.fieldID, name: field.name)
            if raw.isNull, record.schema.index(ofFieldID: field.fieldID) == nil,
                record.schema.index(ofField: field.name) == nil, position < record.values.count
            {
                raw = record.values[position]
            }
            guard let type = partitionTypes[position] else { return .null }
            guard let converted = SingleValueSerialization.value(raw, as: type) else {
                throw corrupt(index, "has partition value for \(field.name) that is not a \(type)")
            }
            return converted
        }
    }

    /// Pairs of an `int` key and a `long` count, written as an Avro array of key/value records
    /// (Iceberg's encoding of non-string-keyed maps) or, by some writers, as an Avro map.
    private func counts(_ value: AvroValue, index: Int) throws -> [Int: Int64] {
        var result: [Int: Int64] = [:]
        for (key, entry) in try pairs(value, index: index) {
            guard let count = entry.integer else { throw corrupt(index, "has a non-integer count") }
            result[key] = count
        }
        return result
    }

    private func bounds(_ value: AvroValue, index: Int) throws -> [Int: [UInt8]] {
        var result: [Int: [UInt8]] = [:]
        for (key, entry) in try pairs(value, index: index) {
            guard let bytes = entry.byteArray else { throw corrupt(index, "has a bound that is not bytes") }
            result[key] = bytes
        }
        return result
    }

    private func pairs(_ value: AvroValue, index: Int) throws -> [(Int, AvroValue)] {
        switch value {
        case .null: return []
        case .map(let entries):
            return try entries.map { key, entry in
                guard let id = Int(key) else { throw corrupt(index, "has a map key \"\(key)\" that is not a field id") }
                return (id, entry)
            }
        case .array(let items):
            return try items.map { item in
                guard let record = item.recordValue, let key = record["key"].integer else {
                    throw corrupt(index, "has a malformed key/value pair")
                }
                return (Int(key), record["value"])
            }
        default:
            throw corrupt(index, "has a metrics map of the wrong type")
        }
    }
}
