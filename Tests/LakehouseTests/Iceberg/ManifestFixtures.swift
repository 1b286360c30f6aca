import Engine

@testable import Lakehouse

/// A table schema, partition specs and manifest entries for the manifest writer tests, chosen so
/// every partition value type and every `data_file` field is exercised.
enum ManifestFixtures {
    static let schema = IcebergSchema(
        schemaID: 3,
        fields: [
            NestedField(id: 1, name: "id", type: .long, required: true),
            NestedField(id: 2, name: "category", type: .string, required: false),
            NestedField(id: 3, name: "event_ts", type: .timestamptz, required: false, doc: "when it happened"),
            NestedField(id: 4, name: "event_date", type: .date, required: false),
            NestedField(id: 5, name: "amount", type: .decimal(precision: 9, scale: 2), required: false),
            NestedField(id: 6, name: "key", type: .uuid, required: false),
            NestedField(id: 7, name: "flag", type: .boolean, required: false),
            NestedField(id: 8, name: "score", type: .double, required: false),
            NestedField(id: 9, name: "raw", type: .binary, required: false),
            NestedField(id: 10, name: "code", type: .fixed(length: 4), required: false),
            NestedField(id: 11, name: "precise_ts", type: .timestampNanos, required: false),
            NestedField(id: 12, name: "weight", type: .float, required: false),
            NestedField(id: 13, name: "local_time", type: .time, required: false),
            NestedField(id: 14, name: "small", type: .int, required: false),
            NestedField(
                id: 15, name: "tags", type: .list(elementID: 16, element: .string, elementRequired: true),
                required: false),
        ],
        identifierFieldIDs: [1])

    /// Identity on a string, day on a timestamp, bucket on a long: the common layout.
    static let spec = PartitionSpec(
        specID: 2,
        fields: [
            PartitionField(sourceID: 2, fieldID: 1000, name: "category", transform: .identity),
            PartitionField(sourceID: 3, fieldID: 1001, name: "event_ts_day", transform: .day),
            PartitionField(sourceID: 1, fieldID: 1002, name: "id_bucket", transform: .bucket(16)),
        ])

    static let unpartitioned = PartitionSpec(specID: 0, fields: [])

    /// A field of every primitive partition result type, including names Avro must escape.
    static let wideSpec = PartitionSpec(
        specID: 5,
        fields: [
            PartitionField(sourceID: 4, fieldID: 1000, name: "event_date", transform: .identity),
            PartitionField(sourceID: 5, fieldID: 1001, name: "amount", transform: .identity),
            PartitionField(sourceID: 5, fieldID: 1002, name: "amount_trunc", transform: .truncate(100)),
            PartitionField(sourceID: 6, fieldID: 1003, name: "key", transform: .identity),
            PartitionField(sourceID: 7, fieldID: 1004, name: "flag", transform: .identity),
            PartitionField(sourceID: 8, fieldID: 1005, name: "score", transform: .identity),
            PartitionField(sourceID: 9, fieldID: 1006, name: "raw", transform: .identity),
            PartitionField(sourceID: 10, fieldID: 1007, name: "code", transform: .identity),
            PartitionField(sourceID: 11, fieldID: 1008, name: "precise_ts", transform: .identity),
            PartitionField(sourceID: 12, fieldID: 1009, name: "weight", transform: .identity),
            PartitionField(sourceID: 13, fieldID: 1010, name: "local_time", transform: .identity),
            PartitionField(sourceID: 3, fieldID: 1011, name: "event ts/month", transform: .month),
            PartitionField(sourceID: 3, fieldID: 1012, name: "2nd_year", transform: .year),
            PartitionField(sourceID: 3, fieldID: 1013, name: "event_ts_hour", transform: .hour),
            PartitionField(sourceID: 3, fieldID: 1014, name: "event_ts", transform: .identity),
            PartitionField(sourceID: 2, fieldID: 1015, name: "category_trunc", transform: .truncate(2)),
            PartitionField(sourceID: 14, fieldID: 1016, name: "small", transform: .identity),
            PartitionField(sourceID: 1, fieldID: 1017, name: "dropped", transform: .void),
        ])

    /// Micros of 2024-03-05T06:07:08.000009Z, which is day 19787 since the epoch.
    static let eventMicros: Int64 = 1_709_618_828_000_009

    static func dataFile(_ index: Int, spec: PartitionSpec, content: DataFile.Content = .data) -> DataFile {
        let partition: [Value]
        switch spec.specID {
        case Self.spec.specID:
            partition = [
                index == 2 ? .null : .text("cat-\(index)"), .int32(19_787 + Int32(index)), .int32(Int32(index % 16)),
            ]
        case wideSpec.specID:
            partition = [
                .int32(-3 + Int32(index)), .decimal(-12_345 * Int128(index + 1)), .decimal(100 * Int128(index)),
                .text("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f\(index)"), .bool(index % 2 == 0),
                .float64(-0.25 * Double(index)),
                .bytes([0, 255, UInt8(index)]), .bytes([1, 2, 3, UInt8(index)]), .int64(eventMicros + Int64(index)),
                .float32(1.5), .int64(86_399_999_999), .int32(650), .int32(54), .int32(474_894),
                index == 1 ? .null : .int64(eventMicros), .text("ca"), .int32(Int32.min), .null,
            ]
        default:
            partition = []
        }
        return DataFile(
            content: content, filePath: "s3://bucket/warehouse/t/data/file-\(index).parquet", fileFormat: "PARQUET",
            specID: spec.specID, partition: partition, recordCount: 1000 + Int64(index),
            fileSizeInBytes: 65_536 + Int64(index),
            columnSizes: index == 3 ? [:] : [1: 400, 2: 300 + Int64(index), 3: 200],
            valueCounts: [1: 1000, 2: 1000, 3: 1000], nullValueCounts: [2: Int64(index), 3: 0],
            nanValueCounts: index == 0 ? [8: 2] : [:],
            lowerBounds: [1: [1, 0, 0, 0, 0, 0, 0, 0], 2: Array("a".utf8)],
            upperBounds: [1: [0xE8, 0x03, 0, 0, 0, 0, 0, 0], 2: Array("zz\(index)".utf8)],
            splitOffsets: index == 1 ? [] : [4, 33_000],
            equalityIDs: content == .equalityDeletes ? [1, 2] : [],
            sortOrderID: index == 1 ? nil : 0)
    }
}
