import Engine
import Foundation
import Testing

@testable import Lakehouse

/// Page indexes pyarrow writes (`write_page_index=True`) read with Weir's reader: the same pages
/// the page headers walk, and bounds that hold the values each page reads as.
@Suite struct ParquetPageIndexPyarrowTests {
    static let script = """
        import sys, decimal
        import pyarrow as pa
        import pyarrow.parquet as pq

        rows = 20000
        table = pa.table({
            "id": pa.array(range(rows), pa.int64()),
            "word": pa.array([None if i % 7 == 0 else "w%03d" % (i % 300) for i in range(rows)]),
            "ratio": pa.array([float("nan") if i % 97 == 0 else (i % 1000) / 8 for i in range(rows)]),
            "gappy": pa.array([None if 5000 <= i < 15000 else i % 50 for i in range(rows)], pa.int32()),
            "price": pa.array([decimal.Decimal(i * 37 % 100000) / 100 for i in range(rows)], pa.decimal128(12, 2)),
            "ts": pa.array([1_700_000_000_000_000 + i * 1_000_003 for i in range(rows)], pa.timestamp("us")),
        })
        pq.write_table(
            table, sys.argv[1], row_group_size=8000, data_page_size=2048, max_rows_per_page=1000,
            write_page_index=True, compression="snappy")
        """

    @Test func pyarrowPageIndexesMatchTheirPages() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "weir-pyarrow-index-\(UUID().uuidString).parquet"
        ).path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try PythonRun.run(["-c", Self.script, path])
        try #require(run.succeeded, "python3 with pyarrow must write the file: \(run.errors)")
        let bytes = try #require(FileManager.default.contents(atPath: path)).map { $0 }
        let store = InMemoryObjectStore(objects: ["pyarrow.parquet": bytes])
        let file = try await ParquetFile.open("pyarrow.parquet", in: store)
        let reader = ParquetRowGroupReader(file: file, store: store)
        let columns = Array(file.schema.columns.indices)
        #expect(file.rowGroupCount == 3)
        var sawNullPage = false
        for rowGroup in 0..<file.rowGroupCount {
            let indexes = try await reader.pageIndexes(
                rowGroup: rowGroup, columns: columns, withStatistics: Set(columns))
            let full = try await reader.read(rowGroup: rowGroup, columns: columns)
            for column in columns {
                let name = file.schema.columns[column].name
                let index = try #require(indexes[column], "\(name)")
                let pages = try ParquetWriterSamples.dataPages(file, bytes: bytes, rowGroup: rowGroup, column: column)
                #expect(pages.count > 1, "\(name)")
                #expect(index.pages.map(\.byteRange) == pages.map(\.bytes), "\(name)")
                #expect(index.pages.map(\.rows) == pages.map(\.rows), "\(name)")
                for page in index.pages {
                    let values = page.rows.map { full[column].value(at: $0) }
                    let statistics = try #require(page.statistics)
                    #expect(statistics.nullCount == values.filter(\.isNull).count, "\(name) \(page.rows)")
                    sawNullPage = sawNullPage || page.isAllNull
                    guard let extremes = ParquetWriterSamples.extremes(values) else {
                        #expect(page.isAllNull, "\(name) \(page.rows)")
                        continue
                    }
                    // pyarrow states the exact extremes (its strings here are short).
                    #expect(statistics.min == extremes.min, "\(name) \(page.rows)")
                    #expect(statistics.max == extremes.max, "\(name) \(page.rows)")
                }
                let selection = ParquetRowSelection([17..<18, 3000..<3100])
                let some = try await reader.read(
                    rowGroup: rowGroup, columns: [column], rows: selection, pageIndexes: [index])[0]
                let expected = full[column].gather(selection.ranges.flatMap { $0.map { Int32($0) } })
                #expect(
                    (0..<some.count).map { ParquetWriterSamples.comparable(some.value(at: $0)) }
                        == (0..<expected.count).map { ParquetWriterSamples.comparable(expected.value(at: $0)) },
                    "\(name)")
            }
        }
        #expect(sawNullPage, "gappy has pages of NULLs only")
    }
}
