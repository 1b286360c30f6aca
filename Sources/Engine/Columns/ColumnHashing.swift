/// Hashes of key rows computed a whole batch at a time, one typed loop per key column.
///
/// Values that PostgreSQL treats as equal hash alike: `-0.0` and `0.0`, every NaN, and intervals with
/// the same span (`'1 mon'` = `'30 days'`). NULL hashes to `nullHash`, so NULLs group together.
public enum ColumnHashing {
    /// What a NULL contributes to a row's hash.
    public static let nullHash: UInt64 = 0x5851_F42D_4C95_7F2D
    static let seed: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// One hash per row over all `columns` (which must each have `rowCount` rows).
    public static func hashRows(_ columns: [Column], rowCount: Int) -> [UInt64] {
        var hashes = [UInt64](repeating: seed, count: rowCount)
        for column in columns { combine(column, into: &hashes) }
        return hashes
    }

    /// Mixes the hash of every value of `column` into `hashes`.
    ///
    /// A NULL row's value slot is never trusted: kernels leave whatever they computed there (`k + id`
    /// with `k` NULL may hold `id`), so NULL rows mix `nullHash` into the hash they had before this column.
    public static func combine(_ column: Column, into hashes: inout [UInt64]) {
        let validity = column.nullableValidity
        let before = validity == nil ? [] : hashes
        hashes.withUnsafeMutableBufferPointer { out in
            switch column.storage {
            case .bool(let v): fixed(v, out) { UInt64($0) }
            case .int16(let v): fixed(v, out) { UInt64(bitPattern: Int64($0)) }
            case .int32(let v): fixed(v, out) { UInt64(bitPattern: Int64($0)) }
            case .uint32(let v): fixed(v, out) { UInt64($0) }
            case .int64(let v): fixed(v, out) { UInt64(bitPattern: $0) }
            case .float32(let v): fixed(v, out) { canonicalBits(Double($0)) }
            case .float64(let v): fixed(v, out) { canonicalBits($0) }
            case .decimal(let v) where column.type.isVariableScaleNumeric:
                fixed(v, out) {
                    let key = ScaledDecimal(packed: $0).orderKey
                    return UInt64(truncatingIfNeeded: key) ^ mix(UInt64(truncatingIfNeeded: key >> 64))
                }
            case .decimal(let v):
                fixed(v, out) { UInt64(truncatingIfNeeded: $0) ^ mix(UInt64(truncatingIfNeeded: $0 >> 64)) }
            case .interval(let v):
                fixed(v, out) {
                    let span = intervalSpan($0);
                    return UInt64(truncatingIfNeeded: span) ^ mix(UInt64(truncatingIfNeeded: span >> 64))
                }
            case .bytes(let offsets, let data): bytes(offsets, data, out)
            case .array:
                for row in 0..<out.count {
                    out[row] = mix(out[row] ^ UInt64(bitPattern: Int64(column.value(at: row).hashValue)))
                }
            }
            if let validity {
                for row in 0..<out.count where !validity[row] { out[row] = mix(before[row] &* 31 ^ nullHash) }
            }
        }
    }

    /// A strong 64-bit finalizer (MurmurHash3's fmix64): every input bit affects the low bits a table masks.
    @inline(__always)
    public static func mix(_ value: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }

    @inline(__always)
    static func canonicalBits(_ value: Double) -> UInt64 {
        if value.isNaN { return Double.nan.bitPattern }
        return value == 0 ? 0 : value.bitPattern
    }

    /// PostgreSQL's interval comparison value: months count 30 days, days 24 hours.
    @inline(__always)
    public static func intervalSpan(_ interval: Interval) -> Int128 {
        (Int128(interval.months) * 30 + Int128(interval.days)) * 86_400_000_000 + Int128(interval.microseconds)
    }

    @inline(__always)
    static func fixed<T>(_ values: [T], _ out: UnsafeMutableBufferPointer<UInt64>, _ bits: (T) -> UInt64) {
        values.withUnsafeBufferPointer { values in
            for row in 0..<out.count { out[row] = mix(out[row] &* 31 ^ bits(values[row])) }
        }
    }

    static func bytes(_ offsets: [Int32], _ data: [UInt8], _ out: UnsafeMutableBufferPointer<UInt64>) {
        offsets.withUnsafeBufferPointer { offsets in
            data.withUnsafeBytes { data in
                for row in 0..<out.count {
                    let start = Int(offsets[row])
                    let end = Int(offsets[row + 1])
                    var h = out[row] &* 31 ^ UInt64(end - start)
                    var position = start
                    while position + 8 <= end {
                        h = mix(h ^ data.loadUnaligned(fromByteOffset: position, as: UInt64.self))
                        position += 8
                    }
                    var tail: UInt64 = 0
                    var shift: UInt64 = 0
                    while position < end {
                        tail |= UInt64(data[position]) << shift
                        shift += 8
                        position += 1
                    }
                    out[row] = mix(h ^ tail)
                }
            }
        }
    }
}
