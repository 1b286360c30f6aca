import Engine
import Foundation
import Testing

@testable import Lakehouse

/// The pieces of a commit Weir writes itself: bucket partition values, metadata JSON and
/// single-value bounds.
@Suite struct IcebergWriteTests {
    /// A write over many partitions finishes files early once the open ones pass the budget, and
    /// loses no row doing so.
    @Test func openFilesStayWithinTheirBudget() async throws {
        let schema = IcebergSchema(
            schemaID: 0,
            fields: [
                NestedField(id: 1, name: "id", type: .long, required: true),
                NestedField(id: 2, name: "region", type: .string, required: false),
            ])
        let spec = PartitionSpec(
            specID: 0, fields: [PartitionField(sourceID: 2, fieldID: 1000, name: "region", transform: .identity)])
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "weir-budget-\(UUID().uuidString)"
        ).path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func write(budget: Int) async throws -> [DataFile] {
            let writer = try DataFileWriter(
                schema: schema, spec: spec, tableLocation: "file://" + directory + "/\(budget)", properties: [:],
                store: LocalObjectStore(),
                openFilesBudget: budget)
            for batch in 0..<10 {
                let ids = (0..<2_000).map { Int64(batch * 2_000 + $0) }
                try await writer.write(
                    Batch(
                        columns: [
                            Column(type: .int64, values: ids.map { .int64($0) }),
                            Column(type: .text, values: ids.map { .text("region-\($0 % 20)") }),
                        ], rowCount: ids.count))
            }
            return try await writer.finish()
        }
        let unbounded = try await write(budget: 512 << 20)
        let bounded = try await write(budget: 64 << 10)
        #expect(unbounded.count == 20)
        #expect(bounded.count > 20)
        for files in [unbounded, bounded] {
            #expect(files.reduce(0) { $0 + $1.recordCount } == 20_000)
            var perPartition: [[Value]: Int64] = [:]
            for file in files { perPartition[file.partition, default: 0] += file.recordCount }
            #expect(perPartition.count == 20 && perPartition.values.allSatisfy { $0 == 1_000 })
        }
    }

    /// Rows grouped column by column land in the same partitions, in the same order, as each row's
    /// own partition tuple would put them.
    @Test func partitionGroupsMatchEachRowsOwnTuple() throws {
        let schema = IcebergSchema(
            schemaID: 0,
            fields: [
                NestedField(id: 1, name: "id", type: .long, required: true),
                NestedField(id: 2, name: "region", type: .string, required: false),
                NestedField(id: 3, name: "day", type: .date, required: false),
            ])
        let spec = PartitionSpec(
            specID: 0,
            fields: [
                PartitionField(sourceID: 2, fieldID: 1000, name: "region", transform: .identity),
                PartitionField(sourceID: 1, fieldID: 1001, name: "id_bucket", transform: .bucket(3)),
                PartitionField(sourceID: 3, fieldID: 1002, name: "day_month", transform: .month),
            ])
        let rows: [[Value]] = (0..<500).map { (n: Int64) -> [Value] in
            [
                .int64(n), n % 11 == 0 ? .null : .text(["north", "south", "east"][Int(n % 3)]),
                n % 13 == 0 ? .null : .int32(Int32(19_000 + n * 3)),
            ]
        }
        let batch = Batch(
            columns: schema.fields.indices.map { index in
                Column(type: schema.fields[index].type.dataType!, values: rows.map { $0[index] })
            },
            rowCount: rows.count)
        let writer = try DataFileWriter(
            schema: schema, spec: spec, tableLocation: "file:///unused", properties: [:], store: LocalObjectStore())
        let groups = try writer.partitionGroups(of: batch)

        var expected: [(partition: [Value], rows: [Int32])] = []
        for (index, row) in rows.enumerated() {
            let tuple = [
                PartitionTransform.identity.apply(row[1], source: .string)!,
                PartitionTransform.bucket(3).apply(row[0], source: .long)!,
                PartitionTransform.month.apply(row[2], source: .date)!,
            ]
            if let position = expected.firstIndex(where: { $0.partition == tuple }) {
                expected[position].rows.append(Int32(index))
            } else {
                expected.append((tuple, [Int32(index)]))
            }
        }
        #expect(groups.count == expected.count)
        #expect(groups.map(\.partition) == expected.map(\.partition))
        #expect(groups.map(\.rows) == expected.map(\.rows))
        #expect(groups.count > 20)
    }

    /// The hash values the Iceberg spec lists for its bucket transform ("Appendix B").
    @Test func bucketHashesMatchTheSpec() {
        #expect(PartitionTransform.murmur3x86_32(Array(repeating: 0, count: 0)) == 0)
        func hash(_ value: Value, _ type: IcebergType) -> Int32? {
            // With Int32.max buckets the bucket is the hash made non-negative.
            PartitionTransform.bucket(value, source: type, count: Int(Int32.max))
        }
        #expect(hash(.int32(34), .int) == 2_017_239_379)
        #expect(hash(.int64(34), .long) == 2_017_239_379)
        #expect(
            hash(.decimal(1420), .decimal(precision: 4, scale: 2))
                == Int32(bitPattern: UInt32(bitPattern: -500_754_589) & 0x7fff_ffff))
        #expect(hash(.int32(17486), .date) == Int32(bitPattern: UInt32(bitPattern: -653_330_422) & 0x7fff_ffff))
        #expect(
            hash(.int64(81_068_000_000), .time) == Int32(bitPattern: UInt32(bitPattern: -662_762_989) & 0x7fff_ffff))
        #expect(
            hash(.int64(1_510_871_468_000_000), .timestamp)
                == Int32(bitPattern: UInt32(bitPattern: -2_047_944_441) & 0x7fff_ffff))
        #expect(hash(.bytes(Array("iceberg".utf8)), .string) == 1_210_000_089)
        #expect(hash(.bytes(Array("f79c3e09-677c-4bbd-a479-3f349cb785e7".utf8)), .uuid) == 1_488_055_340)
        #expect(
            hash(.bytes([0, 1, 2, 3]), .binary) == Int32(bitPattern: UInt32(bitPattern: -188_683_207) & 0x7fff_ffff))
        #expect(PartitionTransform.bucket(4).apply(.int64(34), source: .long) == .int32(2_017_239_379 % 4))
        #expect(PartitionTransform.bucket(4).apply(.null, source: .long) == .null)
    }

    @Test func minimalTwosComplement() {
        #expect(PartitionTransform.minimalBigEndian(0) == [0x00])
        #expect(PartitionTransform.minimalBigEndian(127) == [0x7f])
        #expect(PartitionTransform.minimalBigEndian(128) == [0x00, 0x80])
        #expect(PartitionTransform.minimalBigEndian(-1) == [0xff])
        #expect(PartitionTransform.minimalBigEndian(-129) == [0xff, 0x7f])
        #expect(PartitionTransform.minimalBigEndian(1420) == [0x05, 0x8c])
    }

    @Test func singleValuesRoundTrip() {
        let cases: [(Value, IcebergType)] = [
            (.bool(true), .boolean), (.int32(-5), .int), (.int32(19_000), .date), (.int64(-1), .long),
            (.int64(1_700_000_000_000_000), .timestamptz), (.int64(3_600_000_000), .time), (.float32(1.5), .float),
            (.float64(-2.25), .double), (.decimal(-123_456), .decimal(precision: 10, scale: 2)),
            (.bytes(Array("héllo".utf8)), .string), (.bytes([0, 255, 7]), .binary),
            (.bytes(Array("f79c3e09-677c-4bbd-a479-3f349cb785e7".utf8)), .uuid),
        ]
        for (value, type) in cases {
            let bytes = SingleValueSerialization.encode(value, as: type)
            #expect(bytes != nil, "\(type)")
            #expect(bytes.flatMap { SingleValueSerialization.decode($0, as: type) } == value, "\(type)")
        }
        #expect(SingleValueSerialization.encode(.int32(19_000), as: .date) == [0x38, 0x4a, 0, 0])
        #expect(SingleValueSerialization.encode(.bytes(Array("nope".utf8)), as: .uuid) == nil)
    }

    /// Metadata of every fixture PyIceberg wrote reads back the same after Weir writes it out.
    @Test(arguments: ["plain", "partitioned", "evolved", "history"])
    func metadataRoundTrips(table name: String) async throws {
        let fixture = try await PyIcebergFixture.shared.value
        let table = try await fixture.catalog.loadTable(TableIdentifier(namespace: ["fixtures"], name: name))
        let written = try TableMetadataSerializer.serialize(table.metadata)
        #expect(try TableMetadataParser.parse(written, location: "memory:///\(name).metadata.json") == table.metadata)
    }

    @Test func nextMetadataFileNames() {
        let next = TableMetadata.metadataFileName(after: "file:///w/t/metadata/00007-0a1b.metadata.json")
        #expect(next.hasPrefix("00008-") && next.hasSuffix(".metadata.json"))
        #expect(TableMetadata.metadataFileName(after: "").hasPrefix("00000-"))
        #expect(TableMetadata.metadataFileName(after: "file:///w/t/metadata/v3.metadata.json").hasPrefix("00000-"))
    }

    @Test func partitionPathText() {
        #expect(DataFileWriter.partitionText(.int32(19_783), type: .int, transform: .day) == "2024-03-01")
        #expect(DataFileWriter.partitionText(.int32(650), type: .int, transform: .month) == "2024-03")
        #expect(DataFileWriter.partitionText(.int32(-1), type: .int, transform: .month) == "1969-12")
        #expect(DataFileWriter.partitionText(.int32(54), type: .int, transform: .year) == "2024")
        #expect(DataFileWriter.partitionText(.int32(474_792), type: .int, transform: .hour) == "2024-03-01-00")
        #expect(
            DataFileWriter.partitionText(.decimal(-5), type: .decimal(precision: 5, scale: 2), transform: .identity)
                == "-0.05")
        #expect(DataFileWriter.partitionText(.null, type: .string, transform: .identity) == "null")
    }
}

