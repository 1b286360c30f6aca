import Engine
import Testing

@testable import Lakehouse

/// Scans that address rows (as DELETE and UPDATE do) name each row by its data file and its
/// position in that file, counted over every row the file holds: rows position deletes remove and
/// pages the page index skips keep the positions of the rows after them.
@Suite struct RowAddressTests {
    @Test func addressesNameTheFileAndPositionThroughDeletesAndSkippedPages() async throws {
        let table = try await DeleteFileTable.create("addresses")
        defer { table.remove() }
        let first = (Int64(0)..<4000).map { id in (id, Optional("n\(id)"), Optional("eu")) }
        let second = (Int64(10_000)..<10_500).map { id in (id, Optional("n\(id)"), Optional<String>.none) }
        let firstFile = try await table.dataFile(first, rowGroupBytes: 8192)
        let secondFile = try await table.dataFile(second)
        try await table.commit([firstFile, secondFile])
        let deleted: [(String, Int64)] = [
            (firstFile.filePath, 0), (firstFile.filePath, 2500), (secondFile.filePath, 7),
        ]
        try await table.commit([try await table.positionDeleteFile(deleted.sorted { ($0.0, $0.1) < ($1.0, $1.1) })])

        for filter in [ScanPredicate.alwaysTrue, .compare(column: "id", .greaterOrEqual, .int64(2400))] {
            let book = RowAddressBook()
            let (rows, _) = try await table.scan(["id", "name"], filter: filter, addressBook: book)
            let deletedIDs: Set<Int64> = [0, 2500, 10_007]
            let lowest: Int64 = filter == .alwaysTrue ? 0 : 2400
            let allIDs: [Int64] = first.map(\.0) + second.map(\.0)
            let expectedIDs: [Int64] = allIDs.filter { !deletedIDs.contains($0) && $0 >= lowest }
            var scannedIDs: [Int64] = []
            for row in rows { if case .int64(let id) = row[0] { scannedIDs.append(id) } }
            // The pruned scan may return rows of pages the filter could not rule out; the rest is the engine's job.
            #expect(scannedIDs.sorted().filter { $0 >= lowest } == expectedIDs)
            #expect(scannedIDs.allSatisfy { !deletedIDs.contains($0) })
            if lowest > 0 { #expect(scannedIDs.count < 3000, "the page index skipped no rows") }
            for row in rows {
                guard case .int64(let id) = row[0], case .int64(let address) = row[2] else {
                    Issue.record("unexpected row \(row)")
                    continue
                }
                let (file, firstID) =
                    id < 10_000 ? (firstFile.filePath, Int64(0)) : (secondFile.filePath, Int64(10_000))
                #expect(book.location(ofFile: RowAddress.file(address)) == file, "row \(id)")
                #expect(RowAddress.position(address) == id - firstID, "row \(id)")
            }
        }
    }

    @Test func addressesPackFileAndPosition() {
        let address = RowAddress.make(file: 5, position: (1 << 40) - 1)
        #expect(RowAddress.file(address) == 5 && RowAddress.position(address) == (1 << 40) - 1)
        #expect(RowAddress.file(RowAddress.make(file: 0, position: 0)) == 0)
    }
}
