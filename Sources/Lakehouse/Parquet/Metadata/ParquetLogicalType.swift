/// The logical type annotation of a schema node (parquet.thrift `LogicalType` union).
public enum ParquetLogicalType: Sendable, Equatable {
    /// Units of time and timestamp values.
    public enum TimeUnit: Sendable, Equatable {
        case millis, micros, nanos
    }

    case string
    case map
    case list
    case enumeration
    case decimal(precision: Int, scale: Int)
    case date
    case time(isAdjustedToUTC: Bool, unit: TimeUnit)
    case timestamp(isAdjustedToUTC: Bool, unit: TimeUnit)
    case integer(bitWidth: Int, isSigned: Bool)
    case unknown
    case json
    case bson
    case uuid
    case float16
    /// A union member this reader does not know (variant, geometry, ...), by field id.
    case unsupported(fieldID: Int16)

    static func decode(_ reader: inout ThriftCompactReader) throws -> ParquetLogicalType? {
        var result: ParquetLogicalType?
        try reader.beginStruct()
        while let field = try reader.nextField() {
            guard field.type == .structure else {
                try reader.skip(field.type)
                continue
            }
            switch field.id {
            case 1: result = .string
            case 2: result = .map
            case 3: result = .list
            case 4: result = .enumeration
            case 5: result = try decodeDecimal(&reader)
            case 6: result = .date
            case 7, 8:
                let (adjusted, unit) = try decodeTimeLike(&reader)
                result =
                    field.id == 7
                    ? .time(isAdjustedToUTC: adjusted, unit: unit) : .timestamp(isAdjustedToUTC: adjusted, unit: unit)
            case 10: result = try decodeInteger(&reader)
            case 11: result = .unknown
            case 12: result = .json
            case 13: result = .bson
            case 14: result = .uuid
            case 15: result = .float16
            default: result = .unsupported(fieldID: field.id)
            }
            // Members decoded above as markers still need their (empty) struct consumed.
            if ![5, 7, 8, 10].contains(field.id) { try reader.skip(.structure) }
        }
        return result
    }

    private static func decodeDecimal(_ reader: inout ThriftCompactReader) throws -> ParquetLogicalType {
        var scale: Int32?
        var precision: Int32?
        try reader.beginStruct()
        while let field = try reader.nextField() {
            switch field.id {
            case 1: scale = try reader.readInt32(field.type)
            case 2: precision = try reader.readInt32(field.type)
            default: try reader.skip(field.type)
            }
        }
        guard let scale, let precision else {
            throw ParquetFormatError("decimal logical type without scale or precision")
        }
        return .decimal(precision: Int(precision), scale: Int(scale))
    }

    private static func decodeTimeLike(_ reader: inout ThriftCompactReader) throws -> (Bool, TimeUnit) {
        var adjusted = false
        var unit: TimeUnit?
        try reader.beginStruct()
        while let field = try reader.nextField() {
            switch field.id {
            case 1: adjusted = try reader.readBool(field.type)
            case 2 where field.type == .structure:
                try reader.beginStruct()
                while let member = try reader.nextField() {
                    switch member.id {
                    case 1: unit = .millis
                    case 2: unit = .micros
                    case 3: unit = .nanos
                    default: break
                    }
                    try reader.skip(member.type)
                }
            default: try reader.skip(field.type)
            }
        }
        guard let unit else { throw ParquetFormatError("time or timestamp logical type without a known unit") }
        return (adjusted, unit)
    }

    private static func decodeInteger(_ reader: inout ThriftCompactReader) throws -> ParquetLogicalType {
        var bitWidth: Int32?
        var isSigned = true
        try reader.beginStruct()
        while let field = try reader.nextField() {
            switch field.id {
            case 1: bitWidth = try reader.readInt32(field.type)
            case 2: isSigned = try reader.readBool(field.type)
            default: try reader.skip(field.type)
            }
        }
        guard let bitWidth else { throw ParquetFormatError("integer logical type without a bit width") }
        return .integer(bitWidth: Int(bitWidth), isSigned: isSigned)
    }
}
