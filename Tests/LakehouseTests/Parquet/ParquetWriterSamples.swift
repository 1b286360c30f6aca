import Engine
import Foundation
import Testing

@testable import Lakehouse

/// A table with a column of every Iceberg primitive type, required and optional, for the writer
/// tests: deterministic rows (NULLs, NaNs, negative numbers, multi-byte text) and helpers that read
/// a written file back through Weir's reader.
enum ParquetWriterSamples {
    static let schema = IcebergSchema(
        schemaID: 0,
        fields: [
            NestedField(id: 1, name: "flag", type: .boolean, required: false),
            NestedField(id: 2, name: "id", type: .int, required: true),
            NestedField(id: 3, name: "big", type: .long, required: false),
            NestedField(id: 4, name: "ratio", type: .float, required: false),
            NestedField(id: 5, name: "amount", type: .double, required: false),
            NestedField(id: 6, name: "price", type: .decimal(precision: 9, scale: 2), required: false),
            NestedField(id: 7, name: "balance", type: .decimal(precision: 18, scale: 4), required: true),
            NestedField(id: 8, name: "huge", type: .decimal(precision: 38, scale: 10), required: false),
            NestedField(id: 9, name: "day", type: .date, required: false),
            NestedField(id: 10, name: "clock", type: .time, required: false),
            NestedField(id: 11, name: "local_ts", type: .timestamp, required: false),
            NestedField(id: 12, name: "utc_ts", type: .timestamptz, required: false),
            NestedField(id: 13, name: "local_ns", type: .timestampNanos, required: false),
            NestedField(id: 14, name: "utc_ns", type: .timestamptzNanos, required: true),
            NestedField(id: 15, name: "word", type: .string, required: false),
            NestedField(id: 16, name: "token", type: .uuid, required: false),
            NestedField(id: 17, name: "code", type: .fixed(length: 4), required: false),
            NestedField(id: 18, name: "blob", type: .binary, required: false),
        ])

    /// How many distinct strings `word` cycles through; `nil` makes every one unique.
    static func rows(_ count: Int, distinctWords: Int? = 5) -> [[Value]] {
        (0..<count).map { row(Int64($0), distinctWords: distinctWords) }
    }

    static func row(_ r: Int64, distinctWords: Int?) -> [Value] {
        let words = ["alpha", "beta", "gamma", "délta", "ε-psilon", "zeta-zeta-zeta-zeta-long"]
        func nullEvery(_ period: Int64, _ value: Value) -> Value { r % period == 0 ? .null : value }
        let word = distinctWords.map { words[Int(r) % min($0, words.count)] } ?? "unique-\(r * 7919 % 100_003)"
        let uuid = String(
            format: "%08x-0000-4000-8000-%012llx", UInt32(truncatingIfNeeded: r &* 2_654_435_761), UInt64(r))
        return [
            nullEvery(7, .bool(r % 3 == 0)),
            .int32(Int32(r) * 7 - 5000),
            nullEvery(11, .int64(r * 1_000_003 - 12_345_678)),
            r % 13 == 0 ? .null : (r % 17 == 0 ? .float32(.nan) : .float32(Float(r % 100) * 0.25 - 10)),
            nullEvery(5, .float64(Double(r) * 0.5 - 100.25)),
            nullEvery(9, .decimal(Int128(r * 137 % 1_000_000) - 500_000)),
            .decimal(Int128(r) * 1_000_000_007 - 9_000_000_000),
            nullEvery(4, .decimal((Int128(r) - 300) * 123_456_789_012_345_678_901_234)),
            nullEvery(10, .int32(Int32(19_000 + r % 400) - 20_000)),
            nullEvery(12, .int64(r * 1_000_003 % 86_400_000_000)),
            nullEvery(3, .int64(1_700_000_000_000_000 + r * 1_000_001)),
            nullEvery(14, .int64(-1_000_000 + r * 3_600_000_000)),
            nullEvery(15, .int64(1_600_000_000_000_000 + r)),
            .int64(-86_400_000_000 + r * 999),
            nullEvery(6, .text(word)),
            nullEvery(8, .text(uuid)),
            nullEvery(
                16,
                .bytes([
                    UInt8(truncatingIfNeeded: r >> 24), UInt8(truncatingIfNeeded: r >> 16),
                    UInt8(truncatingIfNeeded: r >> 8), UInt8(truncatingIfNeeded: r),
                ])),
            nullEvery(10, .bytes((0..<Int(r % 5)).map { UInt8(truncatingIfNeeded: Int(r) + $0 * 31) })),
        ]
    }

    /// Rows as a batch of the schema's engine types.
    static func batch(_ rows: [[Value]], schema: IcebergSchema = schema) -> Batch {
        let columns = schema.fields.indices.map { index in
            Column(type: schema.fields[index].type.dataType!, values: rows.map { $0[index] })
        }
        return Batch(columns: columns, rowCount: rows.count)
    }

