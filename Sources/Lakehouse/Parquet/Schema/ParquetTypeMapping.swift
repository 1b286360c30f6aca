import Engine

/// Maps a leaf's physical type and annotations to a Weir `DataType` and the conversion its values need.
enum ParquetTypeMapping {
    /// The mapping, or the reason there is none.
    static func map(_ element: SchemaElement) -> Result<(DataType, ValueConversion), Unsupported> {
        guard let physical = element.type else {
            return .failure(Unsupported(element.unknownAnnotation ?? "no physical type"))
        }
        let logical = element.logicalType ?? legacyLogicalType(element)
        if case .decimal(let precision, let scale) = logical {
            return decimal(physical, precision: precision, scale: scale, typeLength: element.typeLength)
        }
        switch physical {
        case .boolean: return .success((.boolean, .identity))
        case .int32: return int32(logical)
        case .int64: return int64(logical)
        case .int96: return .success((.timestamp, .int96ToTimestamp))
        case .float: return .success((.float32, .identity))
        case .double: return .success((.float64, .identity))
        case .byteArray:
            switch logical {
            case .string?, .enumeration?: return .success((.text, .identity))
            case .json?: return .success((.json, .identity))
            default: return .success((.bytea, .identity))
            }
        case .fixedLenByteArray:
            guard let length = element.typeLength, length > 0 else {
                return .failure(Unsupported("FIXED_LEN_BYTE_ARRAY without a positive length"))
            }
            switch logical {
            case .uuid? where length == 16: return .success((.uuid, .uuidToText))
            case .float16? where length == 2: return .success((.float32, .float16ToFloat32))
            default: return .success((.bytea, .fixedToBytes))
            }
        }
    }

    /// A reason a column cannot be mapped.
    struct Unsupported: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    private static func int32(_ logical: ParquetLogicalType?) -> Result<(DataType, ValueConversion), Unsupported> {
        switch logical {
        case .date?: return .success((.date, .identity))
        case .time(_, .millis)?: return .success((.time, .int32MillisToMicros))
        case .integer(let bits, let signed)?:
            switch (bits, signed) {
            case (8, _), (16, true): return .success((.int16, .int32ToInt16))
            case (16, false), (32, true): return .success((.int32, .identity))
            case (32, false): return .success((.int64, .uint32ToInt64))
            default: return .failure(Unsupported("INT32 annotated as a \(bits)-bit integer"))
            }
        case nil, .unknown?: return .success((.int32, .identity))
        case let other?: return .failure(Unsupported("INT32 annotated as \(other)"))
        }
    }

    private static func int64(_ logical: ParquetLogicalType?) -> Result<(DataType, ValueConversion), Unsupported> {
        switch logical {
        case .timestamp(let adjusted, let unit)?:
            let type: DataType = adjusted ? .timestamptz : .timestamp
            return .success((type, toMicros(unit)))
        case .time(_, let unit)? where unit != .millis: return .success((.time, toMicros(unit)))
        case .integer(64, true)?, nil, .unknown?: return .success((.int64, .identity))
        case .integer(64, false)?: return .success((.numeric(precision: 20, scale: 0), .uint64ToDecimal))
        case let other?: return .failure(Unsupported("INT64 annotated as \(other)"))
        }
    }

    private static func toMicros(_ unit: ParquetLogicalType.TimeUnit) -> ValueConversion {
        switch unit {
        case .millis: return .int64Multiply(1000)
        case .micros: return .identity
        case .nanos: return .int64Divide(1000)
        }
    }

    private static func decimal(
        _ physical: ParquetPhysicalType, precision: Int, scale: Int, typeLength: Int?
    ) -> Result<(DataType, ValueConversion), Unsupported> {
        guard precision > 0, precision <= 38, scale >= 0, scale <= precision else {
            return .failure(
                Unsupported("decimal(\(precision), \(scale)) is outside what numeric holds (precision 1 to 38)"))
        }
        let type = DataType.numeric(precision: precision, scale: scale)
        switch physical {
        case .int32: return .success((type, .int32ToDecimal))
        case .int64: return .success((type, .int64ToDecimal))
        case .byteArray: return .success((type, .bytesToDecimal))
        case .fixedLenByteArray:
            guard let typeLength, typeLength > 0, typeLength <= 16 else {
                return .failure(Unsupported("decimal stored in \(typeLength ?? 0) bytes"))
            }
            return .success((type, .bytesToDecimal))
        default: return .failure(Unsupported("decimal stored as \(physical)"))
        }
    }

    /// The logical type older writers express through `converted_type` alone.
    static func legacyLogicalType(_ element: SchemaElement) -> ParquetLogicalType? {
        switch element.convertedType {
        case nil: return nil
        case .utf8?: return .string
        case .enumeration?: return .enumeration
        case .json?: return .json
        case .bson?: return .bson
        case .date?: return .date
        case .decimal?: return .decimal(precision: element.precision ?? 0, scale: element.scale ?? 0)
        case .timeMillis?: return .time(isAdjustedToUTC: true, unit: .millis)
        case .timeMicros?: return .time(isAdjustedToUTC: true, unit: .micros)
        case .timestampMillis?: return .timestamp(isAdjustedToUTC: true, unit: .millis)
        case .timestampMicros?: return .timestamp(isAdjustedToUTC: true, unit: .micros)
        case .int8?: return .integer(bitWidth: 8, isSigned: true)
        case .int16?: return .integer(bitWidth: 16, isSigned: true)
        case .int32?: return .integer(bitWidth: 32, isSigned: true)
        case .int64?: return .integer(bitWidth: 64, isSigned: true)
        case .uint8?: return .integer(bitWidth: 8, isSigned: false)
        case .uint16?: return .integer(bitWidth: 16, isSigned: false)
        case .uint32?: return .integer(bitWidth: 32, isSigned: false)
        case .uint64?: return .integer(bitWidth: 64, isSigned: false)
        case .map?: return .map
        case .list?, .mapKeyValue?: return .list
        case .interval?: return .unsupported(fieldID: 9)
        }
    }
}
