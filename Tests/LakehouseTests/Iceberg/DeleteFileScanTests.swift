import Engine
import Foundation
import Testing

@testable import Lakehouse

/// Scans of format v2 tables with position and equality delete files: the rows left must be
/// exactly the rows written minus the rows the spec says each delete file removes.
@Suite struct DeleteFileScanTests {
    /// `count` rows starting at id `first`: name `n<id>`, region `eu`/`us`/NULL by id modulo 3.
    private static func rows(_ first: Int64, count: Int64) -> [(Int64, String?, String?)] {
        (first..<(first + count)).map { id in (id, "n\(id)", [0: "eu", 1: "us"][id % 3]) }
    }

    private static func rowGroupRowCounts(_ file: DataFile) async throws -> [Int] {
        try await ParquetFile.open(file.filePath, in: LocalObjectStore()).rowGroupRowCounts
    }

    @Test func positionDeletesAcrossRowGroupsAndTwoDataFiles() async throws {
        let table = try await DeleteFileTable.create("positions")
        defer { table.remove() }
        let first = Self.rows(0, count: 3000)
        let second = Self.rows(10_000, count: 500)
        let firstFile = try await table.dataFile(first, rowGroupBytes: 4096)
        let secondFile = try await table.dataFile(second)
        try await table.commit([firstFile, secondFile])

        let groups = try await Self.rowGroupRowCounts(firstFile)
        #expect(groups.count >= 3, "the first file must span several row groups: \(groups)")
        // Around every row group boundary of the first file, plus its first and last row.
        var firstDeleted: Set<Int64> = [0, 2999]
        var boundary = 0
        for count in groups.dropLast() {
            boundary += count
            firstDeleted.formUnion([Int64(boundary - 1), Int64(boundary), Int64(boundary + 1)])
        }
        let secondDeleted: Set<Int64> = [0, 250, 499]
        // One delete file for both data files, sorted by path then position as the spec asks.
        let listed =
            (firstDeleted.map { (firstFile.filePath, $0) } + secondDeleted.map { (secondFile.filePath, $0) })
            .sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        try await table.commit([try await table.positionDeleteFile(listed)])

        let expected =
            first.enumerated().filter { !firstDeleted.contains(Int64($0.offset)) }.map(\.element)
            + second.enumerated().filter { !secondDeleted.contains(Int64($0.offset)) }.map(\.element)
        #expect(try await table.scan() == tableRows(expected))
        // Only the column the query reads comes back, with the same rows deleted.
        let names = try await table.scan(["name"])
        #expect(names == expected.map { [Value.text($0.1!)] }.sorted { $0.description < $1.description })
    }

    @Test func positionDeleteWriterFilesRemoveTheirRows() async throws {
        let table = try await DeleteFileTable.create("written-deletes")
        defer { table.remove() }
        let first = Self.rows(0, count: 1000)
        let second = Self.rows(5000, count: 10)
        let firstFile = try await table.dataFile(first)
        let secondFile = try await table.dataFile(second)
        try await table.commit([firstFile, secondFile])
        let writer = try PositionDeleteWriter(tableLocation: table.location, properties: [:], store: table.store)
        let deletes = try await writer.write([(secondFile, [0, 9]), (firstFile, [3, 500, 999])])
        // Both data files are unpartitioned, so one delete file lists all five rows, by file then position.
        #expect(deletes.count == 1 && deletes[0].recordCount == 5 && deletes[0].content == .positionDeletes)
        try await table.commit(deletes)
        let expected =
            first.enumerated().filter { ![3, 500, 999].contains($0.offset) }.map(\.element)
            + second.enumerated().filter { ![0, 9].contains($0.offset) }.map(\.element)
        #expect(try await table.scan() == tableRows(expected))
    }

    @Test func overlappingUnsortedPositionDeletesAndWholeRowGroups() async throws {
        let table = try await DeleteFileTable.create("overlapping")
        defer { table.remove() }
        let written = Self.rows(0, count: 2000)
        let file = try await table.dataFile(written, rowGroupBytes: 4096)
        try await table.commit([file])
        let groups = try await Self.rowGroupRowCounts(file)
        #expect(groups.count >= 3, "\(groups)")

        // The whole first row group, listed backwards, and rows of a file the table never had.
        let firstGroup = (0..<Int64(groups[0])).reversed().map { (file.filePath, $0) }
        let elsewhere = [(file.filePath + ".other", Int64(5)), (file.filePath + ".other", 6)]
        let laterRows: [Int64] = [Int64(groups[0]) + 3, 1999]
        try await table.commit([
            try await table.positionDeleteFile(firstGroup + elsewhere + laterRows.map { (file.filePath, $0) })
        ])
        // A second file repeating a position the first already deletes, and one more.
        try await table.commit([try await table.positionDeleteFile([(file.filePath, 1999), (file.filePath, 1000)])])

        let deleted = Set(0..<Int64(groups[0])).union(laterRows).union([1000])
        let expected = written.filter { !deleted.contains($0.0) }
        #expect(try await table.scan() == tableRows(expected))
        #expect(try await table.scan(["id"]).count == 2000 - deleted.count)
    }

