import Engine

/// A value of the fixed-width physical types INT32, INT64, FLOAT and DOUBLE as the writer handles
/// it: PLAIN is its little-endian bytes, its dictionary key its bit pattern.
protocol ParquetNumber: BitwiseCopyable, Comparable {
    associatedtype BitPattern: FixedWidthInteger & UnsignedInteger

    var bitPattern: BitPattern { get }
    /// True only for floating-point NaN, which statistics leave out.
    var isNaNValue: Bool { get }
    /// The value as the lower bound of statistics: Parquet asks for `-0.0` when the minimum is a zero.
    var asLowerBound: Self { get }
    /// The value as the upper bound of statistics: `+0.0` when the maximum is a zero.
    var asUpperBound: Self { get }

    init?<Source: BinaryInteger>(exactly source: Source)

    /// The engine storage array holding values of this type, if `storage` is one.
    static func values(in storage: Column.Storage) -> [Self]?
}

extension ParquetNumber where Self: FixedWidthInteger {
    var isNaNValue: Bool { false }
    var asLowerBound: Self { self }
    var asUpperBound: Self { self }
}

extension ParquetNumber where Self: BinaryFloatingPoint {
    var isNaNValue: Bool { isNaN }
    var asLowerBound: Self { self == 0 ? -0.0 : self }
    var asUpperBound: Self { self == 0 ? 0.0 : self }
}

extension Int32: ParquetNumber {
    var bitPattern: UInt32 { UInt32(bitPattern: self) }

    static func values(in storage: Column.Storage) -> [Int32]? {
        if case .int32(let values) = storage { return values }
        return nil
    }
}

extension Int64: ParquetNumber {
    var bitPattern: UInt64 { UInt64(bitPattern: self) }

    static func values(in storage: Column.Storage) -> [Int64]? {
        if case .int64(let values) = storage { return values }
        return nil
    }
}

extension Float: ParquetNumber {
    static func values(in storage: Column.Storage) -> [Float]? {
        if case .float32(let values) = storage { return values }
        return nil
    }
}

extension Double: ParquetNumber {
    static func values(in storage: Column.Storage) -> [Double]? {
        if case .float64(let values) = storage { return values }
        return nil
    }
}
