/// A data file's lower and upper bound for one column in Iceberg's single-value serialization
/// (spec appendix D), made from the column's Parquet statistics bounds, with Iceberg's default
/// metrics mode `truncate(16)`.
///
/// Most types serialize as Parquet's PLAIN form does (little-endian numbers, raw bytes). Decimals
/// become the fewest big-endian two's-complement bytes of the unscaled value. Strings keep their
/// first 16 code points and binary and fixed values their first 16 bytes; a truncated upper bound
/// has its last code point or byte incremented so it still bounds the values, and is left out when
/// no increment is possible (all `U+10FFFF` or `0xFF`).
struct IcebergColumnBounds: Equatable {
    var lower: [UInt8]?
    var upper: [UInt8]?

    /// Iceberg's default truncation length for string and binary bounds.
    static let truncationLength = 16

    /// Bounds for a column of `type` from its PLAIN-encoded minimum and maximum.
    init(plainMin: [UInt8], plainMax: [UInt8], type: IcebergType) {
        switch type {
        case .decimal(let precision, _):
            lower = Self.decimal(plainMin, precision: precision)
            upper = Self.decimal(plainMax, precision: precision)
        case .string:
            lower = Self.truncatedString(plainMin)
            upper = Self.truncatedStringUpperBound(plainMax)
        case .binary, .fixed:
            lower = Array(plainMin.prefix(Self.truncationLength))
            upper = Self.truncatedBinaryUpperBound(plainMax)
        default:
            lower = plainMin
            upper = plainMax
        }
    }

    /// An unscaled decimal from its Parquet form (INT32 or INT64 little-endian, or big-endian bytes)
    /// to its minimal big-endian form.
    private static func decimal(_ plain: [UInt8], precision: Int) -> [UInt8]? {
        let value: Int128
        if precision <= 18 {
            guard plain.count == (precision <= 9 ? 4 : 8) else { return nil }
            var bits: UInt64 = 0
            for (index, byte) in plain.enumerated() { bits |= UInt64(byte) << UInt64(8 * index) }
            value = plain.count == 4 ? Int128(Int32(truncatingIfNeeded: bits)) : Int128(Int64(bitPattern: bits))
        } else {
            guard let decoded = SingleValueSerialization.bigEndianTwosComplement(plain) else { return nil }
            value = decoded
        }
        return DecimalLayout.minimalBigEndian(value)
    }

    /// Byte offsets where the code points of UTF-8 `bytes` start.
    private static func codePointStarts(_ bytes: [UInt8]) -> [Int] {
        bytes.indices.filter { bytes[$0] & 0xC0 != 0x80 }
    }

    private static func truncatedString(_ bytes: [UInt8]) -> [UInt8] {
        let starts = codePointStarts(bytes)
        guard starts.count > truncationLength else { return bytes }
        return Array(bytes[..<starts[truncationLength]])
    }

    private static func truncatedStringUpperBound(_ bytes: [UInt8]) -> [UInt8]? {
        let starts = codePointStarts(bytes)
        guard starts.count > truncationLength else { return bytes }
        for index in stride(from: truncationLength - 1, through: 0, by: -1) {
            let codePoint = bytes[starts[index]..<starts[index + 1]]
            guard let scalar = String(decoding: codePoint, as: UTF8.self).unicodeScalars.first else { continue }
            // The next scalar value, stepping over the surrogates, which UTF-8 cannot hold.
            let next = scalar.value + 1 == 0xD800 ? 0xE000 : scalar.value + 1
            if let incremented = Unicode.Scalar(next) {
                return Array(bytes[..<starts[index]]) + Array(String(Character(incremented)).utf8)
            }
        }
        return nil
    }

    private static func truncatedBinaryUpperBound(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count > truncationLength else { return bytes }
        var prefix = Array(bytes.prefix(truncationLength))
        while let last = prefix.last {
            if last < 0xFF {
                prefix[prefix.count - 1] = last + 1
                return prefix
            }
            prefix.removeLast()
        }
        return nil
    }
}
