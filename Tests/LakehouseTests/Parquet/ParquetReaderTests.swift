import Engine
import Foundation
import Testing

@testable import Lakehouse

/// Every fixture file decodes to exactly the values pyarrow wrote, with the expected Weir types,
/// row groups and statistics.
@Suite struct ParquetReaderTests {
    static let files = [
        "plain_v1_uncompressed", "plain_v2_uncompressed", "dictionary_v1_uncompressed", "dictionary_v1_snappy",
        "dictionary_v2_zstd", "plain_v2_gzip",
        "dictionary_v1_gzip", "plain_v1_lz4raw", "dictionary_v2_lz4raw", "delta_v1_zstd", "delta_v2_snappy",
        "decimals_as_integers", "int96", "nested",
    ]

    @Test(arguments: files)
    func decodesEveryValue(file name: String) async throws {
        let fixtures = ParquetFixtures.shared
        let table = fixtures.table(for: name)
        let expectedColumns = try #require(table["columns"] as? [String: [String: Any]])
        let file = try await ParquetFile.open(fixtures.location(name), in: LocalObjectStore())

        #expect(file.rowCount == table["rows"] as? Int)
        let groups = try #require(table["row_groups"] as? [[String: Any]])
        #expect(file.rowGroupRowCounts == groups.map { $0["rows"] as? Int ?? -1 })

        let readable = file.schema.columns.indices.filter { file.schema.columns[$0].unsupportedReason == nil }
        #expect(Set(readable.map { file.schema.columns[$0].name }) == Set(expectedColumns.keys))
        let decoded = try await ParquetFixtures.readAll(file, columns: readable)
        for (position, index) in readable.enumerated() {
            let column = file.schema.columns[index]
            let expected = try #require(expectedColumns[column.name])
            #expect(
                column.dataType.map(ParquetFixtures.typeName) == expected["type"] as? String, "\(name).\(column.name)")
            let values = (expected["values"] as? [Any] ?? []).map(ParquetFixtures.Expected.init(json:))
            let actual = decoded[position]
            #expect(actual.count == values.count, "\(name).\(column.name)")
            let mismatches = zip(actual, values).enumerated().filter { $0.element.0 != $0.element.1 }
            if let first = mismatches.first {
                Issue.record(
                    "\(name).\(column.name): \(mismatches.count) rows differ; row \(first.offset) is \(first.element.0), expected \(first.element.1)"
                )
            }
        }
        let physical = fixtures.fileEntry(name)["physical"] as? [String: String] ?? [:]
        for (columnName, type) in physical {
            let index = try #require(file.schema.columnIndex(named: columnName))
            #expect("\(file.schema.columns[index].physicalType)" == type)
        }
    }

    @Test(arguments: ["plain_v1_uncompressed", "dictionary_v2_zstd", "delta_v2_snappy"])
    func exposesRowGroupStatistics(file name: String) async throws {
        let fixtures = ParquetFixtures.shared
        let groups = try #require(fixtures.table(for: name)["row_groups"] as? [[String: Any]])
        let file = try await ParquetFile.open(fixtures.location(name), in: LocalObjectStore())
        var checked = 0
        for (rowGroup, group) in groups.enumerated() {
            for (columnName, bounds) in group["statistics"] as? [String: [String: Any]] ?? [:] {
                let index = try #require(file.schema.columnIndex(named: columnName))
                let type = try #require(file.schema.columns[index].dataType)
                let statistics = try #require(file.statistics(rowGroup: rowGroup, column: index))
                let label = "\(name) row group \(rowGroup) \(columnName)"
                #expect(
                    statistics.min.map { ParquetFixtures.Expected($0, type: type) }
                        == bounds["min"].map(ParquetFixtures.Expected.init(json:)), "\(label) min")
                #expect(
                    statistics.max.map { ParquetFixtures.Expected($0, type: type) }
                        == bounds["max"].map(ParquetFixtures.Expected.init(json:)), "\(label) max")
                #expect(statistics.nullCount == bounds["null_count"] as? Int, "\(label) null count")
                checked += 1
            }
        }
        #expect(checked == groups.count * 10)
    }

    @Test func readsOnlyTheProjectedColumnsInRequestOrder() async throws {
        let fixtures = ParquetFixtures.shared
        let file = try await ParquetFile.open(fixtures.location("dictionary_v1_snappy"), in: LocalObjectStore())
        let s = try #require(file.schema.columnIndex(named: "s"))
        let i64 = try #require(file.schema.columnIndex(named: "i64"))
        let columns = try await ParquetRowGroupReader(file: file, store: LocalObjectStore()).read(
            rowGroup: 2, columns: [s, i64])
        #expect(columns.map(\.type) == [.text, .int64])
        #expect(columns[0].count == 800)
        #expect(file.schema.columns[s].isNullable && !file.schema.columns[i64].isNullable)
        // Row 2200 of the table is row 0 of the third row group: words[2200 % 7] = "gamma", not null.
        #expect(columns[0].value(at: 0) == .text("gamma"))
        #expect(columns[1].validity == nil)
    }
}
