import Engine
import Testing

@testable import Lakehouse

/// The spec's delete-matching rules, on hand-built entries (PyIceberg writes copy-on-write deletes).
@Suite struct DeleteFileIndexTests {
    private func entry(
        _ path: String, _ content: DataFile.Content, sequence: Int64, spec: Int = 1, partition: [Value] = [.text("eu")]
    )
        -> ManifestEntry
    {
        let file = DataFile(
            content: content, filePath: path, fileFormat: "PARQUET", specID: spec, partition: partition, recordCount: 1,
            fileSizeInBytes: 1)
        return ManifestEntry(
            status: .added, snapshotID: 1, sequenceNumber: sequence, fileSequenceNumber: sequence, dataFile: file)
    }

    @Test func positionDeletesNeedSamePartitionAndNoOlderSequence() {
        let specs = [
            0: PartitionSpec(specID: 0, fields: []),
            1: PartitionSpec(
                specID: 1,
                fields: [
                    PartitionField(sourceID: 2, fieldID: 1000, name: "region", transform: .identity)
                ]),
        ]
        let deletes = [
            entry("pos-same-seq", .positionDeletes, sequence: 5),
            entry("pos-older", .positionDeletes, sequence: 4),
            entry("pos-other-partition", .positionDeletes, sequence: 9, partition: [.text("us")]),
            entry("eq-same-seq", .equalityDeletes, sequence: 5),
            entry("eq-newer", .equalityDeletes, sequence: 6),
            entry("eq-global", .equalityDeletes, sequence: 7, spec: 0, partition: []),
        ]
        let index = DeleteFileIndex(deletes: deletes, specs: specs)
        let found = index.deletes(for: entry("data", .data, sequence: 5))
        #expect(found.position.map(\.filePath) == ["pos-same-seq"])
        #expect(Set(found.equality.map(\.filePath)) == ["eq-newer", "eq-global"])
    }

    @Test func monthAndDayTransformsFollowTheCalendar() {
        // 2024-02-29 is day 19782; months since 1970-01: 54 years * 12 + 1.
        #expect(PartitionTransform.month.apply(.int32(19782), source: .date) == .int32(649))
        #expect(PartitionTransform.year.apply(.int32(19782), source: .date) == .int32(54))
        #expect(PartitionTransform.day.apply(.int64(-1), source: .timestamp) == .int32(-1))
        #expect(PartitionTransform.month.apply(.int32(-1), source: .date) == .int32(-1))
        #expect(PartitionTransform.truncate(10).apply(.int64(-1), source: .long) == .int64(-10))
        #expect(PartitionTransform.truncate(2).apply(.text("héllo"), source: .string) == .text("hé"))
    }
}
