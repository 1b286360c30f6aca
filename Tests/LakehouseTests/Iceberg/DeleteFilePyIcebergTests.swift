import Engine
import Foundation
import Testing

@testable import Lakehouse

/// Position deletes Weir writes, scanned by PyIceberg and by Weir: both must plan the same delete
/// files for each data file and return the same rows.
///
/// PyIceberg 0.12 reads position deletes but refuses equality deletes ("PyIceberg does not yet
/// support equality deletes"), and its `delete()` falls back to copy-on-write even with
/// `write.delete.mode=merge-on-read`, so it can neither check equality deletes nor write delete
/// files for Weir to read; those are covered by `DeleteFileScanTests`.
@Suite struct DeleteFilePyIcebergTests {
    @Test func pyIcebergScansTheSameRowsAsWeir() async throws {
        let table = try await DeleteFileTable.create("interop")
        defer { table.remove() }
        let first = (Int64(0)..<2000).map { id in (id, Optional("n\(id)"), id % 2 == 0 ? Optional("eu") : nil) }
        let second = (Int64(5000)..<5300).map { id in (id, Optional("m\(id)"), Optional("us")) }
        let third = (Int64(9000)..<9100).map { id in (id, Optional<String>.none, Optional("ap")) }
        let firstFile = try await table.dataFile(first, rowGroupBytes: 4096)
        let secondFile = try await table.dataFile(second)
        try await table.commit([firstFile, secondFile])
        #expect(try await ParquetFile.open(firstFile.filePath, in: table.store).rowGroupCount >= 3)

        // One delete file for both data files; the third data file, committed after it, is planned
        // without it. (Its rows are not listed there: PyIceberg's reader applies every delete file
        // of a scan to the files it names, whatever the sequence numbers its planner honours, so
        // that rule is checked against hand-computed rows in `DeleteFileScanTests` only.)
        let olderDeletes: [(String, Int64)] =
            [(firstFile.filePath, 0), (firstFile.filePath, 1), (firstFile.filePath, 777), (firstFile.filePath, 1999)]
            + [(secondFile.filePath, 0), (secondFile.filePath, 150)]
        try await table.commit([try await table.positionDeleteFile(olderDeletes.sorted { ($0.0, $0.1) < ($1.0, $1.1) })]
        )
        let thirdFile = try await table.dataFile(third)
        try await table.commit([thirdFile])
        let newerDeletes: [(String, Int64)] =
            (Int64(1000)..<1010).map { (firstFile.filePath, $0) } + [(thirdFile.filePath, 0), (thirdFile.filePath, 99)]
        try await table.commit([try await table.positionDeleteFile(newerDeletes.sorted { ($0.0, $0.1) < ($1.0, $1.1) })]
        )

        let weirRows = try await table.scan()
        let deletedFirst = Set<Int64>([0, 1, 777, 1999]).union(1000..<1010)
        let expected =
            first.filter { !deletedFirst.contains($0.0) } + second.filter { ![5000, 5150].contains($0.0) }
            + third.filter { ![9000, 9099].contains($0.0) }
        #expect(weirRows == tableRows(expected))

        let output = table.directory + "/pyiceberg-scan.json"
        try PyIcebergFixture.runScript(
            "scan-iceberg-table.py", arguments: [table.directory, "tests.interop", output])
        let scanned = try #require(
            JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as? [String: Any])
        let pyIcebergRows = (scanned["rows"] as? [[Any]] ?? []).map { row in
            row.map { value -> Value in
                switch value {
                case let number as NSNumber: return .int64(number.int64Value)
                case let text as String: return .text(text)
                default: return .null
                }
            }
        }
        // Differences, not the thousands of rows, when they disagree.
        let onlyWeir = Set(weirRows.map(\.description)).subtracting(pyIcebergRows.map(\.description))
        let onlyPyIceberg = Set(pyIcebergRows.map(\.description)).subtracting(weirRows.map(\.description))
        #expect(
            onlyWeir.isEmpty && onlyPyIceberg.isEmpty,
            "only Weir: \(onlyWeir.sorted()), only PyIceberg: \(onlyPyIceberg.sorted())")
        #expect(pyIcebergRows.count == weirRows.count)

        let loaded = try await table.catalog.loadTable(table.identifier)
        let plan = try await TableScan(table: loaded, store: table.store).plan()
        #expect(
            PlannedFile.list(plan).map { PlannedFile(path: $0.path, recordCount: -1, deletes: $0.deletes) }
                == PlannedFile.list(scanned["files"]))
    }
}
