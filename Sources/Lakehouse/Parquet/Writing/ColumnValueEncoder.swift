import Engine

/// The physical-type half of a column chunk writer: one implementation per family of Parquet
/// physical types (numbers, booleans, byte arrays, fixed-length byte arrays).
///
/// `stage` converts a batch's non-NULL values to the physical type once, densely (NULL rows
/// skipped), into a buffer the encoder owns; every other call works on a range of those staged
/// values, in loops over raw buffers. `ColumnChunkWriter` decides which ranges go to which page and
/// whether they are written PLAIN or as dictionary indices.
protocol ColumnValueEncoder {
    /// Stages the non-NULL values of `column`, converted to the physical type; throws (before
    /// anything is written) for a value the column's type cannot hold.
    mutating func stage(_ column: Column, validity: ValidityBitmap?, name: String) throws

    /// Staged values of the current batch.
    var stagedCount: Int { get }

    /// PLAIN bytes of staged values `range`.
    func plainSize(_ range: Range<Int>) -> Int

    /// Appends staged values `range` PLAIN-encoded to `page`.
    mutating func writePlain(_ range: Range<Int>, into page: inout WriteBuffer)

    /// Turns a page's PLAIN bytes into their final form once the page is complete (booleans, which
    /// are staged a byte per value and packed to bits per page, need this).
    func finishPlainPage(_ page: inout WriteBuffer)

    /// Folds staged values `range` into the current page's min and max.
    mutating func updateStatistics(_ range: Range<Int>)

    /// The current page's min and max, PLAIN-encoded as a column index holds them (nil when the
    /// page has no non-NULL, non-NaN value); folds them into the chunk's bounds and starts the
    /// next page.
    mutating func takePageBounds() -> (min: [UInt8], max: [UInt8])?

    /// The current chunk's min and max (over the pages taken), PLAIN-encoded as Parquet statistics
    /// hold them (nil when the chunk has no non-NULL, non-NaN value); folds them into the file's
    /// bounds and starts the next chunk.
    mutating func takeChunkBounds() -> (min: [UInt8], max: [UInt8])?

    /// Negative, zero or positive as PLAIN-encoded bound `lhs` sorts before, with or after `rhs`
    /// in the column's order; for the column index's boundary order.
    func comparePlain(_ lhs: [UInt8], _ rhs: [UInt8]) -> Int

    /// The min and max over every chunk taken so far, PLAIN-encoded.
    var fileBounds: (min: [UInt8], max: [UInt8])? { get }

    /// NaN values staged so far (floating-point columns only).
    var nanCount: Int { get }

    // MARK: - Dictionary

    /// False for booleans, which are never dictionary-encoded.
    var supportsDictionary: Bool { get }

    /// Appends the dictionary index of each of staged values `range` to `indices`, adding values
    /// the dictionary does not hold yet.
    mutating func lookUp(_ range: Range<Int>, into indices: inout [UInt32])

    var dictionaryCount: Int { get }

    /// Bytes of the dictionary page's PLAIN-encoded entries.
    var dictionaryPlainSize: Int { get }

    /// Appends every dictionary entry, PLAIN-encoded, in index order.
    func writeDictionary(into page: inout WriteBuffer)

    /// Appends the entries at `indices`, PLAIN-encoded: a page that turns out not to pay for its
    /// dictionary is rewritten this way.
    func writeEntries(_ indices: UnsafeBufferPointer<UInt32>, into page: inout WriteBuffer)

    /// Empties the dictionary for the next column chunk.
    mutating func clearDictionary()
}

extension ColumnValueEncoder {
    func finishPlainPage(_ page: inout WriteBuffer) {}
}
