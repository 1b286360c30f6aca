#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The smallest and largest of a byte-array column's values, for statistics: ordered as unsigned
/// bytes (strings, binary, uuid, fixed), or — for decimals in FIXED_LEN_BYTE_ARRAY, whose values all
/// have the same width — as big-endian two's complement.
///
/// Encoders find the extremes of a range of values by comparing them in place; only a new extreme
/// is copied here.
struct ByteBounds {
    let isSigned: Bool
    private(set) var min: [UInt8]?
    private(set) var max: [UInt8]?

    init(isSigned: Bool) { self.isSigned = isSigned }

    mutating func include(_ value: UnsafeRawBufferPointer) {
        if let current = min {
            if current.withUnsafeBytes({ Self.compare(value, $0, isSigned: isSigned) }) < 0 { min = Array(value) }
        } else {
            min = Array(value)
        }
        if let current = max {
            if current.withUnsafeBytes({ Self.compare(value, $0, isSigned: isSigned) }) > 0 { max = Array(value) }
        } else {
            max = Array(value)
        }
    }

    /// Includes the smallest and largest of the values at `range`, found by comparing in place (only
    /// those two are copied).
    @inline(__always)
    mutating func includeExtremes(of range: Range<Int>, _ value: (Int) -> UnsafeRawBufferPointer) {
        guard !range.isEmpty else { return }
        var smallest = range.lowerBound
        var largest = range.lowerBound
        for index in range.dropFirst() {
            let candidate = value(index)
            if Self.compare(candidate, value(smallest), isSigned: isSigned) < 0 {
                smallest = index
            } else if Self.compare(candidate, value(largest), isSigned: isSigned) > 0 {
                largest = index
            }
        }
        include(value(smallest))
        include(value(largest))
    }

    mutating func include(_ other: ByteBounds) {
        if let otherMin = other.min { otherMin.withUnsafeBytes { include($0) } }
        if let otherMax = other.max { otherMax.withUnsafeBytes { include($0) } }
    }

    mutating func removeAll() {
        min = nil
        max = nil
    }

    /// The bounds of `part` (a page's or a chunk's), after folding them into these (the chunk's
    /// or the file's); `part` is emptied for the next page or chunk.
    mutating func take(_ part: inout ByteBounds) -> (min: [UInt8], max: [UInt8])? {
        defer { part.removeAll() }
        include(part)
        return part.bounds
    }

    /// Compares two values in this column's order.
    func compare(_ lhs: [UInt8], _ rhs: [UInt8]) -> Int {
        lhs.withUnsafeBytes { left in rhs.withUnsafeBytes { right in Self.compare(left, right, isSigned: isSigned) } }
    }

    /// Both bounds, when any value was included.
    var bounds: (min: [UInt8], max: [UInt8])? {
        guard let min, let max else { return nil }
        return (min, max)
    }

    /// Negative, zero or positive as `lhs` sorts before, with or after `rhs`. Unsigned order puts a
    /// proper prefix first; signed order (equal widths) compares the first byte as `Int8`.
    @inline(__always)
    static func compare(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer, isSigned: Bool) -> Int {
        var start = 0
        if isSigned, !lhs.isEmpty, !rhs.isEmpty {
            let left = Int8(bitPattern: lhs[0])
            let right = Int8(bitPattern: rhs[0])
            if left != right { return left < right ? -1 : 1 }
            start = 1
        }
        let shared = Swift.min(lhs.count, rhs.count) - start
        if shared > 0 {
            let order = memcmp(lhs.baseAddress! + start, rhs.baseAddress! + start, shared)
            if order != 0 { return Int(order) }
        }
        return lhs.count - rhs.count
    }
}
