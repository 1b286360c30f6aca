import Engine
import Foundation
import Testing

@testable import Lakehouse

/// Files from `ParquetFileWriter` read by pyarrow and DuckDB, the readers Iceberg users point at
/// them: same values, Iceberg field ids on every column, the logical types of the Iceberg spec's
/// Parquet mapping, statistics, a page index on every column chunk, and DuckDB aggregates over the
/// file. pyarrow and duckdb are installed by `make deps`; without them these tests fail rather than
/// skip.
@Suite struct ParquetWriterInteropTests {
    typealias Samples = ParquetWriterSamples

    /// Prints what pyarrow and DuckDB make of the file at argv[1], as JSON; each value in a canonical
    /// text form (temporal values as their stored integers, bytes as hex, NaN as "NaN").
    static let script = """
        import json, sys, uuid
        import duckdb
        import pyarrow as pa
        import pyarrow.parquet as pq

        path = sys.argv[1]
        parquet = pq.ParquetFile(path)
        table = parquet.read()

        def canonical(value, kind):
            if value is None:
                return None
            if pa.types.is_boolean(kind):
                return "true" if value else "false"
            if pa.types.is_floating(kind):
                return "NaN" if value != value else repr(value)
            if pa.types.is_decimal(kind):
                return format(value, "f")
            if isinstance(value, uuid.UUID):
                return value.bytes.hex()
            if isinstance(value, (bytes, bytearray)):
                return value.hex()
            return str(value)

        columns = {}
        for index, field in enumerate(table.schema):
            column = table.column(index)
            if pa.types.is_date32(field.type):
                column = column.cast(pa.int32())
            elif pa.types.is_time64(field.type) or pa.types.is_timestamp(field.type):
                column = column.cast(pa.int64())
            columns[field.name] = [canonical(value, column.type) for value in column.to_pylist()]

        metadata = parquet.metadata
        statistics = {}
        for index in range(metadata.num_columns):
            chunk = metadata.row_group(0).column(index)
            stats = chunk.statistics
            statistics[chunk.path_in_schema] = {
                "has_min_max": stats.has_min_max,
                "null_count": stats.null_count,
                "min": str(stats.min) if stats.has_min_max else None,
                "max": str(stats.max) if stats.has_min_max else None,
            }

        page_index = [
            [metadata.row_group(group).column(index).has_column_index, metadata.row_group(group).column(index).has_offset_index]
            for group in range(metadata.num_row_groups)
            for index in range(metadata.num_columns)
        ]

        connection = duckdb.connect()
        aggregates = connection.execute(
            "select count(*), count(word), sum(big), sum(id), sum(price), count(*) filter (where word = 'délta'), "
            "epoch_us(min(local_ts)), max(token)::varchar from read_parquet(?)",
            [path],
        ).fetchone()

        print(json.dumps({
            "types": [str(field.type) for field in table.schema],
            "field_ids": [int(field.metadata[b"PARQUET:field_id"]) for field in table.schema],
            "nullable": [field.nullable for field in table.schema],
            "rows": metadata.num_rows,
            "row_groups": metadata.num_row_groups,
            "codec": metadata.row_group(0).column(0).compression,
            "created_by": metadata.created_by,
            "columns": columns,
            "statistics": statistics,
            "page_index": page_index,
            "duckdb": [None if value is None else str(value) for value in aggregates],
        }))
        """

