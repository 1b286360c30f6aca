import Engine

/// How engine values become a number column's physical values.
enum NumberConversion: Sendable, Equatable {
    /// The engine stores the physical type itself (int → INT32, long → INT64, float, double, date,
    /// time and microsecond timestamps).
    case identity
    /// Unscaled `Int128` decimals narrowed to INT32 or INT64, each checked against the precision.
    case decimal(precision: Int)
    /// Microsecond timestamps written as nanoseconds (Iceberg `timestamp_ns`), checked for overflow.
    case microsToNanos
}

/// Encodes INT32, INT64, FLOAT and DOUBLE columns: PLAIN is the values' little-endian bytes, the
/// dictionary is keyed by bit pattern, statistics skip NaN.
struct NumberEncoder<Number: ParquetNumber>: ColumnValueEncoder {
    let conversion: NumberConversion
    /// The staged values: the column's own array when it needs no conversion and has no NULLs.
    private var staged: [Number] = []
    /// Where converted or compacted values are built, kept between batches.
    private var scratch: [Number] = []
    private var dictionary = NumberDictionary<Number.BitPattern>()
    private var pageBounds: (min: Number, max: Number)?
    private var chunkBounds: (min: Number, max: Number)?
    private var fileRange: (min: Number, max: Number)?
    private(set) var nanCount = 0

    init(_ conversion: NumberConversion) { self.conversion = conversion }

    var stagedCount: Int { staged.count }
    var supportsDictionary: Bool { true }
    var dictionaryCount: Int { dictionary.count }
    var dictionaryPlainSize: Int { dictionary.count * MemoryLayout<Number>.size }

    // MARK: - Staging

    mutating func stage(_ column: Column, validity: ValidityBitmap?, name: String) throws {
        staged = []
        switch conversion {
        case .identity:
            guard let source = Number.values(in: column.storage) else {
                throw LakehouseError.storageMismatch(name, column)
            }
            if validity == nil, source.count == column.count {
                staged = source
                return
            }
            scratch.removeAll(keepingCapacity: true)
            scratch.reserveCapacity(column.count)
            source.withUnsafeBufferPointer { source in
                for row in 0..<column.count where validity?[row] ?? true { scratch.append(source[row]) }
            }
        case .decimal(let precision):
            guard case .decimal(let source) = column.storage else { throw LakehouseError.storageMismatch(name, column) }
            let limit = DecimalLayout.powerOfTen(precision)
            scratch.removeAll(keepingCapacity: true)
            scratch.reserveCapacity(column.count)
            try source.withUnsafeBufferPointer { source in
                for row in 0..<column.count where validity?[row] ?? true {
                    let value = source[row]
                    guard value > -limit, value < limit, let narrowed = Number(exactly: value) else {
                        throw LakehouseError.decimalOverflow(name, precision: precision)
                    }
                    scratch.append(narrowed)
                }
            }
        case .microsToNanos:
            guard case .int64(let source) = column.storage else { throw LakehouseError.storageMismatch(name, column) }
            scratch.removeAll(keepingCapacity: true)
            scratch.reserveCapacity(column.count)
            try source.withUnsafeBufferPointer { source in
                for row in 0..<column.count where validity?[row] ?? true {
                    let (nanos, overflow) = source[row].multipliedReportingOverflow(by: 1000)
                    guard !overflow, let value = Number(exactly: nanos) else {
                        throw LakehouseError(
                            .datetimeFieldOverflow,
                            "timestamp in column \"\(name)\" is out of range for nanosecond precision")
                    }
                    scratch.append(value)
                }
            }
        }
        staged = scratch
    }

    // MARK: - PLAIN

    func plainSize(_ range: Range<Int>) -> Int { range.count * MemoryLayout<Number>.size }

    mutating func writePlain(_ range: Range<Int>, into page: inout WriteBuffer) {
        staged.withUnsafeBytes { bytes in
            let size = MemoryLayout<Number>.size
            page.append(UnsafeRawBufferPointer(rebasing: bytes[range.lowerBound * size..<range.upperBound * size]))
        }
    }

    // MARK: - Statistics

    mutating func updateStatistics(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        var bounds = pageBounds
        var nans = 0
        staged.withUnsafeBufferPointer { values in
            for index in range {
                let value = values[index]
                if value.isNaNValue {
                    nans += 1
                    continue
                }
                if let current = bounds {
                    if value < current.min { bounds!.min = value } else if value > current.max { bounds!.max = value }
                } else {
                    bounds = (value, value)
                }
            }
        }
        pageBounds = bounds
        nanCount += nans
    }

    mutating func takePageBounds() -> (min: [UInt8], max: [UInt8])? {
        defer { pageBounds = nil }
        guard let bounds = pageBounds else { return nil }
        chunkBounds = Self.union(chunkBounds, bounds)
        return Self.plain(bounds)
    }

    mutating func takeChunkBounds() -> (min: [UInt8], max: [UInt8])? {
        defer { chunkBounds = nil }
        guard let bounds = chunkBounds else { return nil }
        fileRange = Self.union(fileRange, bounds)
        return Self.plain(bounds)
    }

    private static func union(_ range: (min: Number, max: Number)?, _ bounds: (min: Number, max: Number)) -> (
        min: Number, max: Number
    ) {
        guard let range else { return bounds }
        return (Swift.min(range.min, bounds.min), Swift.max(range.max, bounds.max))
    }

    func comparePlain(_ lhs: [UInt8], _ rhs: [UInt8]) -> Int {
        guard lhs.count == MemoryLayout<Number>.size, rhs.count == lhs.count else { return 0 }
        let left = lhs.withUnsafeBytes { $0.loadUnaligned(as: Number.self) }
        let right = rhs.withUnsafeBytes { $0.loadUnaligned(as: Number.self) }
        return left < right ? -1 : (left == right ? 0 : 1)
    }

    var fileBounds: (min: [UInt8], max: [UInt8])? {
        guard let fileRange else { return nil }
        return Self.plain(fileRange)
    }

    private static func plain(_ bounds: (min: Number, max: Number)) -> (min: [UInt8], max: [UInt8]) {
        (
            withUnsafeBytes(of: bounds.min.asLowerBound) { Array($0) },
            withUnsafeBytes(of: bounds.max.asUpperBound) { Array($0) }
        )
    }

    // MARK: - Dictionary

    mutating func lookUp(_ range: Range<Int>, into indices: inout [UInt32]) {
        let values = staged
        values.withUnsafeBufferPointer { values in
            values.withMemoryRebound(to: Number.BitPattern.self) { keys in
                dictionary.lookUp(UnsafeBufferPointer(rebasing: keys[range]), into: &indices)
            }
        }
    }

    func writeDictionary(into page: inout WriteBuffer) {
        dictionary.entries.withUnsafeBytes { page.append($0) }
    }

    func writeEntries(_ indices: UnsafeBufferPointer<UInt32>, into page: inout WriteBuffer) {
        let size = MemoryLayout<Number>.size
        dictionary.entries.withUnsafeBufferPointer { entries in
            page.append(reserving: indices.count * size) { target in
                for (position, index) in indices.enumerated() {
                    target.storeBytes(
                        of: entries[Int(index)], toByteOffset: position * size, as: Number.BitPattern.self)
                }
                return indices.count * size
            }
        }
    }

    mutating func clearDictionary() { dictionary.removeAll() }
}