    /// Writes `rows` in batches of the given sizes (cycled), then finishes the file.
    static func write(
        _ rows: [[Value]], schema: IcebergSchema = schema, options: ParquetWriterOptions,
        batchSizes: [Int] = [1000, 37, 2500]
    ) throws -> ParquetWrittenFile {
        let writer = try ParquetFileWriter(schema: schema, options: options)
        var start = 0
        var turn = 0
        while start < rows.count {
            let end = min(rows.count, start + batchSizes[turn % batchSizes.count])
            try writer.write(batch(Array(rows[start..<end]), schema: schema))
            start = end
            turn += 1
        }
        return try writer.finish()
    }

    /// Opens written bytes with Weir's reader.
    static func open(_ bytes: [UInt8]) async throws -> (ParquetFile, InMemoryObjectStore) {
        let store = InMemoryObjectStore(objects: ["written.parquet": bytes])
        return (try await ParquetFile.open("written.parquet", in: store), store)
    }

    /// Every value of every column, read back row group by row group.
    static func readBack(_ bytes: [UInt8]) async throws -> (file: ParquetFile, columns: [[Value]], types: [DataType]) {
        let (file, store) = try await open(bytes)
        let reader = ParquetRowGroupReader(file: file, store: store)
        let indices = Array(file.schema.columns.indices)
        var columns = Array(repeating: [Value](), count: indices.count)
        var types: [DataType] = []
        for rowGroup in 0..<file.rowGroupCount {
            let decoded = try await reader.read(rowGroup: rowGroup, columns: indices)
            types = decoded.map(\.type)
            for (index, column) in decoded.enumerated() {
                columns[index] += (0..<column.count).map { column.value(at: $0) }
            }
        }
        return (file, columns, types)
    }

    /// The headers of every page of one column chunk, walked from its first page.
    static func pages(_ file: ParquetFile, bytes: [UInt8], rowGroup: Int, column: Int) throws -> [PageHeader] {
        try walkPages(file, bytes: bytes, rowGroup: rowGroup, column: column).map(\.header)
    }

    /// The data pages of one chunk as its page headers say: byte range (header included) and rows.
    static func dataPages(_ file: ParquetFile, bytes: [UInt8], rowGroup: Int, column: Int) throws -> [(
        bytes: Range<Int>, rows: Range<Int>
    )] {
        var row = 0
        return try walkPages(file, bytes: bytes, rowGroup: rowGroup, column: column).compactMap { page in
            guard case .data(let count, _, _) = page.header.kind else { return nil }
            defer { row += count }
            return (page.bytes, row..<(row + count))
        }
    }

    /// Every page of one column chunk with the bytes it takes (header included).
    private static func walkPages(_ file: ParquetFile, bytes: [UInt8], rowGroup: Int, column: Int) throws -> [(
        header: PageHeader, bytes: Range<Int>
    )] {
        let range = try file.metadata.rowGroups[rowGroup].columns[column].byteRange()
        var pages: [(header: PageHeader, bytes: Range<Int>)] = []
        try bytes.withUnsafeBytes { raw in
            var position = range.lowerBound
            while position < range.upperBound {
                var reader = ThriftCompactReader(raw, position: position)
                let header = try PageHeader.decode(&reader)
                let end = reader.position + header.compressedSize
                pages.append((header, position..<end))
                position = end
            }
            #expect(position == range.upperBound)
        }
        return pages
    }

    /// Values with NaN made comparable (NaN == NaN), for checking round trips.
    static func comparable(_ value: Value) -> Value {
        switch value {
        case .float32(let number) where number.isNaN: return .bytes(Array("NaN".utf8))
        case .float64(let number) where number.isNaN: return .bytes(Array("NaN".utf8))
        default: return value
        }
    }

    /// Orders non-NULL values of one engine type the way Iceberg bounds do (bytes unsigned); NaN is left out.
    static func extremes(_ values: [Value]) -> (min: Value, max: Value)? {
        let present = values.filter {
            switch $0 {
            case .null: return false
            case .float32(let number): return !number.isNaN
            case .float64(let number): return !number.isNaN
            default: return true
            }
        }
        guard let first = present.first else { return nil }
        return present.dropFirst().reduce((first, first)) { bounds, value in
            (isLess(value, bounds.0) ? value : bounds.0, isLess(bounds.1, value) ? value : bounds.1)
        }
    }

    static func isLess(_ lhs: Value, _ rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case (.bool(let a), .bool(let b)): return !a && b
        case (.int32(let a), .int32(let b)): return a < b
        case (.int64(let a), .int64(let b)): return a < b
        case (.float32(let a), .float32(let b)): return a < b
        case (.float64(let a), .float64(let b)): return a < b
        case (.decimal(let a), .decimal(let b)): return a < b
        case (.bytes(let a), .bytes(let b)): return a.lexicographicallyPrecedes(b)
        default: return false
        }
    }
}
