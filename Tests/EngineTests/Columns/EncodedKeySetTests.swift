import Testing

@testable import Engine

/// The key set equality deletes use: NULL keys equal each other, and the table grows correctly.
@Suite struct EncodedKeySetTests {
    private static func contained(_ set: EncodedKeySet, _ columns: [Column], rowCount: Int) throws -> [Bool] {
        var found = [Bool](repeating: false, count: rowCount)
        set.markContained(
            try EncodedKeys(columns, rowCount: rowCount), hashes: ColumnHashing.hashRows(columns, rowCount: rowCount),
            in: &found)
        return found
    }

    @Test func nullsAreEqualAndDuplicatesKeptOnce() throws {
        let values: [Value] = (0..<5000).map { $0 % 10 == 0 ? .null : .int64(Int64($0)) }
        let column = Column(type: .int64, values: values)
        var set = EncodedKeySet()
        set.insert(try EncodedKeys([column], rowCount: 5000), hashes: ColumnHashing.hashRows([column], rowCount: 5000))
        // 4500 distinct non-NULL values and one NULL key.
        #expect(set.count == 4501)
        let probe = Column(type: .int64, values: [.null, .int64(1), .int64(10), .int64(5001), .int64(4999)])
        #expect(try Self.contained(set, [probe], rowCount: 5) == [true, true, false, false, true])

        var union = EncodedKeySet()
        union.formUnion(set)
        union.formUnion(set)
        #expect(union.count == set.count)
        #expect(try Self.contained(union, [probe], rowCount: 5) == [true, true, false, false, true])
    }

    @Test func multiColumnTextKeys() throws {
        let names = Column(type: .text, values: [.text("a"), .text("a"), .null, .text("")])
        let regions = Column(type: .text, values: [.text("eu"), .null, .null, .null])
        var set = EncodedKeySet()
        set.insert(
            try EncodedKeys([names, regions], rowCount: 4),
            hashes: ColumnHashing.hashRows([names, regions], rowCount: 4))
        #expect(set.count == 4)
        let probeNames = Column(type: .text, values: [.text("a"), .text(""), .null, .text("a"), .null])
        let probeRegions = Column(type: .text, values: [.null, .null, .null, .text("us"), .text("")])
        #expect(
            try Self.contained(set, [probeNames, probeRegions], rowCount: 5) == [true, true, true, false, false])
        // Marks already set stay set.
        var found = [true, false, false, false, false]
        set.markContained(
            try EncodedKeys([probeNames, probeRegions], rowCount: 5),
            hashes: ColumnHashing.hashRows([probeNames, probeRegions], rowCount: 5), in: &found)
        #expect(found == [true, true, true, false, false])
    }
}
