import Engine
import Foundation
import Testing

@testable import Lakehouse

/// Files from `ParquetFileWriter` read back through Weir's reader: every type, NULLs, several
/// pages and row groups, dictionary and PLAIN pages, every codec; the footer says what the pages hold.
@Suite struct ParquetWriterTests {
    typealias Samples = ParquetWriterSamples

    /// Small pages and row groups so a few thousand rows make many of each.
    static func smallOptions(_ compression: ParquetWriterCompression, dictionary: Bool) -> ParquetWriterOptions {
        var options = ParquetWriterOptions()
        options.compression = compression
        options.dictionary = dictionary
        options.pageBytes = 2048
        options.rowGroupBytes = 256 * 1024
        return options
    }

    static let codecs: [ParquetWriterCompression] = [.uncompressed, .snappy, .gzip, .zstd]

    @Test(arguments: codecs, [true, false])
    func everyTypeRoundTrips(compression: ParquetWriterCompression, dictionary: Bool) async throws {
        let rows = Samples.rows(6000)
        let written = try Samples.write(rows, options: Self.smallOptions(compression, dictionary: dictionary))
        let (file, columns, types) = try await Samples.readBack(written.bytes)

        #expect(file.rowCount == rows.count)
        #expect(file.rowGroupCount > 1)
        #expect(file.createdBy == "weir version 0.1 (build weir)")
        #expect(types == Samples.schema.fields.map { $0.type.dataType! })
        #expect(file.schema.columns.map(\.fieldID) == Samples.schema.fields.map(\.id))
        #expect(file.schema.columns.map(\.isNullable) == Samples.schema.fields.map { !$0.required })
        for (index, field) in Samples.schema.fields.enumerated() {
            let expected = rows.map { Samples.comparable($0[index]) }
            let actual = columns[index].map(Samples.comparable)
            let mismatch = zip(actual, expected).enumerated().first { $0.element.0 != $0.element.1 }
            #expect(actual.count == expected.count, "\(field.name)")
            #expect(
                mismatch == nil,
                "\(field.name): row \(mismatch?.offset ?? -1) is \(String(describing: mismatch?.element.0)), expected \(String(describing: mismatch?.element.1))"
            )
        }

