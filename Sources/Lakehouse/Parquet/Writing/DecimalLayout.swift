/// How Parquet stores a decimal of a given precision: INT32 up to 9 digits, INT64 up to 18, else
/// the fewest FIXED_LEN_BYTE_ARRAY bytes whose two's complement holds every value of the precision
/// (the layout the Iceberg spec asks for).
enum DecimalLayout {
    /// 10^`exponent`, for exponents 0...38.
    static func powerOfTen(_ exponent: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    /// Bytes of FIXED_LEN_BYTE_ARRAY that hold any unscaled value of `precision` (1...38) digits.
    static func byteWidth(precision: Int) -> Int {
        let largest = powerOfTen(precision) - 1
        var width = 1
        // A width of n bytes holds up to 2^(8n - 1) - 1.
        while width < 16 && largest > (Int128(1) << (8 * width - 1)) - 1 { width += 1 }
        return width
    }

    /// `value` as `width` bytes of big-endian two's complement.
    @inline(__always)
    static func storeBigEndian(_ value: Int128, width: Int, into target: UnsafeMutablePointer<UInt8>) {
        for index in 0..<width {
            target[index] = UInt8(truncatingIfNeeded: value >> (8 * (width - 1 - index)))
        }
    }

    /// The fewest big-endian two's-complement bytes of `value`: Iceberg's single-value form of a decimal.
    static func minimalBigEndian(_ value: Int128) -> [UInt8] {
        var width = 1
        while width < 16 {
            let limit = Int128(1) << (8 * width - 1)
            if value >= -limit && value < limit { break }
            width += 1
        }
        return [UInt8](unsafeUninitializedCapacity: width) { buffer, initialized in
            storeBigEndian(value, width: width, into: buffer.baseAddress!)
            initialized = width
        }
    }
}