    /// Runs the script on `bytes`, written to a temporary file; fails the test with the script's
    /// stderr when python3, pyarrow or duckdb is missing or the file does not read.
    static func inspect(_ bytes: [UInt8]) throws -> [String: Any] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "weir-writer-\(UUID().uuidString).parquet")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let run = try PythonRun.run(["-c", script, url.path])
        try #require(
            run.succeeded,
            "python3 with pyarrow and duckdb must read the file (`make deps` installs them): \(run.errors)")
        return try #require(try JSONSerialization.jsonObject(with: run.output) as? [String: Any])
    }

    /// pyarrow reads the UUID logical type as its `arrow.uuid` extension type.
    static let expectedTypes = [
        "bool", "int32", "int64", "float", "double", "decimal128(9, 2)", "decimal128(18, 4)", "decimal128(38, 10)",
        "date32[day]", "time64[us]", "timestamp[us]", "timestamp[us, tz=UTC]", "timestamp[ns]", "timestamp[ns, tz=UTC]",
        "string", "extension<arrow.uuid>", "fixed_size_binary[4]", "binary",
    ]

    @Test(arguments: [ParquetWriterCompression.zstd, .snappy, .gzip, .uncompressed])
    func pyarrowAndDuckDBReadTheSameValues(compression: ParquetWriterCompression) throws {
        let rows = Samples.rows(4000)
        var options = ParquetWriterTests.smallOptions(compression, dictionary: compression != .gzip)
        options.rowGroupBytes = 128 * 1024
        let written = try Samples.write(rows, options: options)
        let seen = try Self.inspect(written.bytes)

        #expect(seen["types"] as? [String] == Self.expectedTypes)
        #expect(seen["field_ids"] as? [Int] == Samples.schema.fields.map(\.id))
        #expect(seen["nullable"] as? [Bool] == Samples.schema.fields.map { !$0.required })
        #expect(seen["rows"] as? Int == 4000)
        #expect((seen["row_groups"] as? Int ?? 0) > 1)
        #expect(seen["codec"] as? String == ["ZSTD", "SNAPPY", "GZIP", "UNCOMPRESSED"][Self.codecIndex(compression)])
        #expect(seen["created_by"] as? String == "weir version 0.1 (build weir)")

        let columns = try #require(seen["columns"] as? [String: [Any]])
        for (index, field) in Samples.schema.fields.enumerated() {
            let actual = (columns[field.name] ?? []).map { $0 as? String }
            let expected = rows.map { Self.canonical($0[index], type: field.type) }
            let mismatch = zip(actual, expected).enumerated().first { $0.element.0 != $0.element.1 }
            #expect(actual.count == expected.count, "\(field.name)")
            #expect(
                mismatch == nil,
                "\(field.name): row \(mismatch?.offset ?? -1) reads as \(String(describing: mismatch?.element.0)), wrote \(String(describing: mismatch?.element.1))"
            )
        }

        // pyarrow trusts the statistics and decodes them as the column's logical type.
        let statistics = try #require(seen["statistics"] as? [String: [String: Any]])
        let firstGroup = rows.prefix(
            try #require(
                ParquetFile(location: "", fileSize: written.bytes.count, tail: written.bytes).rowGroupRowCounts.first))
        let words = firstGroup.compactMap { row -> String? in
            if case .bytes(let text) = row[14] { return String(decoding: text, as: UTF8.self) }
            return nil
        }
        let bigs = firstGroup.compactMap { row -> Int64? in
            if case .int64(let value) = row[2] { return value }
            return nil
        }
        #expect(statistics["word"]?["has_min_max"] as? Bool == true)
        #expect(
            statistics["word"]?["min"] as? String
                == words.min { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        #expect(
            statistics["word"]?["max"] as? String
                == words.max { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        #expect(statistics["word"]?["null_count"] as? Int == firstGroup.count - words.count)
        #expect(statistics["big"]?["min"] as? String == bigs.min().map(String.init))
        #expect(statistics["big"]?["max"] as? String == bigs.max().map(String.init))
        #expect(statistics["price"]?["has_min_max"] as? Bool == true)

        // pyarrow finds a column index and an offset index for every chunk.
        let pageIndex = try #require(seen["page_index"] as? [[Bool]])
        #expect(pageIndex.count == (seen["row_groups"] as? Int ?? 0) * Samples.schema.fields.count)
        #expect(pageIndex.allSatisfy { $0 == [true, true] })

        // DuckDB's aggregates over the file equal the same aggregates over the rows written.
        func sum(_ column: Int) -> Int128 {
            rows.reduce(Int128(0)) { total, row in
                switch row[column] {
                case .int32(let value): return total + Int128(value)
                case .int64(let value): return total + Int128(value)
                case .decimal(let value): return total + value
                default: return total
                }
            }
        }
        let nonNullWords = rows.filter { !$0[14].isNull }
        let localTimestamps = rows.compactMap { row -> Int64? in
            if case .int64(let value) = row[10] { return value }
            return nil
        }
        let tokens = rows.compactMap { row -> String? in
            if case .bytes(let text) = row[15] { return String(decoding: text, as: UTF8.self) }
            return nil
        }
        let expectedAggregates: [String?] = [
            "4000", String(nonNullWords.count), String(sum(2)), String(sum(1)), Self.decimalText(sum(5), scale: 2),
            String(nonNullWords.filter { $0[14] == .text("délta") }.count), localTimestamps.min().map(String.init),
            tokens.max(),
        ]
        #expect((seen["duckdb"] as? [Any])?.map { $0 as? String } == expectedAggregates)
    }

    static func codecIndex(_ compression: ParquetWriterCompression) -> Int {
        switch compression {
        case .zstd: return 0
        case .snappy: return 1
        case .gzip: return 2
        case .uncompressed: return 3
        }
    }

    /// A written value in the script's canonical form.
    static func canonical(_ value: Value, type: IcebergType) -> String? {
        switch (value, type) {
        case (.null, _): return nil
        case (.bool(let flag), _): return flag ? "true" : "false"
        case (.int32(let number), _): return String(number)
        case (.int64(let number), .timestampNanos), (.int64(let number), .timestamptzNanos):
            return String(number * 1000)
        case (.int64(let number), _): return String(number)
        case (.float32(let number), _): return number.isNaN ? "NaN" : "\(Double(number))"
        case (.float64(let number), _): return number.isNaN ? "NaN" : "\(number)"
        case (.decimal(let unscaled), .decimal(_, let scale)): return decimalText(unscaled, scale: scale)
        case (.bytes(let text), .string): return String(decoding: text, as: UTF8.self)
        case (.bytes(let text), .uuid):
            return String(decoding: text, as: UTF8.self).replacingOccurrences(of: "-", with: "")
        case (.bytes(let bytes), _): return bytes.map { String(format: "%02x", $0) }.joined()
        default: return "\(value)"
        }
    }

    /// `unscaled / 10^scale` written out in full, as Python's `format(decimal, "f")` does.
    static func decimalText(_ unscaled: Int128, scale: Int) -> String {
        let digits = String(unscaled.magnitude)
        let padded = String(repeating: "0", count: max(0, scale + 1 - digits.count)) + digits
        let sign = unscaled < 0 ? "-" : ""
        guard scale > 0 else { return sign + padded }
        return sign + padded.dropLast(scale) + "." + padded.suffix(scale)
    }
}
