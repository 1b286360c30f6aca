/// Receives one column chunk's decoded values, page by page, in the physical layout of its column.
///
/// Pages decode their non-null values densely at the row where the page starts; when a page has
/// NULLs, `spread` then moves the values to their rows, back to front, in place. One implementation
/// per physical layout keeps the per-value loops concrete (the chunk decoder is generic over the
/// sink, so nothing is dispatched per value).
protocol ColumnValueSink {
    /// Entries in the dictionary page, once one has been read.
    var dictionaryCount: Int? { get }

    /// Keeps the PLAIN-encoded dictionary page's `count` values for later `gather` calls.
    mutating func setDictionary(_ bytes: UnsafeRawBufferPointer, count: Int) throws

    /// Decodes `count` values encoded with `encoding` into rows `row ..< row + count`.
    mutating func decode(
        _ bytes: UnsafeRawBufferPointer, encoding: ParquetEncoding, count: Int, at row: Int, scratch: ScratchBuffer
    ) throws

    /// Writes dictionary entries `indices[0 ..< count]` (already checked against `dictionaryCount`)
    /// into rows `row ..< row + count`.
    mutating func gather(_ indices: UnsafePointer<UInt32>, count: Int, at row: Int) throws

    /// Moves `valueCount` dense values at `row` to the rows of `rowCount` whose `levels` entry is
    /// non-zero, filling the others with zeros.
    mutating func spread(at row: Int, valueCount: Int, rowCount: Int, levels: UnsafePointer<UInt8>)
}

extension LakehouseError {
    static func unsupportedEncoding(_ encoding: ParquetEncoding, for what: String) -> LakehouseError {
        .unsupported("Parquet encoding \(encoding) is not supported for \(what) values")
    }
}

extension ParquetFormatError {
    static func tooShort(_ what: String, needed: Int, available: Int) -> ParquetFormatError {
        ParquetFormatError("\(what) needs \(needed) bytes but the page has \(available)")
    }
}

/// Spreads `valueCount` dense values at the start of `base` over `rowCount` rows: rows whose level
/// is non-zero get the next value, the others `empty`. Works back to front so it can run in place.
@inline(__always)
func spreadInPlace<T>(
    _ base: UnsafeMutablePointer<T>, valueCount: Int, rowCount: Int, levels: UnsafePointer<UInt8>, empty: T
) {
    var dense = valueCount - 1
    var target = rowCount - 1
    while target >= 0 {
        if levels[target] != 0 {
            base[target] = base[dense]
            dense -= 1
        } else {
            base[target] = empty
        }
        target -= 1
    }
}

/// Writes `dictionary[indices[i]]` to `target[i]`; indices were checked against the dictionary size.
@inline(__always)
func gatherFromDictionary<T>(
    _ dictionary: [T], _ indices: UnsafePointer<UInt32>, count: Int, into target: UnsafeMutablePointer<T>
) {
    dictionary.withUnsafeBufferPointer { dictionary in
        guard let values = dictionary.baseAddress else { return }
        for index in 0..<count { target[index] = values[Int(indices[index])] }
    }
}
