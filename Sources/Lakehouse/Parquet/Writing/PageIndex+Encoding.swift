/// The page index structs written as Thrift compact bytes, field ids as in parquet.thrift (the same
/// ones their `decode` methods read).
extension OffsetIndexMetaData {
    func encoded() -> [UInt8] {
        var writer = ThriftCompactWriter()
        writer.beginStruct()
        writer.listField(1, count: pageLocations.count, of: .structure)
        for location in pageLocations {
            writer.beginStruct()
            writer.field(1, i64: location.offset)
            writer.field(2, i32: location.compressedPageSize)
            writer.field(3, i64: location.firstRowIndex)
            writer.endStruct()
        }
        writer.endStruct()
        return writer.bytes
    }
}

extension ColumnIndexMetaData {
    func encoded() -> [UInt8] {
        var writer = ThriftCompactWriter()
        writer.beginStruct()
        writer.listField(1, count: nullPages.count, of: .booleanTrue)
        for isNull in nullPages { writer.element(bool: isNull) }
        writer.listField(2, count: minValues.count, of: .binary)
        for value in minValues { writer.element(binary: value) }
        writer.listField(3, count: maxValues.count, of: .binary)
        for value in maxValues { writer.element(binary: value) }
        writer.field(4, i32: boundaryOrder.rawValue)
        if let nullCounts {
            writer.listField(5, count: nullCounts.count, of: .i64)
            for count in nullCounts { writer.element(i64: count) }
        }
        if let nanCounts {
            writer.listField(8, count: nanCounts.count, of: .i64)
            for count in nanCounts { writer.element(i64: count) }
        }
        writer.endStruct()
        return writer.bytes
    }
}
