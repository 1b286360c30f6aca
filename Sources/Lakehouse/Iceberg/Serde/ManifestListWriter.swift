/// Writes a snapshot's manifest list: an Avro file of `manifest_file` records (spec "Manifest
/// Lists"), the inverse of `ManifestListReader`.
///
/// In v2, a manifest whose `sequenceNumber` or `minSequenceNumber` is
/// `ManifestFile.unassignedSequenceNumber` gets the list's `sequenceNumber`, which is how a
/// manifest written before its commit's number was known joins that commit; only manifests added
/// by this snapshot may do so. Partition summaries are written as an array, empty when the spec
/// has no fields.
public enum ManifestListWriter {
    /// A manifest list (Avro) for a snapshot. Metadata keys: "snapshot-id", "parent-snapshot-id"
    /// (when present), "sequence-number" (v2), "format-version".
    ///
    /// Throws `22000` naming the manifest when one does not fit: a delete manifest in v1, a v2
    /// manifest without file and row counts, or an unassigned sequence number on a manifest
    /// another snapshot added.
    public static func write(
        manifests: [ManifestFile], snapshotID: Int64, parentSnapshotID: Int64?, sequenceNumber: Int64,
        formatVersion: Int
    ) throws -> [UInt8] {
        guard formatVersion == 1 || formatVersion == 2 else {
            throw LakehouseError.unsupported(
                "writing manifest lists of format version \(formatVersion) is not supported")
        }
        let encoder = ManifestRecordEncoder(
            formatVersion: formatVersion, snapshotID: snapshotID, sequenceNumber: sequenceNumber,
            schema: ManifestFileSchema(formatVersion: formatVersion))
        var metadata = ["snapshot-id": String(snapshotID), "format-version": String(formatVersion)]
        if let parentSnapshotID { metadata["parent-snapshot-id"] = String(parentSnapshotID) }
        if formatVersion >= 2 { metadata["sequence-number"] = String(sequenceNumber) }
        var writer = AvroContainerWriter(schema: .record(encoder.schema.manifest), metadata: metadata)
        for manifest in manifests {
            try writer.append(try encoder.record(manifest))
        }
        return try writer.finish()
    }
}

/// Turns one `ManifestFile` into its `manifest_file` record.
private struct ManifestRecordEncoder {
    let formatVersion: Int
    let snapshotID: Int64
    let sequenceNumber: Int64
    let schema: ManifestFileSchema

    /// Why a manifest does not fit the list, completed into a `LakehouseError` naming it.
    private struct Misfit: Error {
        let text: String
        init(_ text: String) { self.text = text }
    }

    func record(_ manifest: ManifestFile) throws -> AvroValue {
        do {
            return try encode(manifest)
        } catch let misfit as Misfit {
            throw LakehouseError.cannotWrite("a manifest list", "manifest \"\(manifest.path)\" \(misfit.text)")
        }
    }

    private func encode(_ manifest: ManifestFile) throws -> AvroValue {
        if formatVersion == 1, manifest.content != .data {
            throw Misfit("tracks delete files, which format version 1 does not have")
        }
        let summaries = manifest.partitions.map { summary in
            AvroValue.record(
                AvroRecord(
                    schema: schema.summary,
                    valuesByName: [
                        "contains_null": .boolean(summary.containsNull),
                        "contains_nan": summary.containsNaN.map { .boolean($0) } ?? .null,
                        "lower_bound": summary.lowerBound.map { .bytes($0) } ?? .null,
                        "upper_bound": summary.upperBound.map { .bytes($0) } ?? .null,
                    ]))
        }
        let record = AvroRecord(
            schema: schema.manifest,
            valuesByName: [
                "manifest_path": .string(manifest.path),
                "manifest_length": .long(manifest.length),
                "partition_spec_id": try int(manifest.partitionSpecID, "partition spec id"),
                "content": .int(Int32(manifest.content.rawValue)),
                "sequence_number": .long(try assigned(manifest.sequenceNumber, addedBy: manifest.addedSnapshotID)),
                "min_sequence_number": .long(
                    try assigned(manifest.minSequenceNumber, addedBy: manifest.addedSnapshotID)),
                "added_snapshot_id": .long(manifest.addedSnapshotID),
                "added_files_count": try fileCount(manifest.addedFilesCount, "added_files_count"),
                "existing_files_count": try fileCount(manifest.existingFilesCount, "existing_files_count"),
                "deleted_files_count": try fileCount(manifest.deletedFilesCount, "deleted_files_count"),
                "added_rows_count": try rowCount(manifest.addedRowsCount, "added_rows_count"),
                "existing_rows_count": try rowCount(manifest.existingRowsCount, "existing_rows_count"),
                "deleted_rows_count": try rowCount(manifest.deletedRowsCount, "deleted_rows_count"),
                "partitions": .array(summaries),
            ])
        return .record(record)
    }

    private func assigned(_ number: Int64, addedBy addedSnapshotID: Int64) throws -> Int64 {
        guard number == ManifestFile.unassignedSequenceNumber else { return number }
        guard addedSnapshotID == snapshotID else {
            throw Misfit("has no sequence number but was added by snapshot \(addedSnapshotID), not \(snapshotID)")
        }
        return sequenceNumber
    }

    private func fileCount(_ count: Int?, _ name: String) throws -> AvroValue {
        guard let count else { return try missing(name) }
        return try int(count, name)
    }

    private func rowCount(_ count: Int64?, _ name: String) throws -> AvroValue {
        guard let count else { return try missing(name) }
        return .long(count)
    }

    /// Null for a count v1 leaves out; v2 requires every count.
    private func missing(_ name: String) throws -> AvroValue {
        guard formatVersion == 1 else { throw Misfit("has no \(name), which format version 2 requires") }
        return .null
    }

    private func int(_ number: Int, _ name: String) throws -> AvroValue {
        guard let narrow = Int32(exactly: number) else { throw Misfit("has \(name) \(number), beyond an Avro int") }
        return .int(narrow)
    }
}
