/// Arrow-style validity bits: bit `i` set means row `i` is not NULL.
public struct ValidityBitmap: Sendable, Equatable {
    @usableFromInline var words: [UInt64]
    public let count: Int

    /// A bitmap of `count` rows, all valid or all null.
    public init(count: Int, allValid: Bool) {
        self.count = count
        let wordCount = (count + 63) / 64
        words = Array(repeating: allValid ? ~0 : 0, count: wordCount)
        if allValid, count % 64 != 0, wordCount > 0 {
            words[wordCount - 1] = (1 << UInt64(count % 64)) - 1
        }
    }

    @inlinable
    public subscript(index: Int) -> Bool {
        get { words[index >> 6] & (1 << UInt64(index & 63)) != 0 }
        set {
            if newValue {
                words[index >> 6] |= 1 << UInt64(index & 63)
            } else {
                words[index >> 6] &= ~(1 << UInt64(index & 63))
            }
        }
    }

    /// How many rows are NULL.
    public var nullCount: Int { count - words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Rows valid in both bitmaps; `nil` stands for all valid.
    public static func intersect(_ lhs: ValidityBitmap?, _ rhs: ValidityBitmap?) -> ValidityBitmap? {
        guard let lhs else { return rhs }
        guard let rhs else { return lhs }
        var result = lhs
        for index in result.words.indices { result.words[index] &= rhs.words[index] }
        return result
    }
}
