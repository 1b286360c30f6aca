import Engine
import Foundation
import Testing

@testable import Lakehouse

/// Scans with a filter skip row groups (by statistics and dictionaries) and pages (by the page
/// index), and still return every row a full scan followed by the filter returns; position
/// deletes keep applying to the right rows when pages are skipped.
@Suite struct RowGroupPruningTests {
    /// `(id, name, region)` rows with ids `position * 3 + 7`, so a row's id is not its position.
    private static func rows(count: Int) -> [(Int64, String?, String?)] {
        (0..<Int64(count)).map { position in
            let id = position * 3 + 7
            return (id, "n\(id)", ["eu", "us", "ap"][Int(position % 3)])
        }
    }

    /// Rows of `scanned` that pass `filter`, for comparing a pruned scan with a full one.
    private static func passing(_ scanned: [[Value]], _ filter: ([Value]) -> Bool) -> [[Value]] {
        scanned.filter(filter)
    }

    private static func id(_ row: [Value]) -> Int64 {
        if case .int64(let id) = row[0] { return id }
        return -1
    }

    @Test func selectivePredicateOnASortedColumnDecodesFewPages() async throws {
        let table = try await DeleteFileTable.create("sorted")
        defer { table.remove() }
        try await table.commit([try await table.dataFile(Self.rows(count: 200_000))])

        let low: Int64 = 300_007
        let high: Int64 = 301_207
        let filter =
            ScanPredicate.compare(column: "id", .greaterOrEqual, .int64(low))
            && .compare(column: "id", .less, .int64(high))
        let matches = { (row: [Value]) in (low..<high).contains(Self.id(row)) }
        let pruned = try await table.scan(["id", "name", "region"], filter: filter)
        let full = try await table.scan(["id", "name", "region"], filter: .alwaysTrue)

        #expect(Self.passing(pruned.rows, matches) == Self.passing(full.rows, matches))
        #expect(Self.passing(pruned.rows, matches).count == 400)
        // Pages hold 20 000 rows at most: the 400 wanted rows lie in one or two of each column's ten.
        #expect(pruned.rows.count <= 40_000, "\(pruned.counts)")
        #expect(pruned.counts.pagesRead <= 6, "\(pruned.counts)")
        #expect(pruned.counts.pagesSkipped >= 24, "\(pruned.counts)")
        #expect(full.counts.pagesRead == 30, "\(full.counts)")
        #expect(
            pruned.counts.bytesFetched * 3 < full.counts.bytesFetched, "pruned \(pruned.counts), full \(full.counts)")
    }

    @Test func rowGroupStatisticsSkipRowGroups() async throws {
        let table = try await DeleteFileTable.create("groups")
        defer { table.remove() }
        let written = Self.rows(count: 30_000)
        let file = try await table.dataFile(written, rowGroupBytes: 64 * 1024)
        try await table.commit([file])
        let groups = try await ParquetFile.open(file.filePath, in: LocalObjectStore()).rowGroupCount
        #expect(groups >= 4)

        let filter = ScanPredicate.compare(column: "id", .equal, .int64(45_007))
        let pruned = try await table.scan(["name"], filter: filter)
        #expect(pruned.rows.contains([.text("n45007")]))
        #expect(pruned.counts.rowGroupsSkippedByStatistics == groups - 1, "\(pruned.counts)")
        #expect(pruned.counts.rowGroupsRead == 1)

        // IN lists prune like equalities: two ids, two row groups (the first and the last).
        let both = ScanPredicate.isIn(column: "id", [.int64(7), .int64(89_998), .null])
        let two = try await table.scan(["id"], filter: both)
        #expect(two.rows.filter { [7, 89_998].contains(Self.id($0)) } == [[.int64(7)], [.int64(89_998)]])
        #expect(two.counts.rowGroupsSkippedByStatistics == groups - 2, "\(two.counts)")
    }

    @Test func positionDeletesStayOnTheirRowsWhenPagesAreSkipped() async throws {
        let table = try await DeleteFileTable.create("deleted")
        defer { table.remove() }
        let written = Self.rows(count: 100_000)
        let file = try await table.dataFile(written)
        let other = try await table.dataFile(Self.rows(count: 50))
        try await table.commit([file, other])
        // Rows around the wanted range (positions 61 000 ..< 61 500) and inside it, by position.
        let deletedPositions: Set<Int64> = [10, 59_999, 60_000, 61_000, 61_001, 61_250, 61_499, 61_500, 99_999]
        try await table.commit([
            try await table.positionDeleteFile(deletedPositions.sorted().map { (file.filePath, $0) })
        ])
        // An equality delete by name makes the scan read `name` as a key column too.
        try await table.commit([try await table.equalityDeleteFile(["name"], [[.text("n\(61_100 * 3 + 7)")]])])

        let low: Int64 = 61_000 * 3 + 7
        let high: Int64 = 61_500 * 3 + 7
        let filter =
            ScanPredicate.compare(column: "id", .greaterOrEqual, .int64(low))
            && .compare(column: "id", .less, .int64(high))
        let matches = { (row: [Value]) in (low..<high).contains(Self.id(row)) }
        let pruned = try await table.scan(["id", "region"], filter: filter)
        #expect(pruned.counts.pagesSkipped > 0, "\(pruned.counts)")
        #expect(pruned.rows.count < 50_000)

        let kept = written.enumerated().filter { position, row in
            !deletedPositions.contains(Int64(position)) && row.1 != "n\(61_100 * 3 + 7)"
        }
        let expected = kept.map { [Value.int64($0.element.0), .text($0.element.2!)] }.filter(matches)
            .sorted { $0.description < $1.description }
        #expect(expected.count == 500 - 4 - 1)
        #expect(Self.passing(pruned.rows, matches) == expected)
        // The unfiltered scan agrees (so the deletes themselves are right).
        let full = try await table.scan(["id", "region"], filter: .alwaysTrue)
        #expect(Self.passing(full.rows, matches) == expected)
    }

    @Test func dictionariesSkipRowGroupsStatisticsCannot() async throws {
        let table = try await DeleteFileTable.create("dictionary")
        defer { table.remove() }
        // Regions a / z only in the first 24 000 rows, a / m / z after: every row group's bounds
        // are a..z, so only the dictionaries tell that "m" is not in the first ones.
        let written: [(Int64, String?, String?)] = (0..<Int64(36_000)).map { row in
            let pick = Int(((UInt64(row) &* 2_654_435_761) >> 7) % 3)
            let region = row < 24_000 ? ["a", "z", "a"][pick] : ["a", "m", "z"][pick]
            return (row, "n\(row)", region)
        }
        let file = try await table.dataFile(written, rowGroupBytes: 96 * 1024)
        try await table.commit([file])
        let parquet = try await ParquetFile.open(file.filePath, in: LocalObjectStore())
        let region = try #require(parquet.schema.columnIndex(named: "region"))
        #expect(parquet.rowGroupCount >= 4)
        var groupsWithoutM = 0
        var start = 0
        for (group, count) in parquet.rowGroupRowCounts.enumerated() {
            let statistics = try #require(parquet.statistics(rowGroup: group, column: region))
            #expect(statistics.min == .text("a") && statistics.max == .text("z"))
            if start + count <= 24_000 { groupsWithoutM += 1 }
            start += count
        }
        #expect(groupsWithoutM >= 2)

        for filter in [
            ScanPredicate.compare(column: "region", .equal, .text("m")),
            .isIn(column: "region", [.text("m"), .text("q")]),
        ] {
            let matches = { (row: [Value]) in row[2] == .text("m") }
            let pruned = try await table.scan(["id", "name", "region"], filter: filter)
            let full = try await table.scan(["id", "name", "region"], filter: .alwaysTrue)
            #expect(Self.passing(pruned.rows, matches) == Self.passing(full.rows, matches))
            #expect(!Self.passing(pruned.rows, matches).isEmpty)
            #expect(pruned.counts.rowGroupsSkippedByDictionary == groupsWithoutM, "\(pruned.counts)")
            #expect(pruned.counts.rowGroupsSkippedByStatistics == 0)
        }
        // A value some dictionary holds skips nothing by dictionary.
        let everywhere = try await table.scan(["id"], filter: .compare(column: "region", .equal, .text("a")))
        #expect(everywhere.counts.rowGroupsSkippedByDictionary == 0)
        #expect(everywhere.counts.rowGroupsRead == parquet.rowGroupCount)
    }

    @Test func nanRowsPassGreaterThanWhateverTheBoundsSay() async throws {
        let schema = IcebergSchema(
            schemaID: 0,
            fields: [
                NestedField(id: 1, name: "id", type: .long, required: true),
                NestedField(id: 2, name: "x", type: .double, required: false),
            ])
        let table = try await DeleteFileTable.create("nan", schema: schema)
        defer { table.remove() }
        let count = 50_000
        let values: [Value] = (0..<count).map { $0 == 30_123 ? .float64(.nan) : .float64(Double($0) / 10) }
        let batch = Batch(
            columns: [
                Column(type: .int64, values: (0..<count).map { .int64(Int64($0)) }),
                Column(type: .float64, values: values),
            ],
            rowCount: count)
        try await table.commit([try await table.dataFile(batch, rowGroupBytes: 128 * 1024)])

        // PostgreSQL orders NaN above every number, so it is greater than 10 000 although no
        // bound of its file, row group or page is.
        let greater = try await table.scan(["id", "x"], filter: .compare(column: "x", .greater, .float64(10_000)))
        #expect(
            greater.rows.filter {
                if case .float64(let x) = $0[1] { return x.isNaN || x > 10_000 } else { return false }
            }.map { $0[0] } == [.int64(30_123)])
        let unequal = try await table.scan(["id"], filter: .compare(column: "x", .notEqual, .float64(1)))
        #expect(unequal.rows.count >= count - 1)
        // Comparisons NaN fails still prune.
        let less = try await table.scan(["id"], filter: .compare(column: "x", .less, .float64(10)))
        #expect(less.counts.rowGroupsSkippedByStatistics + less.counts.pagesSkipped > 0, "\(less.counts)")
    }

    /// A file pyarrow wrote with a page index, added to a table: its pages are pruned too, with
    /// the same rows as a full scan.
    @Test func pyarrowPageIndexesPrune() async throws {
        let table = try await DeleteFileTable.create("pyarrow")
        defer { table.remove() }
        let location = table.dataDirectory + "/pyarrow-\(UUID().uuidString).parquet"
        let path = try LocalObjectStore.path(of: location)
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let script = """
            import sys
            import pyarrow as pa
            import pyarrow.parquet as pq
            rows = 30000
            table = pa.table({
                "id": pa.array([i * 2 for i in range(rows)], pa.int64()),
                "name": pa.array(["p%d" % i for i in range(rows)]),
                "region": pa.array([None if i % 11 == 0 else ["eu", "us"][i % 2] for i in range(rows)]),
            })
            pq.write_table(table, sys.argv[1], row_group_size=15000, max_rows_per_page=1000, write_page_index=True)
            """
        let run = try PythonRun.run(["-c", script, path])
        try #require(run.succeeded, "python3 with pyarrow must write the file: \(run.errors)")
        try await table.commit([try table.externalDataFile(location, recordCount: 30_000)])

        let filter =
            ScanPredicate.compare(column: "id", .greater, .int64(20_500))
            && .compare(column: "id", .lessOrEqual, .int64(23_000))
        let matches = { (row: [Value]) in (20_501...23_000).contains(Self.id(row)) }
        let pruned = try await table.scan(["id", "name", "region"], filter: filter)
        let full = try await table.scan(["id", "name", "region"], filter: .alwaysTrue)
        #expect(Self.passing(pruned.rows, matches) == Self.passing(full.rows, matches))
        #expect(Self.passing(pruned.rows, matches).count == 1250)
        #expect(pruned.counts.rowGroupsSkippedByStatistics == 1, "\(pruned.counts)")
        #expect(pruned.counts.pagesSkipped >= 3 * 12, "\(pruned.counts)")
        #expect(pruned.rows.count <= 3000)
    }
}
