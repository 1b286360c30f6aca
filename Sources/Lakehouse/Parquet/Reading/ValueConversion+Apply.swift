import Engine

/// Turns decoded physical values into the engine storage of the column's `DataType`.
///
/// Identity conversions hand the decoded array over without copying; the others run one loop over
/// the whole row group.
extension ValueConversion {
    func apply(int32 values: [Int32]) throws -> Column.Storage {
        switch self {
        case .identity: return .int32(values)
        case .int32ToInt16: return .int16(values.map { Int16(truncatingIfNeeded: $0) })
        case .uint32ToInt64: return .int64(values.map { Int64(UInt32(bitPattern: $0)) })
        case .int32ToDecimal: return .decimal(values.map { Int128($0) })
        case .int32MillisToMicros: return .int64(values.map { Int64($0) &* 1000 })
        default: throw mismatch("INT32")
        }
    }

    func apply(int64 values: [Int64]) throws -> Column.Storage {
        switch self {
        case .identity: return .int64(values)
        case .int64ToDecimal: return .decimal(values.map { Int128($0) })
        case .uint64ToDecimal: return .decimal(values.map { Int128(UInt64(bitPattern: $0)) })
        case .int64Multiply(let factor):
            var values = values
            values.withUnsafeMutableBufferPointer { values in
                for index in values.indices { values[index] = values[index] &* factor }
            }
            return .int64(values)
        case .int64Divide(let divisor):
            var values = values
            values.withUnsafeMutableBufferPointer { values in
                for index in values.indices { values[index] = Self.floorDivide(values[index], divisor) }
            }
            return .int64(values)
        default: throw mismatch("INT64")
        }
    }

    /// FIXED_LEN_BYTE_ARRAY and INT96 values, `width` bytes each.
    func apply(fixed bytes: [UInt8], width: Int, count: Int, validity: ValidityBitmap?) throws -> Column.Storage {
        switch self {
        case .bytesToDecimal:
            return .decimal(try (0..<count).map { try Self.decimal(bytes, start: $0 * width, length: width) })
        case .int96ToTimestamp:
            return .int64(bytes.withUnsafeBytes { raw in (0..<count).map { Self.int96Timestamp(raw, at: $0 * 12) } })
        case .float16ToFloat32:
            return .float32((0..<count).map { Self.float16(UInt16(bytes[$0 * 2]) | UInt16(bytes[$0 * 2 + 1]) << 8) })
        case .uuidToText:
            return Self.uuidText(bytes, count: count, validity: validity)
        case .fixedToBytes:
            guard validity != nil else {
                return .bytes(offsets: (0...count).map { Int32(truncatingIfNeeded: $0 * width) }, data: bytes)
            }
            var offsets: [Int32] = [0]
            var data: [UInt8] = []
            for row in 0..<count {
                if validity?[row] ?? true { data.append(contentsOf: bytes[row * width..<(row + 1) * width]) }
                offsets.append(Int32(truncatingIfNeeded: data.count))
            }
            return .bytes(offsets: offsets, data: data)
        default: throw mismatch("FIXED_LEN_BYTE_ARRAY")
        }
    }

    /// BYTE_ARRAY values as offsets + data.
    func apply(offsets: [Int32], data: [UInt8]) throws -> Column.Storage {
        switch self {
        case .identity: return .bytes(offsets: offsets, data: data)
        case .bytesToDecimal:
            return .decimal(
                try (0..<offsets.count - 1).map { row in
                    try Self.decimal(data, start: Int(offsets[row]), length: Int(offsets[row + 1] - offsets[row]))
                })
        default: throw mismatch("BYTE_ARRAY")
        }
    }

    private func mismatch(_ physical: String) -> ParquetFormatError {
        ParquetFormatError("conversion \(self) does not apply to \(physical) values")
    }

    /// Big-endian two's complement of at most 16 bytes.
    static func decimal(_ bytes: [UInt8], start: Int, length: Int) throws -> Int128 {
        guard length <= 16 else {
            throw ParquetFormatError("decimal value of \(length) bytes does not fit in 128 bits")
        }
        guard length > 0 else { return 0 }
        var value = Int128(Int8(bitPattern: bytes[start]))
        for index in start + 1..<start + length { value = value << 8 | Int128(bytes[index]) }
        return value
    }

    /// INT96: nanoseconds of the day (8 bytes) then the Julian day (4 bytes), little-endian.
    static func int96Timestamp(_ raw: UnsafeRawBufferPointer, at offset: Int) -> Int64 {
        let nanoseconds = Int64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int64.self))
        let julianDay = Int64(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 8, as: Int32.self)))
        let unixEpochJulianDay: Int64 = 2_440_588
        return (julianDay - unixEpochJulianDay) &* 86_400_000_000 &+ floorDivide(nanoseconds, 1000)
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }

    /// IEEE 754 half precision to single precision.
    static func float16(_ bits: UInt16) -> Float {
        let sign: Float = bits & 0x8000 != 0 ? -1 : 1
        let exponent = Int(bits >> 10 & 0x1F)
        let fraction = Float(bits & 0x3FF)
        switch exponent {
        case 0: return sign * fraction * Float(sign: .plus, exponent: -24, significand: 1)
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }

    /// 16 raw bytes per row to the `8-4-4-4-12` lowercase text Weir stores uuids as; NULL rows are empty.
    static func uuidText(_ bytes: [UInt8], count: Int, validity: ValidityBitmap?) -> Column.Storage {
        let hexDigits = Array("0123456789abcdef".utf8)
        var offsets = [Int32](repeating: 0, count: count + 1)
        var data: [UInt8] = []
        data.reserveCapacity(count * 36)
        for row in 0..<count {
            if validity?[row] ?? true {
                for index in 0..<16 {
                    if index == 4 || index == 6 || index == 8 || index == 10 { data.append(UInt8(ascii: "-")) }
                    let byte = bytes[row * 16 + index]
                    data.append(hexDigits[Int(byte >> 4)])
                    data.append(hexDigits[Int(byte & 0x0F)])
                }
            }
            offsets[row + 1] = Int32(truncatingIfNeeded: data.count)
        }
        return .bytes(offsets: offsets, data: data)
    }
}
