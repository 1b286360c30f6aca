import Engine

/// How engine values become FIXED_LEN_BYTE_ARRAY values.
enum FixedBytesConversion: Sendable, Equatable {
    /// Canonical uuid text (what the engine stores) to its 16 bytes.
    case uuidText
    /// Unscaled `Int128` decimals to big-endian two's complement, checked against the precision.
    case decimal(precision: Int)
    /// bytea values that must be exactly the column's width (Iceberg `fixed[n]`).
    case fixed
}

/// Encodes FIXED_LEN_BYTE_ARRAY columns (uuid, fixed, decimals over 18 digits): values are staged
/// back to back, `width` bytes each, so PLAIN is a copy; statistics compare unsigned bytes, or
/// signed ones for decimals.
struct FixedBytesEncoder: ColumnValueEncoder {
    let conversion: FixedBytesConversion
    let width: Int
    private var staged: [UInt8] = []
    private(set) var stagedCount = 0
    private var dictionary = ByteArrayDictionary()
    private var pageBounds: ByteBounds
    private var chunkBounds: ByteBounds
    private var fileRange: ByteBounds

    init(_ conversion: FixedBytesConversion, width: Int) {
        self.conversion = conversion
        self.width = width
        if case .decimal = conversion {
            pageBounds = ByteBounds(isSigned: true)
        } else {
            pageBounds = ByteBounds(isSigned: false)
        }
        chunkBounds = pageBounds
        fileRange = pageBounds
    }

    var nanCount: Int { 0 }
    var supportsDictionary: Bool { true }
    var dictionaryCount: Int { dictionary.count }
    var dictionaryPlainSize: Int { dictionary.data.count }

    // MARK: - Staging

    mutating func stage(_ column: Column, validity: ValidityBitmap?, name: String) throws {
        var count = 0
        for row in 0..<column.count where validity?[row] ?? true { count += 1 }
        let width = self.width
        let conversion = self.conversion
        staged = try [UInt8](unsafeUninitializedCapacity: count * width) { buffer, initialized in
            guard let target = buffer.baseAddress else { return }
            switch (conversion, column.storage) {
            case (.decimal(let precision), .decimal(let source)):
                let limit = DecimalLayout.powerOfTen(precision)
                try source.withUnsafeBufferPointer { source in
                    var position = 0
                    for row in 0..<column.count where validity?[row] ?? true {
                        let value = source[row]
                        guard value > -limit, value < limit else {
                            throw LakehouseError.decimalOverflow(name, precision: precision)
                        }
                        DecimalLayout.storeBigEndian(value, width: width, into: target + position)
                        position += width
                    }
                }
            case (.uuidText, .bytes(let offsets, let data)):
                try Self.stageUUIDs(offsets, data, rows: column.count, validity: validity, into: target, name: name)
            case (.fixed, .bytes(let offsets, let data)):
                try data.withUnsafeBufferPointer { data in
                    var position = 0
                    for row in 0..<column.count where validity?[row] ?? true {
                        let start = Int(offsets[row])
                        let length = Int(offsets[row + 1]) - start
                        guard length == width else {
                            throw LakehouseError(
                                .stringDataLengthMismatch,
                                "value of \(length) bytes in column \"\(name)\" of type fixed[\(width)]")
                        }
                        (target + position).update(from: data.baseAddress! + start, count: width)
                        position += width
                    }
                }
            default:
                throw LakehouseError.storageMismatch(name, column)
            }
            initialized = count * width
        }
        stagedCount = count
    }

    /// Parses `8-4-4-4-12` (or undashed) hexadecimal uuid text into 16 bytes per value.
    private static func stageUUIDs(
        _ offsets: [Int32], _ data: [UInt8], rows: Int, validity: ValidityBitmap?,
        into target: UnsafeMutablePointer<UInt8>,
        name: String
    ) throws {
        try data.withUnsafeBufferPointer { data in
            var position = 0
            for row in 0..<rows where validity?[row] ?? true {
                var digits = 0
                var byte: UInt8 = 0
                for index in Int(offsets[row])..<Int(offsets[row + 1]) {
                    let character = data[index]
                    if character == UInt8(ascii: "-") && (digits == 8 || digits == 12 || digits == 16 || digits == 20) {
                        continue
                    }
                    guard digits < 32, let nibble = hexValue(character) else { throw invalidUUID(name) }
                    byte = byte << 4 | nibble
                    if digits & 1 == 1 { target[position + digits / 2] = byte }
                    digits += 1
                }
                guard digits == 32 else { throw invalidUUID(name) }
                position += 16
            }
        }
    }

    @inline(__always)
    private static func hexValue(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return character - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static func invalidUUID(_ name: String) -> LakehouseError {
        LakehouseError(.invalidTextRepresentation, "invalid uuid text in column \"\(name)\"")
    }

    // MARK: - PLAIN

    func plainSize(_ range: Range<Int>) -> Int { range.count * width }

    mutating func writePlain(_ range: Range<Int>, into page: inout WriteBuffer) {
        staged.withUnsafeBytes {
            page.append(UnsafeRawBufferPointer(rebasing: $0[range.lowerBound * width..<range.upperBound * width]))
        }
    }

    // MARK: - Statistics

    mutating func updateStatistics(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        let (staged, width) = (self.staged, self.width)
        staged.withUnsafeBytes { values in
            pageBounds.includeExtremes(of: range) { index in
                UnsafeRawBufferPointer(rebasing: values[index * width..<(index + 1) * width])
            }
        }
    }

    mutating func takePageBounds() -> (min: [UInt8], max: [UInt8])? { chunkBounds.take(&pageBounds) }

    mutating func takeChunkBounds() -> (min: [UInt8], max: [UInt8])? { fileRange.take(&chunkBounds) }

    var fileBounds: (min: [UInt8], max: [UInt8])? { fileRange.bounds }

    func comparePlain(_ lhs: [UInt8], _ rhs: [UInt8]) -> Int { fileRange.compare(lhs, rhs) }

    // MARK: - Dictionary

    mutating func lookUp(_ range: Range<Int>, into indices: inout [UInt32]) {
        indices.reserveCapacity(indices.count + range.count)
        let (staged, width) = (self.staged, self.width)
        staged.withUnsafeBytes { values in
            for index in range {
                indices.append(
                    dictionary.index(of: UnsafeRawBufferPointer(rebasing: values[index * width..<(index + 1) * width])))
            }
        }
    }

    func writeDictionary(into page: inout WriteBuffer) {
        dictionary.data.withUnsafeBytes { page.append($0) }
    }

    func writeEntries(_ indices: UnsafeBufferPointer<UInt32>, into page: inout WriteBuffer) {
        let width = self.width
        dictionary.data.withUnsafeBytes { entries in
            page.append(reserving: indices.count * width) { target in
                for (position, index) in indices.enumerated() {
                    (target + position * width).copyMemory(
                        from: entries.baseAddress! + Int(index) * width, byteCount: width)
                }
                return indices.count * width
            }
        }
    }

    mutating func clearDictionary() { dictionary.removeAll() }
}
