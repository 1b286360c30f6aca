import Engine
import Foundation
import Testing

@testable import Lakehouse

/// Damaged files fail with XX001 naming the file (and the column, once a column is being read);
/// nested columns fail with 0A000 while their flat siblings still read. Nothing crashes.
@Suite struct ParquetCorruptionTests {
    let location = "s3://bucket/damaged.parquet"

    func original(_ name: String) throws -> [UInt8] {
        try #require(FileManager.default.contents(atPath: ParquetFixtures.shared.location(name))).map { $0 }
    }

    /// Opens `bytes` as a file and reads every readable column of every row group.
    func readEverything(_ bytes: [UInt8]) async throws -> Int {
        let store = InMemoryObjectStore(objects: [location: bytes])
        let file = try await ParquetFile.open(location, in: store)
        let reader = ParquetRowGroupReader(file: file, store: store)
        let readable = file.schema.columns.indices.filter { file.schema.columns[$0].unsupportedReason == nil }
        var rows = 0
        for rowGroup in 0..<file.rowGroupCount {
            rows += try await reader.read(rowGroup: rowGroup, columns: readable).first?.count ?? 0
        }
        return rows
    }

    func expectCorrupt(_ bytes: [UInt8], mentioning fragments: [String]) async {
        do {
            _ = try await readEverything(bytes)
            Issue.record("damaged file read without error")
        } catch let error as LakehouseError {
            #expect(error.sqlState == .dataCorrupted, "\(error)")
            #expect(error.message.contains("\"\(location)\""), "\(error)")
            for fragment in fragments {
                #expect(error.message.contains(fragment), "\(error) should mention \(fragment)")
            }
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    /// The chunk of `column` in row group 0 and where its first page's body starts and ends.
    func firstPage(_ bytes: [UInt8], column: String) async throws -> (chunk: Range<Int>, body: Range<Int>) {
        let store = InMemoryObjectStore(objects: [location: bytes])
        let file = try await ParquetFile.open(location, in: store)
        let index = try #require(file.schema.columnIndex(named: column))
        let chunk = try ParquetRowGroupReader(file: file, store: store).byteRanges(rowGroup: 0, columns: [index])[0]
        return try bytes.withUnsafeBytes { raw in
            var reader = ThriftCompactReader(raw, position: chunk.lowerBound)
            let header = try PageHeader.decode(&reader)
            return (chunk, reader.position..<reader.position + header.compressedSize)
        }
    }

    @Test func truncatedFilesAndBadMagic() async throws {
        let bytes = try original("plain_v1_uncompressed")
        await expectCorrupt(Array(bytes.prefix(bytes.count / 2)), mentioning: ["bad magic"])
        await expectCorrupt(Array(bytes.prefix(7)), mentioning: ["too short"])
        var badMagic = bytes
        badMagic[badMagic.count - 1] = UInt8(ascii: "X")
        await expectCorrupt(badMagic, mentioning: ["bad magic"])
        var lyingLength = bytes
        lyingLength.replaceSubrange(bytes.count - 8..<bytes.count - 4, with: [0xFF, 0xFF, 0xFF, 0x7F])
        await expectCorrupt(lyingLength, mentioning: ["footer length 2147483647"])
    }

    @Test func corruptFooterThrift() async throws {
        var bytes = try original("dictionary_v2_zstd")
        let footerLength = bytes[(bytes.count - 8)..<(bytes.count - 4)].reversed().reduce(0) { $0 << 8 | Int($1) }
        let footerStart = bytes.count - 8 - footerLength
        bytes.replaceSubrange(footerStart + 10..<footerStart + 40, with: repeatElement(0xFF, count: 30))
        await expectCorrupt(bytes, mentioning: ["invalid footer"])
    }

    @Test func garbagePageHeaderNamesTheColumn() async throws {
        var bytes = try original("plain_v1_uncompressed")
        let page = try await firstPage(bytes, column: "i64")
        bytes.replaceSubrange(page.chunk.lowerBound..<page.chunk.lowerBound + 6, with: repeatElement(0xFF, count: 6))
        await expectCorrupt(bytes, mentioning: ["column \"i64\""])
    }

    @Test func pageSizeThatLies() async throws {
        let bytes = try original("plain_v1_uncompressed")
        let store = InMemoryObjectStore(objects: [location: bytes])
        let file = try await ParquetFile.open(location, in: store)
        let reader = ParquetRowGroupReader(file: file, store: store)
        let index = try #require(file.schema.columnIndex(named: "s_unique"))
        let range = try reader.byteRanges(rowGroup: 0, columns: [index])[0]
        // The chunk cut short: the first page claims more bytes than are left.
        let truncated = Array(bytes[range.lowerBound..<range.lowerBound + 100])
        let error = try #require(throws: LakehouseError.self) {
            try reader.decode(rowGroup: 0, column: index, chunk: truncated)
        }
        #expect(error.sqlState == .dataCorrupted)
        #expect(
            error.message.hasPrefix("could not read \"\(location)\": column \"s_unique\": row group 0: length "),
            "\(error)")
    }

