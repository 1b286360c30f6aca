import Testing

@testable import Lakehouse

/// Manifest lists written by `ManifestListWriter` read back through `ManifestListReader` as the
/// manifests that went in.
@Suite struct ManifestListWriterTests {
    static let summaries = [
        PartitionFieldSummary(
            containsNull: true, containsNaN: nil, lowerBound: Array("cat-0".utf8), upperBound: Array("cat-3".utf8)),
        PartitionFieldSummary(
            containsNull: false, containsNaN: false, lowerBound: [0x4B, 0x4D, 0, 0], upperBound: nil),
        PartitionFieldSummary(containsNull: false),
    ]

    static func manifest(_ index: Int, content: ManifestFile.Content = .data, sequenceNumber: Int64 = 6)
        -> ManifestFile
    {
        ManifestFile(
            path: "s3://bucket/warehouse/t/metadata/m\(index).avro", length: 4096 + Int64(index),
            partitionSpecID: index == 2 ? 0 : 2, content: content, sequenceNumber: sequenceNumber,
            minSequenceNumber: sequenceNumber - Int64(index), addedSnapshotID: 900 + Int64(index),
            addedFilesCount: index, existingFilesCount: 2 * index, deletedFilesCount: 0,
            addedRowsCount: 1_000_000 * Int64(index), existingRowsCount: 7, deletedRowsCount: Int64(index),
            partitions: index == 2 ? [] : summaries)
    }

    @Test func v2ListsRoundTrip() throws {
        let written = [Self.manifest(0), Self.manifest(1, content: .deletes), Self.manifest(2, sequenceNumber: 3)]
        let bytes = try ManifestListWriter.write(
            manifests: written, snapshotID: 902, parentSnapshotID: 901, sequenceNumber: 6, formatVersion: 2)
        #expect(try ManifestListReader.read(bytes, location: "memory") == written)

        let container = try AvroContainerReader(bytes: bytes, location: "memory")
        #expect(container.metadataString("snapshot-id") == "902")
        #expect(container.metadataString("parent-snapshot-id") == "901")
        #expect(container.metadataString("sequence-number") == "6")
        #expect(container.metadataString("format-version") == "2")
        let record = try #require(container.schema.recordSchema)
        #expect(
            record.fields.map(\.fieldID) == [500, 501, 502, 517, 515, 516, 503, 504, 505, 506, 512, 513, 514, 507, 519])
        #expect(
            record.fields.allSatisfy { field in
                // In v2 everything but the summaries and key metadata is required.
                guard case .union = field.type else { return true }
                return [507, 519].contains(field.fieldID)
            })
        guard case .union(let branches) = record.fields[13].type, case .array(let summary, _, 508) = branches[1] else {
            Issue.record("partitions is not an optional array with element id 508")
            return
        }
        #expect(summary.recordSchema?.fields.map(\.fieldID) == [509, 518, 510, 511])
    }

    @Test func unassignedSequenceNumbersTakeTheSnapshots() throws {
        let unassigned = ManifestFile.unassignedSequenceNumber
        var fresh = Self.manifest(1)
        fresh.addedSnapshotID = 950
        fresh.sequenceNumber = unassigned
        fresh.minSequenceNumber = unassigned
        let bytes = try ManifestListWriter.write(
            manifests: [fresh, Self.manifest(0)], snapshotID: 950, parentSnapshotID: nil, sequenceNumber: 8,
            formatVersion: 2)
        var expected = fresh
        expected.sequenceNumber = 8
        expected.minSequenceNumber = 8
        #expect(try ManifestListReader.read(bytes, location: "memory") == [expected, Self.manifest(0)])
        let container = try AvroContainerReader(bytes: bytes, location: "memory")
        #expect(container.metadata["parent-snapshot-id"] == nil)

        #expect(
            throws: LakehouseError.cannotWrite(
                "a manifest list",
                "manifest \"\(fresh.path)\" has no sequence number but was added by snapshot 950, not 951")
        ) {
            try ManifestListWriter.write(
                manifests: [fresh], snapshotID: 951, parentSnapshotID: 950, sequenceNumber: 9, formatVersion: 2)
        }
    }

    @Test func v1ListsRoundTripWithoutSequenceNumbers() throws {
        var counted = Self.manifest(0, sequenceNumber: 0)
        counted.minSequenceNumber = 0
        let uncounted = ManifestFile(
            path: "s3://bucket/warehouse/t/metadata/old.avro", length: 99, partitionSpecID: 0, content: .data,
            sequenceNumber: 0, minSequenceNumber: 0, addedSnapshotID: 12)
        let bytes = try ManifestListWriter.write(
            manifests: [counted, uncounted], snapshotID: 13, parentSnapshotID: 12, sequenceNumber: 0, formatVersion: 1)
        #expect(try ManifestListReader.read(bytes, location: "memory") == [counted, uncounted])
        let container = try AvroContainerReader(bytes: bytes, location: "memory")
        #expect(container.metadataString("format-version") == "1")
        #expect(container.metadata["sequence-number"] == nil)
        let record = try #require(container.schema.recordSchema)
        #expect(record.index(ofFieldID: 515) == nil && record.index(ofFieldID: 517) == nil)
    }

    @Test func manifestsThatDoNotFitAreRefused() throws {
        let deletes = Self.manifest(1, content: .deletes)
        #expect(
            throws: LakehouseError.cannotWrite(
                "a manifest list",
                "manifest \"\(deletes.path)\" tracks delete files, which format version 1 does not have")
        ) {
            try ManifestListWriter.write(
                manifests: [deletes], snapshotID: 1, parentSnapshotID: nil, sequenceNumber: 0, formatVersion: 1)
        }
        var uncounted = Self.manifest(0)
        uncounted.existingRowsCount = nil
        #expect(
            throws: LakehouseError.cannotWrite(
                "a manifest list",
                "manifest \"\(uncounted.path)\" has no existing_rows_count, which format version 2 requires")
        ) {
            try ManifestListWriter.write(
                manifests: [uncounted], snapshotID: 1, parentSnapshotID: nil, sequenceNumber: 1, formatVersion: 2)
        }
    }
}
