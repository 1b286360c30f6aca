import Engine
import Foundation
import Testing

@testable import Lakehouse

/// The page index `ParquetFileWriter` writes (a column index and an offset index per column chunk)
/// read back with Weir's reader and checked against the pages themselves; reads of some rows only
/// decode the pages holding them.
@Suite struct ParquetPageIndexTests {
    typealias Samples = ParquetWriterSamples

    /// The raw column index of one chunk, as the footer locates it.
    static func columnIndex(_ file: ParquetFile, bytes: [UInt8], rowGroup: Int, column: Int) throws
        -> ColumnIndexMetaData?
    {
        guard let range = try file.metadata.rowGroups[rowGroup].columns[column].columnIndexRange(fileSize: bytes.count)
        else { return nil }
        return try Array(bytes[range]).withUnsafeBytes { raw in
            var reader = ThriftCompactReader(raw)
            return try ColumnIndexMetaData.decode(&reader)
        }
    }

    @Test(arguments: [ParquetWriterCompression.zstd, .uncompressed], [true, false])
    func pageIndexDescribesEveryPage(compression: ParquetWriterCompression, dictionary: Bool) async throws {
        let rows = Samples.rows(6000)
        let written = try Samples.write(
            rows, options: ParquetWriterTests.smallOptions(compression, dictionary: dictionary))
        let (file, store) = try await Samples.open(written.bytes)
        let reader = ParquetRowGroupReader(file: file, store: store)
        let columns = Array(file.schema.columns.indices)
        var pageCount = 0
        var firstRow = 0
        for rowGroup in 0..<file.rowGroupCount {
            let rowCount = file.rowGroupRowCounts[rowGroup]
            let indexes = try await reader.pageIndexes(
                rowGroup: rowGroup, columns: columns, withStatistics: Set(columns))
            for column in columns {
                let name = file.schema.columns[column].name
                #expect(file.pageIndexPresence(rowGroup: rowGroup, column: column) == (true, true), "\(name)")
                let index = try #require(indexes[column], "\(name)")
                #expect(index.hasStatistics)
                let pages = try Samples.dataPages(file, bytes: written.bytes, rowGroup: rowGroup, column: column)
                #expect(index.pages.map(\.byteRange) == pages.map(\.bytes), "\(name)")
                #expect(index.pages.map(\.rows) == pages.map(\.rows), "\(name)")
                #expect(pages.last?.rows.upperBound == rowCount)
                pageCount += pages.count
                // Each page's rows, read alone, have the bounds and NULLs the column index states.
                for page in index.pages {
                    let read = try await reader.read(
                        rowGroup: rowGroup, columns: [column], rows: ParquetRowSelection([page.rows]),
                        pageIndexes: [index])[0]
                    let values = (0..<read.count).map { read.value(at: $0) }
                    let written = rows[(firstRow + page.rows.lowerBound)..<(firstRow + page.rows.upperBound)]
                    #expect(
                        values.map(Samples.comparable) == written.map { Samples.comparable($0[column]) },
                        "\(name) rows \(page.rows)")
                    let statistics = try #require(page.statistics)
                    let nulls = values.filter(\.isNull).count
                    #expect(statistics.nullCount == nulls, "\(name) rows \(page.rows)")
                    #expect(page.isAllNull == (nulls == values.count))
                    let extremes = Samples.extremes(values)
                    #expect(statistics.min == extremes?.min, "\(name) rows \(page.rows)")
                    #expect(statistics.max == extremes?.max, "\(name) rows \(page.rows)")
                }
            }
            firstRow += rowCount
        }
        #expect(pageCount > columns.count * file.rowGroupCount * 3, "small pages make many pages per chunk")
        // `id` grows row by row, so its pages' bounds ascend.
        let id = try #require(file.schema.columnIndex(named: "id"))
        #expect(try Self.columnIndex(file, bytes: written.bytes, rowGroup: 0, column: id)?.boundaryOrder == .ascending)
    }

    @Test func boundaryOrdersNullPagesAndUnstatableBounds() async throws {
        let schema = IcebergSchema(
            schemaID: 0,
            fields: [
                NestedField(id: 1, name: "up", type: .long, required: true),
                NestedField(id: 2, name: "down", type: .string, required: true),
                NestedField(id: 3, name: "gappy", type: .int, required: false),
                NestedField(id: 4, name: "nan", type: .double, required: false),
                NestedField(id: 5, name: "long_text", type: .string, required: false),
                NestedField(id: 6, name: "steps", type: .int, required: true),
            ])
        let count = 30_000
        let rows: [[Value]] = (0..<count).map { row in
            [
                .int64(Int64(row)),
                .text(String(format: "k%06d", count - row)),
                // NULL throughout rows 5000..<25000: NULLs take a bit each, so only the row limit
                // cuts the pages there, and some hold only NULLs.
                (5000..<25000).contains(row) ? .null : .int32(Int32(row % 10)),
                // NaN only in rows 2000..<2500: those pages have no bounds to state.
                (2000..<2500).contains(row) ? .float64(.nan) : .float64(Double(row)),
                // One value longer than the statistics keep.
                row == 4000 ? .text(String(repeating: "x", count: 5000)) : .text("short"),
                // Levels of 1000 rows each, up and down.
                .int32(Int32([5, 1, 9, 3][(row / 1000) % 4] * 1000 + row % 10)),
            ]
        }
        var options = ParquetWriterOptions()
        options.pageBytes = 1024
        options.dictionary = false
        let written = try Samples.write(rows, schema: schema, options: options)
        let (file, _) = try await Samples.open(written.bytes)
        #expect(file.rowGroupCount == 1)
        func index(_ column: Int) throws -> ColumnIndexMetaData? {
            try Self.columnIndex(file, bytes: written.bytes, rowGroup: 0, column: column)
        }
        #expect(try index(0)?.boundaryOrder == .ascending)
        #expect(try index(1)?.boundaryOrder == .descending)
        #expect(try index(5)?.boundaryOrder == .unordered)
        let gappy = try #require(try index(2))
        let pages = try Samples.dataPages(file, bytes: written.bytes, rowGroup: 0, column: 2)
        #expect(gappy.nullPages.count == pages.count)
        for (page, isNull) in zip(pages, gappy.nullPages) {
            let allNull = page.rows.lowerBound >= 5000 && page.rows.upperBound <= 25000
            #expect(isNull == allNull, "rows \(page.rows)")
        }
        #expect(gappy.nullPages.contains(true))
        for page in gappy.nullPages.indices where gappy.nullPages[page] {
            #expect(gappy.minValues[page].isEmpty && gappy.maxValues[page].isEmpty)
            #expect(gappy.nullCounts?[page] == Int64(pages[page].rows.count))
        }
        // A page of NaN only, or a bound over 4096 bytes, leaves the chunk without a column index
        // (as it leaves chunk statistics without bounds), but the offset index stays.
        #expect(try index(3) == nil)
        #expect(try index(4) == nil)
        #expect(file.pageIndexPresence(rowGroup: 0, column: 3) == (true, false))
        #expect(file.pageIndexPresence(rowGroup: 0, column: 4) == (true, false))
    }

    @Test func pagesHoldAtMostTwentyThousandRows() async throws {
        let schema = IcebergSchema(schemaID: 0, fields: [NestedField(id: 1, name: "flag", type: .int, required: true)])
        let rows: [[Value]] = (0..<100_000).map { [.int32(Int32($0 / 30_000))] }
        let written = try Samples.write(rows, schema: schema, options: ParquetWriterOptions(), batchSizes: [8192])
        let (file, _) = try await Samples.open(written.bytes)
        let pages = try Samples.dataPages(file, bytes: written.bytes, rowGroup: 0, column: 0)
        #expect(pages.count == 5)
        #expect(pages.allSatisfy { $0.rows.count <= 20_000 })
    }

    @Test func selectedRowsDecodeOnlyTheirPages() async throws {
        let rows = Samples.rows(6000)
        let written = try Samples.write(rows, options: ParquetWriterTests.smallOptions(.zstd, dictionary: true))
        let (file, store) = try await Samples.open(written.bytes)
        let columns = Array(file.schema.columns.indices)
        let full = try await ParquetRowGroupReader(file: file, store: store).read(rowGroup: 0, columns: columns)
        let indexes = try await ParquetRowGroupReader(file: file, store: store)
            .pageIndexes(rowGroup: 0, columns: columns, withStatistics: [])
        let counters = ParquetReadCounters()
        let reader = ParquetRowGroupReader(file: file, store: store, counters: counters)
        #expect(indexes.allSatisfy { $0 != nil && !$0!.hasStatistics })
        let rowCount = file.rowGroupRowCounts[0]
        let selection = ParquetRowSelection([
            3..<40, 700..<701, (rowCount / 2)..<(rowCount / 2 + 300), (rowCount - 5)..<rowCount,
        ])
        let partial = try await reader.read(rowGroup: 0, columns: columns, rows: selection, pageIndexes: indexes)
        let positions = selection.ranges.flatMap { $0.map { Int32($0) } }
        for column in columns {
            let expected = full[column].gather(positions)
            #expect(partial[column].count == selection.rowCount)
            #expect(
                (0..<expected.count).map { Samples.comparable(partial[column].value(at: $0)) }
                    == (0..<expected.count).map { Samples.comparable(expected.value(at: $0)) },
                "\(file.schema.columns[column].name)")
        }
        let counts = counters.counts
        let totalPages = indexes.reduce(0) { $0 + $1!.pages.count }
        #expect(counts.pagesSkipped > totalPages / 3, "\(counts)")
        #expect(counts.pagesRead + counts.pagesSkipped == totalPages)
        // Pages are small here, so the skipped ones between wanted ones are fetched with them.
        let chunkBytes = try reader.byteRanges(rowGroup: 0, columns: columns).reduce(0) { $0 + $1.count }
        #expect(counts.bytesFetched <= chunkBytes, "\(counts)")
    }

    @Test func dictionaryPagesReadAlone() async throws {
        let rows = Samples.rows(3000)
        let written = try Samples.write(rows, options: ParquetWriterTests.smallOptions(.snappy, dictionary: true))
        let (file, store) = try await Samples.open(written.bytes)
        let reader = ParquetRowGroupReader(file: file, store: store)
        let word = try #require(file.schema.columnIndex(named: "word"))
        let size = try #require(file.dictionaryPageSize(rowGroup: 0, column: word))
        #expect(size.dictionaryBytes < size.chunkBytes)
        let dictionary = try #require(try await reader.dictionary(rowGroup: 0, column: word))
        #expect(
            Set((0..<dictionary.count).map { dictionary.value(at: $0) })
                == Set(["alpha", "beta", "gamma", "délta", "ε-psilon"].map(Value.text)))
        // Distinct values never get a dictionary, so there is none to read.
        let id = try #require(file.schema.columnIndex(named: "id"))
        #expect(file.dictionaryPageSize(rowGroup: 0, column: id) == nil)
        #expect(try await reader.dictionary(rowGroup: 0, column: id) == nil)
    }

    /// Damaged page index bytes fail with XX001 naming the file and the column, or (when the
    /// damage still decodes to a valid index) read; nothing crashes.
    @Test func corruptPageIndexesFailCleanly() async throws {
        let rows = Samples.rows(4000)
        let written = try Samples.write(rows, options: ParquetWriterTests.smallOptions(.zstd, dictionary: true))
        let location = "s3://bucket/indexed.parquet"
        let (file, _) = try await Samples.open(written.bytes)
        let chunks = file.metadata.rowGroups.flatMap(\.columns)
        let indexStart = try #require(chunks.compactMap(\.columnIndexOffset).min())
        let indexEnd = try #require(
            chunks.compactMap { chunk in chunk.offsetIndexOffset.map { $0 + Int64(chunk.offsetIndexLength!) } }.max())
        let region = Int(indexStart)..<Int(indexEnd)

        func readSome(_ bytes: [UInt8]) async throws {
            let store = InMemoryObjectStore(objects: [location: bytes])
            let file = try await ParquetFile.open(location, in: store)
            let reader = ParquetRowGroupReader(file: file, store: store)
            let columns = file.schema.columns.indices.filter { file.schema.columns[$0].unsupportedReason == nil }
            for rowGroup in 0..<file.rowGroupCount {
                let indexes = try await reader.pageIndexes(
                    rowGroup: rowGroup, columns: columns, withStatistics: Set(columns))
                let rowCount = file.rowGroupRowCounts[rowGroup]
                _ = try await reader.read(
                    rowGroup: rowGroup, columns: columns,
                    rows: ParquetRowSelection([0..<1, (rowCount / 2)..<(rowCount / 2 + 10)]),
                    pageIndexes: indexes)
            }
        }
        try await readSome(written.bytes)

        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        var corrupt = 0
        for _ in 0..<80 {
            var damaged = written.bytes
            for _ in 0..<2 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                damaged[region.lowerBound + Int((state >> 33) % UInt64(region.count))] ^=
                    UInt8(truncatingIfNeeded: state >> 20) | 1
            }
            do {
                try await readSome(damaged)
            } catch let error as LakehouseError {
                #expect(error.sqlState == .dataCorrupted, "\(error)")
                #expect(error.message.contains("\"\(location)\": column \""), "\(error)")
                corrupt += 1
            }
        }
        #expect(corrupt > 0)

        // An offset index whose pages overlap is named as such.
        let big = try #require(file.schema.columnIndex(named: "big"))
        let firstChunk = file.metadata.rowGroups[0].columns[big]
        var moved = written.bytes
        let offsetRange = try #require(try firstChunk.offsetIndexRange(fileSize: moved.count))
        var offsetIndex = try Array(moved[offsetRange]).withUnsafeBytes { raw in
            var reader = ThriftCompactReader(raw)
            return try OffsetIndexMetaData.decode(&reader)
        }
        offsetIndex.pageLocations[1].offset = offsetIndex.pageLocations[0].offset
        let replacement = offsetIndex.encoded()
        // Same length (a varint of the same width), so the footer still points at it.
        try #require(replacement.count == offsetRange.count)
        moved.replaceSubrange(offsetRange, with: replacement)
        do {
            try await readSome(moved)
            Issue.record("an offset index pointing outside its chunk was accepted")
        } catch let error as LakehouseError {
            #expect(error.sqlState == .dataCorrupted)
            #expect(
                error.message.contains("column \"big\": row group 0: invalid page index: offset index page 1"),
                "\(error)")
        }
    }
}