    @Test func badDecompression() async throws {
        var bytes = try original("dictionary_v1_snappy")
        let page = try await firstPage(bytes, column: "s_unique")
        bytes.replaceSubrange(page.body, with: repeatElement(0xFF, count: page.body.count))
        await expectCorrupt(bytes, mentioning: ["column \"s_unique\"", "snappy"])
    }

    @Test func dictionaryIndexOutOfRange() async throws {
        var bytes = try original("dictionary_v1_uncompressed")
        let dictionaryPage = try await firstPage(bytes, column: "s")
        // The data page follows the dictionary page: [levels length][levels][bit width][runs].
        let dataBody = try bytes.withUnsafeBytes { raw in
            var reader = ThriftCompactReader(raw, position: dictionaryPage.body.upperBound)
            let header = try PageHeader.decode(&reader)
            return reader.position..<reader.position + header.compressedSize
        }
        let levelsLength = bytes[dataBody.lowerBound..<dataBody.lowerBound + 4].reversed().reduce(0) {
            $0 << 8 | Int($1)
        }
        let runs = dataBody.lowerBound + 4 + levelsLength + 1
        #expect(bytes[runs - 1] == 3, "seven distinct words take three bits")
        // One repeated run of 8191 copies of index 7, past the seven entries.
        bytes.replaceSubrange(runs..<runs + 3, with: [0xFE, 0x7F, 0x07])
        await expectCorrupt(bytes, mentioning: ["column \"s\"", "dictionary index 7 is out of range for 7 entries"])
    }

    @Test func nestedColumnsAreRefusedWhileFlatOnesRead() async throws {
        let file = try await ParquetFile.open(ParquetFixtures.shared.location("nested"), in: LocalObjectStore())
        let reader = ParquetRowGroupReader(file: file, store: LocalObjectStore())
        #expect(file.schema.columns.map(\.name) == ["id", "tags.list.element", "point.x", "point.y", "name"])
        for nested in 1...3 {
            let name = file.schema.columns[nested].name
            await #expect(
                throws: LakehouseError.unsupported(
                    "nested Parquet column \"\(name)\" (list, map or struct) is not supported yet")
            ) { _ = try await reader.read(rowGroup: 0, columns: [0, nested]) }
        }
        let flat = try await reader.read(rowGroup: 0, columns: [4, 0])
        #expect(flat[0].value(at: 9) == .text("n9"))
        #expect(flat[1].value(at: 9) == .int64(9))
    }

    /// Flipped bytes anywhere (weighted toward the footer) decode or fail cleanly, never crash.
    @Test(arguments: ["plain_v1_uncompressed", "dictionary_v2_zstd", "delta_v2_snappy"])
    func flippedBytesNeverCrash(file name: String) async throws {
        let bytes = try original(name)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var outcomes = (read: 0, corrupt: 0)
        for round in 0..<60 {
            var damaged = bytes
            for _ in 0..<3 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let span = round % 2 == 0 ? bytes.count : bytes.count / 10
                let position = bytes.count - 1 - Int((state >> 33) % UInt64(span))
                damaged[position] ^= UInt8(truncatingIfNeeded: state >> 20) | 1
            }
            do {
                _ = try await readEverything(damaged)
                outcomes.read += 1
            } catch let error as LakehouseError {
                #expect(["XX001", "0A000"].contains(error.sqlState.code), "\(error)")
                if error.sqlState == .dataCorrupted { #expect(error.message.contains(location), "\(error)") }
                outcomes.corrupt += 1
            }
        }
        #expect(outcomes.read + outcomes.corrupt == 60)
        #expect(outcomes.corrupt > 0)
    }
}
