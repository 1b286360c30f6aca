import Engine
import Testing

@testable import Lakehouse

/// Manifests written by `ManifestWriter` read back through `ManifestReader` as the entries that
/// went in, after the reader's inheritance rules.
@Suite struct ManifestWriterTests {
    typealias Fixtures = ManifestFixtures

    private func manifest(spec: PartitionSpec, sequenceNumber: Int64, content: ManifestFile.Content = .data)
        -> ManifestFile
    {
        ManifestFile(
            path: "s3://bucket/warehouse/t/metadata/m0.avro", length: 0, partitionSpecID: spec.specID,
            content: content, sequenceNumber: sequenceNumber, minSequenceNumber: sequenceNumber,
            addedSnapshotID: 77)
    }

    private func read(_ bytes: [UInt8], _ manifest: ManifestFile, spec: PartitionSpec) throws -> [ManifestEntry] {
        try ManifestReader.read(
            bytes, manifest: manifest, partitionFields: spec.fields,
            partitionTypes: spec.fields.map { field in
                Fixtures.schema.field(id: field.sourceID).map { field.transform.resultType(source: $0.type) }
            })
    }

    @Test(arguments: [Fixtures.spec, Fixtures.wideSpec, Fixtures.unpartitioned])
    func v2EntriesRoundTrip(spec: PartitionSpec) throws {
        let unassigned = ManifestFile.unassignedSequenceNumber
        let written = [
            ManifestEntry(
                status: .added, snapshotID: 77, sequenceNumber: unassigned, fileSequenceNumber: unassigned,
                dataFile: Fixtures.dataFile(0, spec: spec)),
            ManifestEntry(
                status: .existing, snapshotID: 70, sequenceNumber: 4, fileSequenceNumber: 5,
                dataFile: Fixtures.dataFile(1, spec: spec)),
            ManifestEntry(
                status: .deleted, snapshotID: 77, sequenceNumber: 2, fileSequenceNumber: 2,
                dataFile: Fixtures.dataFile(2, spec: spec)),
            ManifestEntry(
                status: .added, snapshotID: 77, sequenceNumber: 9, fileSequenceNumber: 9,
                dataFile: Fixtures.dataFile(3, spec: spec)),
        ]
        let bytes = try ManifestWriter.write(
            entries: written, schema: Fixtures.schema, spec: spec, formatVersion: 2, content: .data)
        var expected = written
        expected[0].sequenceNumber = 9
        expected[0].fileSequenceNumber = 9
        #expect(try read(bytes, manifest(spec: spec, sequenceNumber: 9), spec: spec) == expected)
    }

    @Test(arguments: [Fixtures.spec, Fixtures.unpartitioned])
    func v1EntriesRoundTripWithSequenceNumberZero(spec: PartitionSpec) throws {
        let written = (0..<3).map { index in
            ManifestEntry(
                status: index == 1 ? .existing : .added, snapshotID: 60 + Int64(index), sequenceNumber: 0,
                fileSequenceNumber: 0, dataFile: Fixtures.dataFile(index, spec: spec))
        }
        let bytes = try ManifestWriter.write(
            entries: written, schema: Fixtures.schema, spec: spec, formatVersion: 1, content: .data)
        #expect(try read(bytes, manifest(spec: spec, sequenceNumber: 0), spec: spec) == written)

        let container = try AvroContainerReader(bytes: bytes, location: "memory")
        let dataFile = try #require(container.schema.recordSchema?.fields.last?.type.recordSchema)
        #expect(dataFile.index(ofFieldID: 134) == nil && dataFile.index(ofFieldID: 135) == nil)
        let blockSizes = container.values.compactMap {
            $0.recordValue?.value(fieldID: 2, name: "data_file").recordValue?["block_size_in_bytes"]
        }
        #expect(blockSizes == [AvroValue](repeating: .long(64 * 1024 * 1024), count: 3))
        #expect(container.metadataString("format-version") == "1")
        #expect(container.metadataString("content") == nil)
    }

