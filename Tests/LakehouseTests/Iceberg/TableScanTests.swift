import Engine
import Foundation
import Testing

@testable import Lakehouse

/// Scan planning compared with PyIceberg's own `plan_files()` on the same tables.
@Suite struct TableScanTests {
    private func load(_ name: String) async throws -> (PyIcebergFixture, IcebergTable) {
        let fixture = try await PyIcebergFixture.shared.value
        let table = try await fixture.catalog.loadTable(TableIdentifier(namespace: ["fixtures"], name: name))
        return (fixture, table)
    }

    @Test(arguments: ["plain", "partitioned", "evolved", "history"])
    func everySnapshotPlansThePyIcebergFiles(table name: String) async throws {
        let (fixture, table) = try await load(name)
        let scan = TableScan(table: table, store: LocalObjectStore())
        let expected = fixture.plannedFiles(name)
        #expect(expected.count == table.metadata.snapshots.count)
        for snapshot in table.metadata.snapshots {
            let plan = try await scan.plan(.snapshotID(snapshot.snapshotID))
            #expect(PlannedFile.list(plan) == expected[snapshot.snapshotID], "snapshot \(snapshot.snapshotID)")
            #expect(plan.schema.schemaID == snapshot.schemaID)
        }
        let current = try await scan.plan()
        #expect(PlannedFile.list(current) == expected[table.metadata.currentSnapshotID ?? 0])
    }

    @Test func timeTravelByTimestampFollowsTheSnapshotLog() async throws {
        let (fixture, table) = try await load("history")
        let scan = TableScan(table: table, store: LocalObjectStore())
        let expected = fixture.plannedFiles("history")
        for entry in table.metadata.snapshotLog {
            let plan = try await scan.plan(.asOfTimestampMs(entry.timestampMs))
            #expect(plan.snapshot?.snapshotID == entry.snapshotID)
            #expect(PlannedFile.list(plan) == expected[entry.snapshotID])
        }
        let first = try #require(table.metadata.snapshotLog.first)
        await #expect(throws: LakehouseError.self) { try await scan.plan(.asOfTimestampMs(first.timestampMs - 1)) }
        await #expect(throws: LakehouseError(.invalidParameterValue, "table \"fixtures.history\" has no snapshot 42")) {
            try await scan.plan(.snapshotID(42))
        }
    }

    @Test func filtersPruneTheFilesPyIcebergPrunes() async throws {
        for name in ["plain", "partitioned"] {
            let (fixture, table) = try await load(name)
            let scan = TableScan(table: table, store: LocalObjectStore())
            for filter in fixture.facts(name)["filtered"] as? [[String: Any]] ?? [] {
                let predicate = try #require(Self.predicate(filter))
                let plan = try await scan.plan(filter: predicate)
                #expect(PlannedFile.list(plan) == PlannedFile.list(filter["files"]), "\(name): \(predicate)")
                let all = try await scan.plan()
                if plan.splits.count < all.splits.count {
                    #expect(plan.skippedDataFiles + plan.skippedManifests > 0)
                }
            }
        }
    }

    @Test func splitsCarryPartitionValuesAndStatsAndRoundTripAsJSON() async throws {
        let (_, table) = try await load("partitioned")
        let plan = try await TableScan(table: table, store: LocalObjectStore())
            .plan(filter: .compare(column: "region", .equal, .text("ap")))
        let split = try #require(plan.splits.first)
        #expect(plan.splits.count == 1)
        // Spec 1: region identity, month(ts); 2024-06 is 653 months after 1970-01.
        #expect(split.dataFile.specID == 1)
        #expect(split.dataFile.partition == [.text("ap"), .int32(653)])
        #expect(split.dataFile.recordCount == 1)
        #expect(split.dataFile.fileFormat == "PARQUET")
        #expect(SingleValueSerialization.decode(try #require(split.dataFile.lowerBounds[1]), as: .long) == .int64(11))
        #expect(split.dataFile.nullValueCounts[1] == 0)
        let decoded = try JSONDecoder().decode(ScanSplit.self, from: try JSONEncoder().encode(split))
        #expect(decoded == split)
    }

    /// The ScanPredicate for one of expected.json's filters.
    static func predicate(_ filter: [String: Any]) -> ScanPredicate? {
        guard let column = filter["column"] as? String, let op = filter["op"] as? String,
            let comparison = ScanPredicate.Comparison(rawValue: op)
        else { return nil }
        let value: Value
        switch filter["value"] {
        case let number as NSNumber: value = .int64(number.int64Value)
        case let text as String where column == "ts":
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate]
            formatter.timeZone = TimeZone(identifier: "UTC")
            guard let date = formatter.date(from: text) else { return nil }
            value = .int64(Int64(date.timeIntervalSince1970) * 1_000_000)
        case let text as String: value = .text(text)
        default: return nil
        }
        return .compare(column: column, comparison, value)
    }
}
