import Engine
import Foundation
import Testing

@testable import Lakehouse

/// PyIceberg, the oracle, reads a v2 manifest list and manifest written by Weir and reports what
/// they hold; every reported field must be what Weir wrote. Fails (never skips) when python3 or
/// pyiceberg is missing.
@Suite struct ManifestPyIcebergTests {
    /// What PyIceberg reports for one manifest of the list and its entries.
    struct ReportedManifest: Decodable, Equatable {
        let path: String
        let length: Int64
        let specID: Int
        let content: Int
        let sequenceNumber: Int64
        let minSequenceNumber: Int64
        let addedSnapshotID: Int64
        let counts: [Int64]
        let partitions: [ReportedSummary]
        let entries: [ReportedEntry]
    }

    struct ReportedSummary: Decodable, Equatable {
        let containsNull: Bool
        let containsNaN: Bool?
        let lowerBound: String?
        let upperBound: String?
    }

    struct ReportedEntry: Decodable, Equatable {
        let status: Int
        let snapshotID: Int64
        let sequenceNumber: Int64
        let fileSequenceNumber: Int64
        let content: Int
        let filePath: String
        let fileFormat: String
        let partition: [String?]
        let recordCount: Int64
        let fileSizeInBytes: Int64
        let columnSizes: [String: Int64]
        let valueCounts: [String: Int64]
        let nullValueCounts: [String: Int64]
        let nanValueCounts: [String: Int64]
        let lowerBounds: [String: String]
        let upperBounds: [String: String]
        let splitOffsets: [Int64]
        let equalityIDs: [Int]
        let sortOrderID: Int?
    }

    static let script = """
        import json, sys
        from pyiceberg.io.pyarrow import PyArrowFileIO
        from pyiceberg.manifest import read_manifest_list

        def text(value):
            return None if value is None else value.hex() if isinstance(value, bytes) else str(value)

        def metrics(mapping, value=lambda v: v):
            return {str(key): value(item) for key, item in (mapping or {}).items()}

        io = PyArrowFileIO()
        report = []
        for manifest in read_manifest_list(io.new_input(sys.argv[1])):
            entries = []
            for entry in manifest.fetch_manifest_entry(io, discard_deleted=False):
                file = entry.data_file
                entries.append({
                    "status": int(entry.status), "snapshotID": entry.snapshot_id,
                    "sequenceNumber": entry.sequence_number, "fileSequenceNumber": entry.file_sequence_number,
                    "content": int(file.content), "filePath": file.file_path, "fileFormat": str(file.file_format.value),
                    "partition": [text(value) for value in file.partition],
                    "recordCount": file.record_count, "fileSizeInBytes": file.file_size_in_bytes,
                    "columnSizes": metrics(file.column_sizes), "valueCounts": metrics(file.value_counts),
                    "nullValueCounts": metrics(file.null_value_counts), "nanValueCounts": metrics(file.nan_value_counts),
                    "lowerBounds": metrics(file.lower_bounds, bytes.hex), "upperBounds": metrics(file.upper_bounds, bytes.hex),
                    "splitOffsets": list(file.split_offsets or []), "equalityIDs": list(file.equality_ids or []),
                    "sortOrderID": file.sort_order_id,
                })
            report.append({
                "path": manifest.manifest_path, "length": manifest.manifest_length,
                "specID": manifest.partition_spec_id, "content": int(manifest.content),
                "sequenceNumber": manifest.sequence_number, "minSequenceNumber": manifest.min_sequence_number,
                "addedSnapshotID": manifest.added_snapshot_id,
                "counts": [manifest.added_files_count, manifest.existing_files_count, manifest.deleted_files_count,
                           manifest.added_rows_count, manifest.existing_rows_count, manifest.deleted_rows_count],
                "partitions": [{
                    "containsNull": summary.contains_null, "containsNaN": summary.contains_nan,
                    "lowerBound": None if summary.lower_bound is None else summary.lower_bound.hex(),
                    "upperBound": None if summary.upper_bound is None else summary.upper_bound.hex(),
                } for summary in (manifest.partitions or [])],
                "entries": entries,
            })
        print(json.dumps(report))
        """