    @Test func deleteManifestsKeepTheirFileContent() throws {
        let written = [
            ManifestEntry(
                status: .added, snapshotID: 77, sequenceNumber: 12, fileSequenceNumber: 12,
                dataFile: Fixtures.dataFile(0, spec: Fixtures.spec, content: .positionDeletes)),
            ManifestEntry(
                status: .added, snapshotID: 77, sequenceNumber: 12, fileSequenceNumber: 12,
                dataFile: Fixtures.dataFile(1, spec: Fixtures.spec, content: .equalityDeletes)),
        ]
        let bytes = try ManifestWriter.write(
            entries: written, schema: Fixtures.schema, spec: Fixtures.spec, formatVersion: 2, content: .deletes)
        let read = try read(
            bytes, manifest(spec: Fixtures.spec, sequenceNumber: 12, content: .deletes), spec: Fixtures.spec)
        #expect(read == written)
        #expect(read[1].dataFile.equalityIDs == [1, 2])
        let container = try AvroContainerReader(bytes: bytes, location: "memory")
        #expect(container.metadataString("content") == "deletes")
    }

    @Test func headerDescribesTheTableAndSpec() throws {
        let bytes = try ManifestWriter.write(
            entries: [], schema: Fixtures.schema, spec: Fixtures.spec, formatVersion: 2, content: .data)
        let container = try AvroContainerReader(bytes: bytes, location: "memory")
        #expect(container.values.isEmpty)
        #expect(container.metadataString("schema-id") == "3")
        #expect(container.metadataString("partition-spec-id") == "2")
        #expect(container.metadataString("format-version") == "2")
        #expect(container.metadataString("content") == "data")
        #expect(container.metadataString("avro.codec") == "deflate")
        let schemaJSON = try JSONObject.parse(try #require(container.metadata["schema"]), location: "schema")
        #expect(try IcebergTypeParser.schema(schemaJSON) == Fixtures.schema)
        let specJSON = Array(#"{"spec-id": 2, "fields": "#.utf8) + (container.metadata["partition-spec"] ?? []) + [0x7D]
        #expect(
            try TableMetadataParser.partitionSpec(try JSONObject.parse(specJSON, location: "spec")) == Fixtures.spec)

        // Field ids let other readers map fields; the partition struct carries the spec's ids and types.
        let entry = try #require(container.schema.recordSchema)
        #expect(entry.fields.map(\.fieldID) == [0, 1, 3, 4, 2])
        let dataFile = try #require(entry.fields[4].type.recordSchema)
        #expect(
            dataFile.fields.map(\.fieldID)
                == [134, 100, 101, 102, 103, 104, 108, 109, 110, 137, 125, 128, 131, 132, 135, 140])
        let partition = try #require(dataFile.fields[3].type.recordSchema)
        #expect(partition.fields.map(\.fieldID) == [1000, 1001, 1002])
        #expect(partition.fields.map(\.name) == ["category", "event_ts_day", "id_bucket"])
        #expect(partition.fields[0].type == .optional(.string(logicalType: nil)))
        #expect(partition.fields[1].type == .optional(.int(logicalType: nil)))
        guard case .union(let branches) = dataFile.fields[6].type,
            case .array(.record(let pair), let logicalType, _) = branches[1], logicalType == "map"
        else { Issue.record("column_sizes is not an optional array of key/value records"); return }
        #expect(pair.name == "k117_v118" && pair.fields.map(\.fieldID) == [117, 118])
    }