    @Test func positionDeletesSkipDataFilesCommittedAfterThem() async throws {
        let table = try await DeleteFileTable.create("sequence")
        defer { table.remove() }
        let older = try await table.dataFile(Self.rows(0, count: 10))
        try await table.commit([older])
        // The newer file is written first, so a delete file committed before it can name it.
        let newer = try await table.dataFile(Self.rows(100, count: 10))
        try await table.commit([try await table.positionDeleteFile([(older.filePath, 2), (newer.filePath, 3)])])
        try await table.commit([newer])
        // Committed with the rows it deletes: same sequence number, so it applies.
        let sameCommit = try await table.dataFile(Self.rows(200, count: 10))
        try await table.commit([sameCommit, try await table.positionDeleteFile([(sameCommit.filePath, 4)])])
        let expected = (Self.rows(0, count: 10) + Self.rows(100, count: 10) + Self.rows(200, count: 10))
            .filter { ![2, 204].contains($0.0) }
        #expect(try await table.scan() == tableRows(expected))
    }

    @Test func equalityDeletesFollowSequenceNumbersAndMatchNulls() async throws {
        let table = try await DeleteFileTable.create("equality")
        defer { table.remove() }
        let older: [(Int64, String?, String?)] = [
            (1, "a", "eu"), (2, "b", "us"), (3, "c", nil), (4, nil, nil), (5, "a", "us"), (6, nil, "eu"),
        ]
        let olderSequence = try await table.commit([try await table.dataFile(older)])
        // Deletes (name, region) = (a, eu), (c, NULL), (NULL, NULL): NULL equals NULL here.
        let byNameAndRegion = try await table.equalityDeleteFile(
            ["name", "region"], [[.text("a"), .text("eu")], [.text("c"), .null], [.null, .null]])
        let deleteSequence = try await table.commit([byNameAndRegion])
        // Written after the delete: the same keys stay.
        let newer: [(Int64, String?, String?)] = [(7, "a", "eu"), (8, "c", nil), (9, nil, nil), (10, "d", "us")]
        let newerSequence = try await table.commit([try await table.dataFile(newer)])
        #expect(olderSequence < deleteSequence && deleteSequence < newerSequence)

        #expect(try await table.scan() == tableRows([(2, "b", "us"), (5, "a", "us"), (6, nil, "eu")] + newer))

        // Two files deleting by id apply to both data files; their keys are merged into one set.
        try await table.commit([
            try await table.equalityDeleteFile(["id"], [[.int64(2)], [.int64(8)]]),
            try await table.equalityDeleteFile(["id"], [[.int64(10)], [.int64(99)]]),
        ])
        let expected = tableRows([(5, "a", "us"), (6, nil, "eu"), (7, "a", "eu"), (9, nil, nil)])
        #expect(try await table.scan() == expected)
        // The key columns are read even when the query does not ask for them, and not returned.
        #expect(try await table.scan(["id"]) == [[.int64(5)], [.int64(6)], [.int64(7)], [.int64(9)]])
        #expect(
            try await table.scan(["region", "id"])
                == expected.map { [$0[2], $0[0]] }.sorted { $0.description < $1.description })
    }

    @Test func positionAndEqualityDeletesTogetherOverRowGroups() async throws {
        let table = try await DeleteFileTable.create("mixed")
        defer { table.remove() }
        let written = Self.rows(0, count: 3000)
        let file = try await table.dataFile(written, rowGroupBytes: 4096)
        try await table.commit([file])
        #expect(try await Self.rowGroupRowCounts(file).count >= 3)
        // Every region NULL row goes by equality (a third of them); every 7th row by position.
        let byPosition = stride(from: Int64(0), to: 3000, by: 7).map { (file.filePath, $0) }
        try await table.commit([
            try await table.positionDeleteFile(byPosition),
            try await table.equalityDeleteFile(["region"], [[.null]]),
        ])
        let expected = written.filter { $0.0 % 7 != 0 && $0.2 != nil }
        #expect(try await table.scan() == tableRows(expected))
        #expect(try await table.scan(["name"]).count == expected.count)
    }

    @Test func deleteCommitsWriteDeleteManifestsAndSummaries() async throws {
        let table = try await DeleteFileTable.create("summaries")
        defer { table.remove() }
        let data = try await table.dataFile(Self.rows(0, count: 10))
        try await table.commit([data])
        try await table.commit([try await table.positionDeleteFile([(data.filePath, 1), (data.filePath, 2)])])
        try await table.commit([
            try await table.dataFile(Self.rows(100, count: 5)),
            try await table.equalityDeleteFile(["id"], [[.int64(3)]]),
        ])
        let loaded = try await table.catalog.loadTable(table.identifier)
        #expect(loaded.metadata.snapshots.map(\.operation) == ["append", "delete", "overwrite"])
        let summary = try #require(loaded.metadata.currentSnapshot).summary
        #expect(summary["added-data-files"] == "1")
        #expect(summary["added-records"] == "5")
        #expect(summary["added-delete-files"] == "1")
        #expect(summary["added-equality-delete-files"] == "1")
        #expect(summary["added-equality-deletes"] == "1")
        #expect(summary["added-position-delete-files"] == "0")
        #expect(summary["total-records"] == "15")
        #expect(summary["total-data-files"] == "2")
        #expect(summary["total-delete-files"] == "2")
        #expect(summary["total-position-deletes"] == "2")
        #expect(summary["total-equality-deletes"] == "1")
        let manifests = try await TableScan(table: loaded, store: table.store)
            .manifestFiles(of: try #require(loaded.metadata.currentSnapshot))
        #expect(manifests.filter { $0.content == .data }.count == 2)
        #expect(
            manifests.filter { $0.content == .deletes }.map(\.addedRowsCount).sorted { ($0 ?? 0) < ($1 ?? 0) } == [
                1, 2,
            ])
        #expect(
            try await table.scan()
                == tableRows(Self.rows(0, count: 10).filter { ![1, 2, 3].contains($0.0) } + Self.rows(100, count: 5)))
    }

    @Test func missingAndCorruptDeleteFilesNameTheFile() async throws {
        let table = try await DeleteFileTable.create("broken")
        defer { table.remove() }
        let file = try await table.dataFile(Self.rows(0, count: 10))
        try await table.commit([file])
        let missing = try await table.positionDeleteFile([(file.filePath, 1)])
        try FileManager.default.removeItem(atPath: try LocalObjectStore.path(of: missing.filePath))
        try await table.commit([missing])
        do {
            _ = try await table.scan()
            Issue.record("a missing delete file must fail the scan")
        } catch let error as EngineError {
            #expect(error.sqlState == .undefinedFile)
            #expect(error.message.contains(missing.filePath))
        }

        let corruptTable = try await DeleteFileTable.create("corrupt")
        defer { corruptTable.remove() }
        let corruptData = try await corruptTable.dataFile(Self.rows(0, count: 10))
        try await corruptTable.commit([corruptData])
        let corrupt = try await corruptTable.equalityDeleteFile(["id"], [[.int64(1)]])
        try await corruptTable.store.write(corrupt.filePath, bytes: Array("not parquet at all, just text".utf8))
        try await corruptTable.commit([corrupt])
        do {
            _ = try await corruptTable.scan()
            Issue.record("a corrupt delete file must fail the scan")
        } catch let error as EngineError {
            #expect(error.sqlState == .dataCorrupted)
            #expect(error.message.contains(corrupt.filePath))
        }
    }

    @Test func deleteFilesOtherThanParquetAreRefused() async throws {
        let table = try await DeleteFileTable.create("formats")
        defer { table.remove() }
        let file = try await table.dataFile(Self.rows(0, count: 10))
        try await table.commit([file])
        var avro = try await table.positionDeleteFile([(file.filePath, 1)])
        avro.fileFormat = "AVRO"
        try await table.commit([avro])
        await #expect(
            throws: LakehouseError.unsupported(
                "delete file \"\(avro.filePath)\" of table \"tests.t\" is AVRO; only Parquet delete files are supported"
            )
        ) {
            _ = try await table.scan()
        }

        // Planning refuses a deletion vector; a split built elsewhere (an engine node's) is refused on open.
        var vector = avro
        vector.fileFormat = "PUFFIN"
        try await table.commit([vector])
        let loaded = try await table.catalog.loadTable(table.identifier)
        await #expect(throws: LakehouseError.self) { try await TableScan(table: loaded, store: table.store).plan() }
        let split = ScanSplit(dataFile: file, dataSequenceNumber: 1, positionDeletes: [vector], equalityDeletes: [])
        let columns = DeleteFileTable.schema.fields.map { IcebergReadColumn(field: $0, type: $0.type.dataType!) }
        do {
            _ = try await IcebergScanWork.open(
                splits: [split], columns: columns, schema: DeleteFileTable.schema, store: table.store,
                tableName: "tests.formats")
            Issue.record("a deletion vector must be refused")
        } catch let error as LakehouseError {
            #expect(error.sqlState == .featureNotSupported)
            #expect(error.message.contains(vector.filePath) && error.message.contains("deletion vector"))
        }
    }
}