/// Schema evolution keeps field ids and refuses what Iceberg does not allow.
@Suite struct SchemaEvolutionTests {
    let metadata = TableMetadata.newTable(
        schema: IcebergSchema(
            schemaID: 0,
            fields: [
                NestedField(id: 1, name: "id", type: .int, required: true),
                NestedField(id: 2, name: "day", type: .date, required: false),
                NestedField(id: 3, name: "price", type: .decimal(precision: 9, scale: 2), required: false),
            ]),
        spec: PartitionSpec(
            specID: 0, fields: [PartitionField(sourceID: 2, fieldID: 1000, name: "day_month", transform: .month)]),
        location: "file:///w/t", properties: [:])

    @Test func changesMakeOneNewSchema() throws {
        let evolved = try metadata.evolvingSchema([
            .addColumn(name: "note", type: .string), .renameColumn(from: "id", to: "key"),
            .promoteColumn(name: "key", to: .long),
            .promoteColumn(name: "price", to: .decimal(precision: 18, scale: 2)), .makeOptional(name: "key"),
            .dropColumn(name: "note"),
            .addColumn(name: "note2", type: .double),
        ])
        let schema = try #require(evolved.currentSchema)
        #expect(evolved.currentSchemaID == 1 && evolved.schemas.count == 2)
        #expect(schema.fields.map(\.id) == [1, 2, 3, 5])
        #expect(schema.fields.map(\.name) == ["key", "day", "price", "note2"])
        #expect(schema.fields[0].type == .long && !schema.fields[0].required)
        #expect(schema.fields[2].type == .decimal(precision: 18, scale: 2))
        #expect(evolved.lastColumnID == 5)
        #expect(metadata.currentSchema?.fields.map(\.name) == ["id", "day", "price"])
    }

    @Test(arguments: [
        (SchemaChange.promoteColumn(name: "id", to: .string), "42804"),
        (.promoteColumn(name: "price", to: .decimal(precision: 8, scale: 2)), "42804"),
        (.promoteColumn(name: "price", to: .decimal(precision: 12, scale: 3)), "42804"),
        (.dropColumn(name: "day"), "0A000"),
        (.dropColumn(name: "nope"), "42703"),
        (.renameColumn(from: "id", to: "price"), "42701"),
        (.addColumn(name: "id", type: .long), "42701"),
    ])
    func refusals(change: SchemaChange, sqlState: String) {
        let error = #expect(throws: LakehouseError.self) { try metadata.evolvingSchema([change]) }
        #expect(error?.sqlState.code == sqlState)
    }
}