    @Test func partitionFieldsGetAvroNamesAndTypesForTheirResultTypes() throws {
        let bytes = try ManifestWriter.write(
            entries: [], schema: Fixtures.schema, spec: Fixtures.wideSpec, formatVersion: 2, content: .data)
        let container = try AvroContainerReader(bytes: bytes, location: "memory")
        let dataFile = try #require(container.schema.recordSchema?.fields.last?.type.recordSchema)
        let partition = try #require(dataFile.fields[3].type.recordSchema)
        #expect(partition.fields[11].name == "event_x20ts_x2Fmonth")
        #expect(partition.fields[12].name == "_2nd_year")
        let types = partition.fields.map { field -> AvroSchema in
            guard case .union(let branches) = field.type else { return .null }
            return branches[1]
        }
        #expect(types[0] == .int(logicalType: "date"))
        #expect(
            types[1]
                == .decimal(.fixed(name: "decimal_9_2_1001", size: 4, logicalType: "decimal"), precision: 9, scale: 2))
        #expect(types[3] == .fixed(name: "uuid_fixed_1003", size: 16, logicalType: "uuid"))
        #expect(types[6] == .bytes(logicalType: nil))
        #expect(types[7] == .fixed(name: "fixed_4_1007", size: 4, logicalType: nil))
        #expect(types[8] == .long(logicalType: "timestamp-nanos", adjustToUTC: false))
        #expect(types[10] == .long(logicalType: "time-micros"))
        #expect(types[14] == .long(logicalType: "timestamp-micros", adjustToUTC: true))
        #expect(types[17] == .long(logicalType: nil))
    }

    @Test func entriesThatDoNotFitAreRefused() throws {
        func write(_ entry: ManifestEntry, formatVersion: Int = 2, content: ManifestFile.Content = .data) throws {
            _ = try ManifestWriter.write(
                entries: [entry], schema: Fixtures.schema, spec: Fixtures.spec, formatVersion: formatVersion,
                content: content)
        }
        let file = Fixtures.dataFile(0, spec: Fixtures.spec)
        let path = "entry 0 (\"\(file.filePath)\")"
        let unassigned = ManifestFile.unassignedSequenceNumber
        #expect(
            throws: LakehouseError.cannotWrite(
                "a manifest", "\(path) is existing but has no sequence number; only added entries may inherit one")
        ) {
            try write(
                ManifestEntry(
                    status: .existing, snapshotID: 1, sequenceNumber: unassigned, fileSequenceNumber: 3, dataFile: file)
            )
        }
        var deletes = Fixtures.dataFile(0, spec: Fixtures.spec, content: .positionDeletes)
        #expect(
            throws: LakehouseError.cannotWrite(
                "a manifest", "\(path) holds positionDeletes content, which does not belong in a data manifest")
        ) {
            try write(
                ManifestEntry(
                    status: .added, snapshotID: 1, sequenceNumber: 1, fileSequenceNumber: 1, dataFile: deletes))
        }
        deletes.content = .data
        deletes.partition[1] = .text("monday")
        #expect(
            throws: LakehouseError.cannotWrite(
                "a manifest",
                "\(path) has partition value bytes([109, 111, 110, 100, 97, 121]) for \"event_ts_day\", which is not a int"
            )
        ) {
            try write(
                ManifestEntry(
                    status: .added, snapshotID: 1, sequenceNumber: 1, fileSequenceNumber: 1, dataFile: deletes))
        }
        deletes.partition.removeLast()
        #expect(
            throws: LakehouseError.cannotWrite("a manifest", "\(path) has 2 partition values, spec 2 has 3 fields")
        ) {
            try write(
                ManifestEntry(
                    status: .added, snapshotID: 1, sequenceNumber: 1, fileSequenceNumber: 1, dataFile: deletes))
        }
        #expect(throws: LakehouseError.cannotWrite("a manifest", "format version 1 has no delete manifests")) {
            try write(
                ManifestEntry(status: .added, snapshotID: 1, sequenceNumber: 0, fileSequenceNumber: 0, dataFile: file),
                formatVersion: 1, content: .deletes)
        }
        let error = #expect(throws: LakehouseError.self) {
            try write(
                ManifestEntry(status: .added, snapshotID: 1, sequenceNumber: 0, fileSequenceNumber: 0, dataFile: file),
                formatVersion: 3)
        }
        #expect(error?.sqlState == .featureNotSupported)
    }
}