    /// Runs the script on `manifestList` with `$PYTHON` (default python3); its stderr becomes the error.
    private func pyIcebergReport(manifestList: String) throws -> [ReportedManifest] {
        let run = try PythonRun.run(["-c", Self.script, manifestList])
        let report = run.output
        guard run.succeeded else {
            throw LakehouseError(
                .systemError, "PyIceberg could not read the manifest list (is pyiceberg installed?): \(run.errors)")
        }
        return try JSONDecoder().decode([ReportedManifest].self, from: report)
    }

    /// Writes `entries` as a v2 manifest and a manifest list for snapshot 31 (sequence number 5)
    /// into a new directory; returns the list's path, the manifest's and its length.
    private func writeSnapshot(
        _ entries: [ManifestEntry], spec: PartitionSpec, in directory: URL
    ) throws -> (list: String, manifest: String, length: Int64) {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let manifestBytes = try ManifestWriter.write(
            entries: entries, schema: ManifestFixtures.schema, spec: spec, formatVersion: 2, content: .data)
        let manifestPath = directory.appendingPathComponent("m0.avro").path
        try Data(manifestBytes).write(to: URL(fileURLWithPath: manifestPath))
        let manifest = ManifestFile(
            path: manifestPath, length: Int64(manifestBytes.count), partitionSpecID: spec.specID, content: .data,
            sequenceNumber: ManifestFile.unassignedSequenceNumber,
            minSequenceNumber: ManifestFile.unassignedSequenceNumber, addedSnapshotID: 31, addedFilesCount: 1,
            existingFilesCount: 1, deletedFilesCount: 1, addedRowsCount: 1000, existingRowsCount: 1001,
            deletedRowsCount: 1002, partitions: ManifestListWriterTests.summaries)
        let listPath = directory.appendingPathComponent("snap-31.avro").path
        let listBytes = try ManifestListWriter.write(
            manifests: [manifest], snapshotID: 31, parentSnapshotID: 30, sequenceNumber: 5, formatVersion: 2)
        try Data(listBytes).write(to: URL(fileURLWithPath: listPath))
        return (listPath, manifestPath, Int64(manifestBytes.count))
    }