        let codec = compression.codec.rawValue
        for rowGroup in file.metadata.rowGroups {
            #expect(rowGroup.columns.allSatisfy { $0.codec == codec })
        }
        // Many pages per chunk of a column of distinct values.
        let big = try #require(file.schema.columnIndex(named: "big"))
        let bigPages = try Samples.pages(file, bytes: written.bytes, rowGroup: 0, column: big)
        #expect(bigPages.filter { if case .data = $0.kind { return true } else { return false } }.count > 2)
        // The 5-word column keeps its dictionary when dictionaries are on.
        let word = try #require(file.schema.columnIndex(named: "word"))
        let pages = try Samples.pages(file, bytes: written.bytes, rowGroup: 0, column: word)
        let encodings = file.metadata.rowGroups[0].columns[word].encodings
        if dictionary {
            guard case .dictionary(let count, _) = pages.first?.kind else {
                Issue.record("word chunk does not start with a dictionary page")
                return
            }
            #expect(count == 5)
            #expect(encodings == [ParquetEncoding.plain, .rle, .rleDictionary].map(\.rawValue))
        } else {
            #expect(encodings == [ParquetEncoding.plain, .rle].map(\.rawValue))
        }
        // A required column has no definition levels, so no RLE.
        let id = try #require(file.schema.columnIndex(named: "id"))
        #expect(!file.metadata.rowGroups[0].columns[id].encodings.contains(ParquetEncoding.rle.rawValue))
    }

    @Test func rowGroupsAndSplitOffsetsLineUp() async throws {
        let rows = Samples.rows(6000)
        let written = try Samples.write(rows, options: Self.smallOptions(.zstd, dictionary: true))
        let (file, _) = try await Samples.open(written.bytes)
        let groups = file.metadata.rowGroups
        #expect(written.recordCount == 6000)
        #expect(written.splitOffsets.count == groups.count)
        #expect(written.splitOffsets.first == 4)
        #expect(written.splitOffsets == written.splitOffsets.sorted())
        for (group, offset) in zip(groups, written.splitOffsets) {
            let first = group.columns[0]
            #expect(offset == (first.dictionaryPageOffset ?? first.dataPageOffset))
            #expect(group.fileOffset == offset)
            #expect(group.totalCompressedSize == group.columns.reduce(0) { $0 + $1.totalCompressedSize })
        }
        // Row groups are cut near the target size, not at batch boundaries.
        let sizes = groups.dropLast().map(\.totalByteSize)
        #expect(sizes.allSatisfy { $0 >= 128 * 1024 && $0 < 384 * 1024 }, "\(sizes)")
        #expect(file.rowGroupRowCounts.reduce(0, +) == 6000)
        for (index, field) in Samples.schema.fields.enumerated() {
            let chunks = groups.map { $0.columns[index].totalCompressedSize }
            #expect(written.columnSizes[field.id] == chunks.reduce(0, +), "\(field.name)")
        }
    }

    @Test func chunkStatisticsMatchTheValues() async throws {
        let rows = Samples.rows(5000)
        let written = try Samples.write(rows, options: Self.smallOptions(.snappy, dictionary: true))
        let (file, _) = try await Samples.open(written.bytes)
        var start = 0
        for (rowGroup, count) in file.rowGroupRowCounts.enumerated() {
            let slice = rows[start..<(start + count)]
            for (index, field) in Samples.schema.fields.enumerated() {
                let statistics = try #require(file.statistics(rowGroup: rowGroup, column: index))
                let values = slice.map { $0[index] }
                #expect(statistics.nullCount == values.filter(\.isNull).count, "\(field.name)")
                // Nanosecond timestamps and uuids come back in the engine's form (microseconds, text),
                // whose order is the stored one.
                guard let extremes = Samples.extremes(values) else { continue }
                #expect(statistics.min == extremes.min, "\(field.name) min in row group \(rowGroup)")
                #expect(statistics.max == extremes.max, "\(field.name) max in row group \(rowGroup)")
            }
            start += count
        }
    }

    @Test func metricsAreIcebergs() throws {
        let rows = Samples.rows(3000)
        let written = try Samples.write(rows, options: Self.smallOptions(.zstd, dictionary: true))
        for (index, field) in Samples.schema.fields.enumerated() {
            let values = rows.map { $0[index] }
            #expect(written.valueCounts[field.id] == 3000, "\(field.name)")
            #expect(written.nullValueCounts[field.id] == Int64(values.filter(\.isNull).count), "\(field.name)")
            let nans = values.filter {
                if case .float32(let value) = $0 { return value.isNaN }
                return false
            }
            #expect(
                written.nanValueCounts[field.id]
                    == (field.type == .float || field.type == .double ? Int64(nans.count) : nil))
            let lower = try #require(written.lowerBounds[field.id], "\(field.name)")
            let upper = try #require(written.upperBounds[field.id], "\(field.name)")
            // Decoding floors nanosecond bounds to the engine's microseconds and turns uuid bytes into
            // canonical text, whose order is the byte order.
            let expected = try #require(Samples.extremes(values))
            #expect(SingleValueSerialization.decode(lower, as: field.type) == expected.min, "\(field.name) lower bound")
            #expect(SingleValueSerialization.decode(upper, as: field.type) == expected.max, "\(field.name) upper bound")
        }
        #expect(SingleValueSerialization.decode(written.upperBounds[15] ?? [], as: .string) == .text("ε-psilon"))
        // Decimals take the fewest bytes: the smallest `huge`, -299 × 123456789012345678901234 ≈ -2^84.9,
        // needs 86 bits and a sign, 11 bytes. Nanosecond bounds are 8 bytes of nanoseconds.
        #expect(written.lowerBounds[8] == DecimalLayout.minimalBigEndian(-299 * 123_456_789_012_345_678_901_234))
        #expect(written.lowerBounds[8]?.count == 11)
        #expect(
            written.lowerBounds[13] == withUnsafeBytes(of: Int64(1_600_000_000_000_001_000).littleEndian) { Array($0) })
    }

    @Test func stringAndBinaryBoundsAreTruncatedToSixteen() throws {
        let schema = IcebergSchema(
            schemaID: 0,
            fields: [
                NestedField(id: 1, name: "s", type: .string, required: false),
                NestedField(id: 2, name: "b", type: .binary, required: false),
                NestedField(id: 3, name: "top", type: .string, required: false),
                NestedField(id: 4, name: "ff", type: .binary, required: false),
                NestedField(id: 5, name: "short", type: .string, required: false),
            ])
        let accents = String(repeating: "é", count: 20)
        let rows: [[Value]] = [
            [
                .text("abcdefghijklmnopqrstuvwxyz"), .bytes(Array(0..<20)),
                .text(String(repeating: "\u{10FFFF}", count: 17)), .bytes([0x01] + Array(repeating: 0xFF, count: 19)),
                .text("b"),
            ],
            [.text(accents), .bytes([1, 2, 3]), .null, .bytes(Array(repeating: 0xFF, count: 17)), .text("a")],
            [.null, .null, .null, .null, .null],
        ]
        let written = try Samples.write(rows, schema: schema, options: ParquetWriterOptions())
        #expect(written.lowerBounds[1] == Array("abcdefghijklmnop".utf8))
        // 20 × "é" sorts after the alphabet; its truncation keeps 16 code points and rounds the last up to "ê".
        #expect(written.upperBounds[1] == Array((String(repeating: "é", count: 15) + "ê").utf8))
        #expect(written.lowerBounds[2] == Array(0..<16))
        #expect(written.upperBounds[2] == [1, 2, 3])
        #expect(written.lowerBounds[3] == Array(String(repeating: "\u{10FFFF}", count: 16).utf8))
        #expect(written.upperBounds[3] == nil, "no code point follows U+10FFFF")
        #expect(written.lowerBounds[4] == [0x01] + Array(repeating: 0xFF, count: 15))
        #expect(written.upperBounds[4] == nil, "seventeen 0xFF bytes have no upper bound in sixteen")
        #expect(written.lowerBounds[5] == Array("a".utf8) && written.upperBounds[5] == Array("b".utf8))
        #expect(written.nullValueCounts == [1: 1, 2: 1, 3: 2, 4: 1, 5: 1])
    }

    @Test func dictionaryFallsBackToPlainWhenItStopsPaying() async throws {
        let schema = IcebergSchema(schemaID: 0, fields: [NestedField(id: 1, name: "s", type: .string, required: true)])
        // 3000 rows from four words, then 3000 distinct ones that outgrow a 4 KiB dictionary.
        let words = (0..<6000).map { row -> [Value] in [.text(row < 3000 ? "word-\(row % 4)" : "distinct-value-\(row)")]
        }
        var options = Self.smallOptions(.zstd, dictionary: true)
        options.rowGroupBytes = 1 << 30
        options.dictionaryPageBytes = 4096
        let written = try Samples.write(words, schema: schema, options: options)
        let (file, columns, _) = try await Samples.readBack(written.bytes)
        #expect(columns[0] == words.map { $0[0] })
        #expect(file.rowGroupCount == 1)
        let pages = try Samples.pages(file, bytes: written.bytes, rowGroup: 0, column: 0)
        let encodings = pages.compactMap { page -> Int32? in
            if case .data(_, let encoding, _) = page.kind { return encoding }
            return nil
        }
        guard case .dictionary(let count, _) = pages.first?.kind else {
            Issue.record("no dictionary page first")
            return
        }
        #expect(count > 4 && count < 300, "the dictionary stops near its 4 KiB limit")
        #expect(encodings.first == ParquetEncoding.rleDictionary.rawValue)
        #expect(encodings.last == ParquetEncoding.plain.rawValue)
        let firstPlain = try #require(encodings.firstIndex(of: ParquetEncoding.plain.rawValue))
        #expect(encodings[..<firstPlain].allSatisfy { $0 == ParquetEncoding.rleDictionary.rawValue })
        #expect(encodings[firstPlain...].allSatisfy { $0 == ParquetEncoding.plain.rawValue })
        #expect(
            file.metadata.rowGroups[0].columns[0].encodings == [ParquetEncoding.plain, .rleDictionary].map(\.rawValue))
    }

    @Test func distinctValuesNeverGetADictionary() async throws {
        let schema = IcebergSchema(
            schemaID: 0,
            fields: [
                NestedField(id: 1, name: "n", type: .long, required: true),
                NestedField(id: 2, name: "few", type: .long, required: true),
            ])
        let rows = (0..<5000).map { row -> [Value] in [.int64(Int64(row) * 7919), .int64(Int64(row % 3))] }
        let written = try Samples.write(
            rows, schema: schema, options: Self.smallOptions(.uncompressed, dictionary: true))
        let (file, columns, _) = try await Samples.readBack(written.bytes)
        #expect(columns[0] == rows.map { $0[0] } && columns[1] == rows.map { $0[1] })
        for group in file.metadata.rowGroups {
            #expect(group.columns[0].dictionaryPageOffset == nil)
            #expect(group.columns[0].encodings == [ParquetEncoding.plain.rawValue])
            #expect(group.columns[1].dictionaryPageOffset != nil)
            #expect(group.columns[1].encodings == [ParquetEncoding.plain, .rleDictionary].map(\.rawValue))
        }
    }

    @Test func estimatedSizeGrowsTowardTheFileSize() throws {
        var options = ParquetWriterOptions()
        options.rowGroupBytes = 256 * 1024
        let writer = try ParquetFileWriter(schema: Samples.schema, options: options)
        #expect(writer.estimatedSize == 4)
        var previous = writer.estimatedSize
        for start in stride(from: 0, to: 20000, by: 4000) {
            try writer.write(Samples.batch((start..<start + 4000).map { Samples.row(Int64($0), distinctWords: nil) }))
            #expect(writer.estimatedSize > previous)
            previous = writer.estimatedSize
        }
        let written = try writer.finish()
        // Buffered pages are counted uncompressed, so the estimate stays above the compressed result,
        // within the footer's size of it.
        #expect(previous > written.bytes.count / 2)
        #expect(previous < written.bytes.count * 4)
        #expect(throws: LakehouseError.self) { try writer.write(Samples.batch([])) }
    }

    @Test func emptyFileIsValid() async throws {
        let written = try ParquetFileWriter(schema: Samples.schema).finish()
        let (file, columns, _) = try await Samples.readBack(written.bytes)
        #expect(file.rowCount == 0 && file.rowGroupCount == 0)
        #expect(columns.allSatisfy { $0.isEmpty })
        #expect(written.recordCount == 0 && written.splitOffsets.isEmpty && written.lowerBounds.isEmpty)
        #expect(written.valueCounts[1] == 0)
    }

    // MARK: - Bad input

    @Test func nullInARequiredColumnNamesIt() throws {
        let writer = try ParquetFileWriter(schema: Samples.schema)
        var rows = Samples.rows(10)
        rows[4][6] = .null
        let error = try #require(throws: LakehouseError.self) { try writer.write(Samples.batch(rows)) }
        #expect(error.sqlState == .notNullViolation)
        #expect(error.message.contains("\"balance\""))
        // Nothing was written, so the writer still works.
        try writer.write(Samples.batch(Samples.rows(10)))
        #expect(try writer.finish().recordCount == 10)
    }

    @Test func nestedFieldsAreUnsupported() {
        let schema = IcebergSchema(
            schemaID: 0,
            fields: [
                NestedField(id: 1, name: "id", type: .int, required: true),
                NestedField(
                    id: 2, name: "tags", type: .list(elementID: 3, element: .string, elementRequired: false),
                    required: false),
            ])
        let error = #expect(throws: LakehouseError.self) { try ParquetFileWriter(schema: schema) }
        #expect(error?.sqlState == .featureNotSupported)
        #expect(error?.message.contains("\"tags\"") == true)
    }

    @Test func valuesTheTypeCannotHoldAreRejectedBeforeWriting() throws {
        func attempt(_ field: NestedField, _ value: Value) throws -> LakehouseError? {
            let schema = IcebergSchema(schemaID: 0, fields: [field])
            let writer = try ParquetFileWriter(schema: schema)
            let column = Column(type: field.type.dataType!, values: [value])
            return #expect(throws: LakehouseError.self) { try writer.write(Batch(columns: [column], rowCount: 1)) }
        }
        let decimal = NestedField(id: 1, name: "d", type: .decimal(precision: 4, scale: 2), required: false)
        #expect(try attempt(decimal, .decimal(10_000))?.sqlState == .numericValueOutOfRange)
        let uuid = NestedField(id: 1, name: "u", type: .uuid, required: false)
        #expect(try attempt(uuid, .text("not-a-uuid"))?.sqlState == .invalidTextRepresentation)
        let fixed = NestedField(id: 1, name: "f", type: .fixed(length: 3), required: false)
        #expect(try attempt(fixed, .bytes([1, 2]))?.sqlState == .stringDataLengthMismatch)
        let nanos = NestedField(id: 1, name: "n", type: .timestampNanos, required: false)
        #expect(try attempt(nanos, .int64(Int64.max / 100))?.sqlState == .datetimeFieldOverflow)

        let writer = try ParquetFileWriter(schema: IcebergSchema(schemaID: 0, fields: [decimal]))
        let wrongScale = Column(type: .numeric(precision: 4, scale: 3), values: [.decimal(1)])
        let mismatch = #expect(throws: LakehouseError.self) {
            try writer.write(Batch(columns: [wrongScale], rowCount: 1))
        }
        #expect(mismatch?.sqlState == .datatypeMismatch)
    }
}
