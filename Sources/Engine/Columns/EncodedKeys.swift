/// Direction and NULL placement of one key column in a byte-comparable key.
public struct KeyOrdering: Sendable, Equatable {
    public var descending: Bool
    public var nullsFirst: Bool

    public init(descending: Bool = false, nullsFirst: Bool = false) {
        self.descending = descending
        self.nullsFirst = nullsFirst
    }

    /// Ascending, NULLS LAST: the ordering used when only equality matters.
    public static let ascending = KeyOrdering()
}

/// Key rows encoded so that comparing the bytes with `memcmp` orders and equates them as PostgreSQL
/// orders and equates the values (C collation for text, NaN above every float, `-0 = 0`, intervals by span).
///
/// Each key column contributes a NULL marker byte and then its value: integers big-endian with the sign bit
/// flipped, floats by their IEEE bits made monotonic, text with `0x00` escaped as `0x00 0xFF` and terminated
/// by `0x00 0x00`. Descending keys invert the value bytes. Rows are built column by column, one typed loop each.
public struct EncodedKeys: Sendable {
    /// Row `i` is `bytes[offsets[i]..<offsets[i + 1]]`.
    public var offsets: [Int]
    public var bytes: [UInt8]
    /// The width every row has when all key columns are fixed-width (row `i` then starts at `i * width`).
    public internal(set) var rowWidth: Int?

    public var count: Int { offsets.count - 1 }

    public init(offsets: [Int], bytes: [UInt8], rowWidth: Int? = nil) {
        self.offsets = offsets
        self.bytes = bytes
        self.rowWidth = rowWidth
    }

    /// Encodes `columns` (all `rowCount` long) with one ordering per column.
    public init(_ columns: [Column], orderings: [KeyOrdering]? = nil, rowCount: Int) throws(EngineError) {
        var widths = [Int](repeating: 0, count: rowCount)
        for column in columns { try Self.addWidths(column, &widths) }
        var offsets = [Int](repeating: 0, count: rowCount + 1)
        for row in 0..<rowCount { offsets[row + 1] = offsets[row] + widths[row] }
        var cursors = Array(offsets.dropLast())
        let total = offsets[rowCount]
        let bytes = [UInt8](unsafeUninitializedCapacity: total) { out, initialized in
            for (index, column) in columns.enumerated() {
                let ordering = orderings?[index] ?? .ascending
                cursors.withUnsafeMutableBufferPointer { cursors in Self.write(column, ordering, out, cursors) }
            }
            initialized = total
        }
        let fixedWidths = columns.map { Self.fixedWidth($0.storage) }
        let rowWidth = fixedWidths.contains(nil) ? nil : fixedWidths.reduce(0) { $0 + 1 + $1! }
        self.init(offsets: offsets, bytes: bytes, rowWidth: rowWidth)
    }

    /// Three-way comparison of row `lhs` of `self` with row `rhs` of `other`.
    @inline(__always)
    public func compare(_ lhs: Int, _ other: EncodedKeys, _ rhs: Int) -> Int {
        bytes.withUnsafeBufferPointer { a in
            other.bytes.withUnsafeBufferPointer { b in
                Self.compare(a, offsets[lhs], offsets[lhs + 1], b, other.offsets[rhs], other.offsets[rhs + 1])
            }
        }
    }

    @inline(__always)
    static func compare(
        _ a: UnsafeBufferPointer<UInt8>, _ aStart: Int, _ aEnd: Int, _ b: UnsafeBufferPointer<UInt8>, _ bStart: Int,
        _ bEnd: Int
    ) -> Int {
        let aCount = aEnd - aStart
        let bCount = bEnd - bStart
        let common = min(aCount, bCount)
        if common > 0 {
            let c = memcmp(a.baseAddress! + aStart, b.baseAddress! + bStart, common)
            if c != 0 { return c < 0 ? -1 : 1 }
        }
        return aCount == bCount ? 0 : (aCount < bCount ? -1 : 1)
    }

    /// True when the two encoded rows are byte-for-byte equal.
    @inline(__always)
    static func equal(
        _ a: UnsafeBufferPointer<UInt8>, _ aStart: Int, _ aEnd: Int, _ b: UnsafeBufferPointer<UInt8>, _ bStart: Int,
        _ bEnd: Int
    ) -> Bool {
        let count = aEnd - aStart
        guard count == bEnd - bStart else { return false }
        guard count > 0 else { return true }
        let pa = UnsafeRawPointer(a.baseAddress! + aStart)
        let pb = UnsafeRawPointer(b.baseAddress! + bStart)
        // Short keys (most fixed-width ones) compare as two overlapping words instead of a memcmp call.
        if count >= 8, count <= 16 {
            return pa.loadUnaligned(as: UInt64.self) == pb.loadUnaligned(as: UInt64.self)
                && pa.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
                    == pb.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        }
        return memcmp(pa, pb, count) == 0
    }

    /// Bytes a value of fixed-width storage takes after its marker; nil for variable-width storage.
    private static func fixedWidth(_ storage: Column.Storage) -> Int? {
        switch storage {
        case .bool: return 1
        case .int16: return 2
        case .int32, .uint32, .float32: return 4
        case .int64, .float64: return 8
        case .decimal, .interval: return 16
        case .bytes, .array: return nil
        }
    }

    /// Bytes the escaped, terminated form of `data[start..<end]` takes.
    @inline(__always)
    private static func escapedWidth(_ data: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var zeros = 0
        for position in start..<end where data[position] == 0 { zeros += 1 }
        return end - start + zeros + 2
    }

