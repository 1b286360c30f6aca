import Engine

/// Errors the Parquet writer raises about the values it is given.
extension LakehouseError {
    /// A column whose storage is not what its Iceberg type's engine type uses.
    static func storageMismatch(_ name: String, _ column: Column) -> LakehouseError {
        LakehouseError(
            .datatypeMismatch, "column \"\(name)\" holds \(column.type) values, which its Iceberg type cannot store")
    }

    /// A decimal with more digits than its column's precision.
    static func decimalOverflow(_ name: String, precision: Int) -> LakehouseError {
        LakehouseError(
            .numericValueOutOfRange, "numeric value in column \"\(name)\" does not fit in \(precision) digits")
    }

    /// A NULL in a column the schema marks required.
    static func requiredNull(_ name: String) -> LakehouseError {
        LakehouseError(.notNullViolation, "null value in column \"\(name)\" violates not-null constraint")
    }
}
