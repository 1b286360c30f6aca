/// Loops shared by the row-at-a-time text functions: NULL in any argument gives NULL out, and the
/// body writes straight into the result buffers.
enum RowwiseKernels {
    /// A text column from `body`, which writes row `row`'s bytes and returns false for NULL.
    static func text(
        _ arguments: [Column], rowCount: Int, type: DataType = .text,
        _ body: (Int, inout BytesColumnWriter) throws(EngineError) -> Bool
    ) throws(EngineError) -> Column {
        let validity = ValidityBitmap.all(arguments)
        var writer = BytesColumnWriter(rowCount: rowCount)
        for row in 0..<rowCount {
            if validity?[row] ?? true, try body(row, &writer) { writer.endRow() } else { writer.endNullRow() }
        }
        return writer.build(type: type)
    }

    /// An int32 column from `body`, evaluated only where every argument is valid.
    static func int32(_ arguments: [Column], rowCount: Int, _ body: (Int) throws(EngineError) -> Int32)
        throws(EngineError) -> Column
    {
        let validity = ValidityBitmap.all(arguments)
        var values = [Int32](repeating: 0, count: rowCount)
        for row in 0..<rowCount where validity?[row] ?? true { values[row] = try body(row) }
        return Column(type: .int32, count: rowCount, validity: validity, storage: .int32(values))
    }

    /// A boolean column from `body`, evaluated only where every argument is valid.
    static func bool(_ arguments: [Column], rowCount: Int, _ body: (Int) -> Bool) -> Column {
        let validity = ValidityBitmap.all(arguments)
        var values = [UInt8](repeating: 0, count: rowCount)
        for row in 0..<rowCount where validity?[row] ?? true { values[row] = body(row) ? 1 : 0 }
        return Column(type: .boolean, count: rowCount, validity: validity, storage: .bool(values))
    }
}

extension ArraySlice<UInt8> {
    /// The byte range of characters `from..<to` (0-based, clamped), walking UTF-8 lead bytes.
    func characterRange(from: Int, to: Int) -> Range<Int> {
        var index = startIndex
        var character = 0
        while index < endIndex && character < from {
            index += UTF8Scan.characterLength(self[index])
            character += 1
        }
        let start = Swift.min(index, endIndex)
        while index < endIndex && character < to {
            index += UTF8Scan.characterLength(self[index])
            character += 1
        }
        return start..<Swift.min(index, endIndex)
    }

    /// The first byte offset of `needle` at or after `from`, or nil.
    func firstRange(of needle: ArraySlice<UInt8>, from: Int? = nil) -> Range<Int>? {
        let start = from ?? startIndex
        guard !needle.isEmpty else { return start..<start }
        guard count >= needle.count else { return nil }
        var index = start
        let first = needle.first!
        while index + needle.count <= endIndex {
            if self[index] == first && self[index..<index + needle.count].elementsEqual(needle) {
                return index..<index + needle.count
            }
            index += 1
        }
        return nil
    }

    /// The pieces between occurrences of a non-empty `separator` (one piece when it does not occur).
    func fields(separatedBy separator: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var fields: [ArraySlice<UInt8>] = []
        var cursor = startIndex
        while let found = firstRange(of: separator, from: cursor) {
            fields.append(self[cursor..<found.lowerBound])
            cursor = found.upperBound
        }
        fields.append(self[cursor...])
        return fields
    }

    /// Characters split on UTF-8 boundaries, each as a byte slice.
    var characters: [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var index = startIndex
        while index < endIndex {
            let next = Swift.min(endIndex, index + UTF8Scan.characterLength(self[index]))
            result.append(self[index..<next])
            index = next
        }
        return result
    }
}
