import Engine
import Testing

@testable import Lakehouse

/// Overwrite snapshots (copy-on-write DELETE / UPDATE) and the commit rules around them: the
/// removed files leave the scan, other files stay, a stale base is refused with 40001, and an
/// append racing another writer still lands on top of it.
@Suite struct SnapshotCommitTests {
    @Test func overwriteReplacesOnlyTheRemovedFile() async throws {
        let table = try await DeleteFileTable.create("overwrite")
        defer { table.remove() }
        let first = try await table.dataFile([(1, "a", "x"), (2, "b", "x")])
        let second = try await table.dataFile([(3, "c", "y")])
        _ = try await table.commit([first])
        _ = try await table.commit([second])
        let base = try #require(try await table.catalog.loadTable(table.identifier).metadata.currentSnapshotID)
        let replacement = try await table.dataFile([(2, "B", "x")])
        let commit = SnapshotCommit(catalog: table.catalog, store: table.store)
        let committed = try await commit.overwrite(
            removing: [first], adding: [replacement], in: table.identifier, baseSnapshotID: base, schemaID: 0)
        #expect(try await table.scan() == [[.int64(2), .text("B"), .text("x")], [.int64(3), .text("c"), .text("y")]])
        let snapshot = try #require(committed.metadata.currentSnapshot)
        #expect(snapshot.operation == "overwrite")
        #expect(snapshot.summary["deleted-data-files"] == "1" && snapshot.summary["added-data-files"] == "1")
        #expect(snapshot.summary["total-records"] == "2" && snapshot.summary["total-data-files"] == "2")
        // The manifest that listed the removed file was rewritten: it now marks it deleted.
        let entries = try await TableScan(table: committed, store: table.store).plan(.current).splits.map(
            \.dataFile.filePath)
        #expect(Set(entries) == [second.filePath, replacement.filePath])

        // The same overwrite again is based on a snapshot that is no longer current.
        let stale = await #expect(throws: LakehouseError.self) {
            try await commit.overwrite(
                removing: [second], adding: [], in: table.identifier, baseSnapshotID: base, schemaID: 0)
        }
        #expect(stale?.sqlState == .serializationFailure)
        // Removing a file that is no longer live is refused even from the current snapshot.
        let current = try #require(committed.metadata.currentSnapshotID)
        let gone = await #expect(throws: LakehouseError.self) {
            try await commit.overwrite(
                removing: [first], adding: [], in: table.identifier, baseSnapshotID: current, schemaID: 0)
        }
        #expect(gone?.sqlState == .serializationFailure)
        #expect(try await table.scan().count == 2)
    }

    /// Two appends built on the same snapshot: the one whose compare-and-swap loses is rebuilt on
    /// top of the other, so both files are in the final snapshot.
    @Test func racingAppendsBothLand() async throws {
        let table = try await DeleteFileTable.create("race")
        defer { table.remove() }
        let files = [
            try await table.dataFile([(1, "a", nil)]), try await table.dataFile([(2, "b", nil)]),
            try await table.dataFile([(3, "c", nil)]), try await table.dataFile([(4, "d", nil)]),
        ]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for file in files {
                group.addTask {
                    try await SnapshotCommit(catalog: table.catalog, store: table.store).append(
                        [file], to: table.identifier, schemaID: 0)
                }
            }
            try await group.waitForAll()
        }
        #expect(try await table.scan().map { $0[0] } == [.int64(1), .int64(2), .int64(3), .int64(4)])
        let metadata = try await table.catalog.loadTable(table.identifier).metadata
        #expect(metadata.snapshots.count == 4)
        #expect(metadata.snapshots.map(\.sequenceNumber).sorted() == [1, 2, 3, 4])
    }
}