    private func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("weir-manifests-\(UUID().uuidString)")
    }

    @Test func pyIcebergReadsWhatWeirWrote() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let spec = ManifestFixtures.spec
        let entries = [
            ManifestEntry(
                status: .added, snapshotID: 31, sequenceNumber: ManifestFile.unassignedSequenceNumber,
                fileSequenceNumber: ManifestFile.unassignedSequenceNumber,
                dataFile: ManifestFixtures.dataFile(0, spec: spec)),
            ManifestEntry(
                status: .existing, snapshotID: 30, sequenceNumber: 3, fileSequenceNumber: 4,
                dataFile: ManifestFixtures.dataFile(1, spec: spec)),
            ManifestEntry(
                status: .deleted, snapshotID: 31, sequenceNumber: 2, fileSequenceNumber: 2,
                dataFile: ManifestFixtures.dataFile(2, spec: spec)),
        ]
        let (listPath, manifestPath, manifestLength) = try writeSnapshot(entries, spec: spec, in: directory)

        let reported = try pyIcebergReport(manifestList: listPath)
        try #require(reported.count == 1)
        #expect(reported[0].path == manifestPath)
        #expect(reported[0].length == manifestLength)
        #expect(reported[0].specID == 2 && reported[0].content == 0 && reported[0].addedSnapshotID == 31)
        #expect(reported[0].sequenceNumber == 5 && reported[0].minSequenceNumber == 5)
        #expect(reported[0].counts == [1, 1, 1, 1000, 1001, 1002])
        #expect(
            reported[0].partitions
                == ManifestListWriterTests.summaries.map { summary in
                    ReportedSummary(
                        containsNull: summary.containsNull, containsNaN: summary.containsNaN,
                        lowerBound: summary.lowerBound.map(hex), upperBound: summary.upperBound.map(hex))
                })
        // The unassigned sequence numbers of the added entry inherit the list's 5.
        let inherited: [(Int64, Int64)] = [(5, 5), (3, 4), (2, 2)]
        #expect(reported[0].entries.count == entries.count)
        for (index, (entry, actual)) in zip(entries, reported[0].entries).enumerated() {
            let file = entry.dataFile
            let expected = ReportedEntry(
                status: entry.status.rawValue, snapshotID: entry.snapshotID, sequenceNumber: inherited[index].0,
                fileSequenceNumber: inherited[index].1, content: file.content.rawValue, filePath: file.filePath,
                fileFormat: file.fileFormat, partition: file.partition.map(partitionText),
                recordCount: file.recordCount, fileSizeInBytes: file.fileSizeInBytes,
                columnSizes: keyed(file.columnSizes), valueCounts: keyed(file.valueCounts),
                nullValueCounts: keyed(file.nullValueCounts), nanValueCounts: keyed(file.nanValueCounts),
                lowerBounds: keyed(file.lowerBounds.mapValues(hex)),
                upperBounds: keyed(file.upperBounds.mapValues(hex)),
                splitOffsets: file.splitOffsets, equalityIDs: file.equalityIDs, sortOrderID: file.sortOrderID)
            #expect(actual == expected, "entry \(index)")
        }
        // Spot checks against hand-written values, so the comparison above cannot pass vacuously.
        #expect(reported[0].entries[0].partition == ["cat-0", "19787", "0"])
        #expect(reported[0].entries[2].partition == [nil, "19789", "2"])
        #expect(reported[0].entries[0].upperBounds == ["1": "e803000000000000", "2": "7a7a30"])
    }

    @Test func pyIcebergReadsEveryPartitionType() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // PyIceberg 0.12 does not read Avro's timestamp-nanos (a format v3 type), so that field is left out.
        let nanosPosition = 8
        var spec = ManifestFixtures.wideSpec
        spec.fields.remove(at: nanosPosition)
        let entries = (0..<2).map { index in
            var file = ManifestFixtures.dataFile(index, spec: ManifestFixtures.wideSpec)
            file.partition.remove(at: nanosPosition)
            return ManifestEntry(
                status: .added, snapshotID: 31, sequenceNumber: 5, fileSequenceNumber: 5, dataFile: file)
        }
        let (listPath, _, _) = try writeSnapshot(entries, spec: spec, in: directory)

        let reported = try #require(try pyIcebergReport(manifestList: listPath).first)
        // As Python prints PyIceberg's values: date and time units as ints, decimals with their scale,
        // bytes in hex, the timestamp in microseconds.
        #expect(
            reported.entries.map(\.partition) == [
                [
                    "-3", "-123.45", "0.00", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "True", "-0.0", "00ff00",
                    "01020300", "1.5", "86399999999", "650", "54", "474894", "1709618828000009", "ca", "-2147483648",
                    nil,
                ],
                [
                    "-2", "-246.90", "1.00", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f1", "False", "-0.25", "00ff01",
                    "01020301", "1.5", "86399999999", "650", "54", "474894", nil, "ca", "-2147483648", nil,
                ],
            ])
    }

    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    private func keyed<Metric>(_ map: [Int: Metric]) -> [String: Metric] {
        Dictionary(uniqueKeysWithValues: map.map { (String($0.key), $0.value) })
    }

    /// A partition value as Python's `str` prints it: text as is, integers in decimal.
    private func partitionText(_ value: Value) -> String? {
        switch value {
        case .null: return nil
        case .bytes(let utf8): return String(decoding: utf8, as: UTF8.self)
        case .int32(let number): return String(number)
        case .int64(let number): return String(number)
        default: return "\(value)"
        }
    }
}
