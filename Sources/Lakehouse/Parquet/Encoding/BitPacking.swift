/// Packs unsigned values into `width` bits each, least significant bit first — the bit order of
/// Parquet's bit-packed runs and of PLAIN booleans.
enum BitPacking {
    /// Writes `values` (padded with zeros to a multiple of eight) to `output`, which must have room
    /// for `ceil(values.count / 8) * width` bytes.
    static func pack<T: FixedWidthInteger & UnsignedInteger>(
        _ values: UnsafeBufferPointer<T>, width: Int, into output: UnsafeMutablePointer<UInt8>
    ) {
        guard width > 0 else { return }
        var accumulator: UInt64 = 0
        var bits = 0
        var written = 0
        for value in values {
            accumulator |= UInt64(truncatingIfNeeded: value) << UInt64(bits)
            bits &+= width
            while bits >= 8 {
                output[written] = UInt8(truncatingIfNeeded: accumulator)
                written &+= 1
                accumulator >>= 8
                bits &-= 8
            }
        }
        let padded = (values.count + 7) / 8 * width
        if bits > 0 {
            output[written] = UInt8(truncatingIfNeeded: accumulator)
            written += 1
        }
        if written < padded { (output + written).update(repeating: 0, count: padded - written) }
    }
}
