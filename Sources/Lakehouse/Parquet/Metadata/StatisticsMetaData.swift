/// Column chunk statistics as stored (parquet.thrift `Statistics`): bounds are PLAIN-encoded bytes
/// still to be interpreted through the column's type.
struct StatisticsMetaData: Sendable {
    /// Deprecated bounds, ordered by signed comparison whatever the logical type.
    var legacyMax: [UInt8]?
    var legacyMin: [UInt8]?
    var nullCount: Int64?
    var distinctCount: Int64?
    var maxValue: [UInt8]?
    var minValue: [UInt8]?

    static func decode(_ reader: inout ThriftCompactReader) throws -> StatisticsMetaData {
        var statistics = StatisticsMetaData()
        try reader.beginStruct()
        while let field = try reader.nextField() {
            switch field.id {
            case 1: statistics.legacyMax = try reader.readBinary(field.type)
            case 2: statistics.legacyMin = try reader.readBinary(field.type)
            case 3: statistics.nullCount = try reader.readInt64(field.type)
            case 4: statistics.distinctCount = try reader.readInt64(field.type)
            case 5: statistics.maxValue = try reader.readBinary(field.type)
            case 6: statistics.minValue = try reader.readBinary(field.type)
            default: try reader.skip(field.type)
            }
        }
        return statistics
    }
}