    private static func addWidths(_ column: Column, _ widths: inout [Int]) throws(EngineError) {
        if let width = fixedWidth(column.storage) {
            for row in 0..<widths.count { widths[row] += 1 + width }
            return
        }
        if case .array = column.storage {
            for (row, encoding) in try arrayEncodings(column).enumerated() { widths[row] += 1 + encoding.count }
            return
        }
        guard case .bytes(let offsets, let data) = column.storage else {
            throw EngineError(
                .featureNotSupported, "ordering and grouping by \(column.type.sqlName) is not supported yet")
        }
        // A NULL row is its marker alone: its value slot may hold any bytes a kernel left there.
        let validity = column.nullableValidity
        data.withUnsafeBufferPointer { data in
            for row in 0..<widths.count {
                let isNull = validity.map { !$0[row] } ?? false
                widths[row] += 1 + (isNull ? 0 : escapedWidth(data, Int(offsets[row]), Int(offsets[row + 1])))
            }
        }
    }

    /// Each row's array as its elements' key encodings (each starting with a marker byte, 1 or 2)
    /// followed by a 0 byte, so arrays order element by element, then shorter first. A NULL row
    /// gets an empty encoding (its marker says NULL).
    private static func arrayEncodings(_ column: Column) throws(EngineError) -> [[UInt8]] {
        guard case .array(let offsets, let box) = column.storage else { return [] }
        let elements = try EncodedKeys([box.column], rowCount: box.column.count)
        return (0..<column.count).map { row in
            guard !column.isNull(row) else { return [] }
            var encoding: [UInt8] = []
            for element in Int(offsets[row])..<Int(offsets[row + 1]) {
                encoding += elements.bytes[elements.offsets[element]..<elements.offsets[element + 1]]
            }
            encoding.append(0)
            return encoding
        }
    }

    private static func write(
        _ column: Column, _ ordering: KeyOrdering, _ out: UnsafeMutableBufferPointer<UInt8>,
        _ cursors: UnsafeMutableBufferPointer<Int>
    ) {
        if case .array = column.storage {
            // Widths were computed from the same encodings, which therefore do not throw here.
            let encodings = (try? arrayEncodings(column)) ?? []
            let flip: UInt8 = ordering.descending ? 0xFF : 0
            for (row, encoding) in encodings.enumerated() {
                var position = cursors[row]
                out[position] = column.isNull(row) ? (ordering.nullsFirst ? 0 : 2) : 1
                position += 1
                for byte in encoding {
                    out[position] = byte ^ flip
                    position += 1
                }
                cursors[row] = position
            }
            return
        }
        let validMarker: UInt8 = 1
        let nullMarker: UInt8 = ordering.nullsFirst ? 0 : 2
        let flip: UInt8 = ordering.descending ? 0xFF : 0
        let validity = column.nullableValidity
        @inline(__always) func bigEndian<S, T: FixedWidthInteger>(_ values: [S], _ transform: (S) -> T) {
            values.withUnsafeBufferPointer { values in
                for row in 0..<values.count {
                    var position = cursors[row]
                    out[position] = validMarker
                    position += 1
                    var value = transform(values[row]).bigEndian
                    withUnsafeBytes(of: &value) { raw in
                        for byte in raw {
                            out[position] = byte ^ flip
                            position += 1
                        }
                    }
                    cursors[row] = position
                }
            }
        }
        switch column.storage {
        case .bool(let v): bigEndian(v) { $0 }
        case .int16(let v): bigEndian(v) { $0 ^ Int16.min }
        case .int32(let v): bigEndian(v) { $0 ^ Int32.min }
        case .uint32(let v): bigEndian(v) { $0 }
        case .int64(let v): bigEndian(v) { $0 ^ Int64.min }
        case .decimal(let v) where column.type.isVariableScaleNumeric:
            bigEndian(v) { ScaledDecimal(packed: $0).orderKey ^ Int128.min }
        case .decimal(let v): bigEndian(v) { $0 ^ Int128.min }
        case .interval(let v): bigEndian(v.map(ColumnHashing.intervalSpan)) { $0 ^ Int128.min }
        case .float32(let v): bigEndian(v) { orderedBits32($0) }
        case .float64(let v): bigEndian(v) { orderedBits64($0) }
        case .bytes(let offsets, let data):
            data.withUnsafeBufferPointer { data in
                for row in 0..<cursors.count {
                    var position = cursors[row]
                    if let validity, !validity[row] {
                        out[position] = nullMarker
                        cursors[row] = position + 1
                        continue
                    }
                    out[position] = validMarker
                    position += 1
                    for index in Int(offsets[row])..<Int(offsets[row + 1]) {
                        let byte = data[index]
                        out[position] = byte ^ flip
                        position += 1
                        if byte == 0 {
                            out[position] = 0xFF ^ flip
                            position += 1
                        }
                    }
                    out[position] = flip
                    out[position + 1] = flip
                    cursors[row] = position + 2
                }
            }
        case .array: preconditionFailure("array keys are written above")
        }
        // A fixed-width NULL keeps its value bytes' room (rows stay one width), zeroed so all NULLs encode alike.
        if let validity, let width = fixedWidth(column.storage) {
            for row in 0..<cursors.count where !validity[row] {
                let start = cursors[row] - width - 1
                out[start] = nullMarker
                for position in (start + 1)..<cursors[row] { out[position] = 0 }
            }
        }
    }

    @inline(__always)
    static func orderedBits64(_ value: Double) -> UInt64 {
        let canonical = value.isNaN ? Double.nan : (value == 0 ? 0 : value)
        let bits = canonical.bitPattern
        let ordered = bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
        return ordered
    }

    @inline(__always)
    static func orderedBits32(_ value: Float) -> UInt32 {
        let canonical = value.isNaN ? Float.nan : (value == 0 ? 0 : value)
        let bits = canonical.bitPattern
        let ordered = bits & (1 << 31) != 0 ? ~bits : bits | (1 << 31)
        return ordered
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
