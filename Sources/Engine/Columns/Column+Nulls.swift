/// NULL helpers for operators.
extension Column {
    /// A column of `count` NULLs.
    public static func nulls(_ type: DataType, count: Int) -> Column {
        Column(repeating: .null, type: type, count: count)
    }

    /// The validity bitmap when the column really holds NULLs, else nil (so loops can take a fast path).
    @inline(__always)
    public var nullableValidity: ValidityBitmap? {
        guard let validity, validity.nullCount > 0 else { return nil }
        return validity
    }
}
