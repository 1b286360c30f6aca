import Foundation

/// Type conversions with PostgreSQL's rules: range checks, rounding, and text I/O conversion.
enum CastKernels {
    static func cast(_ column: Column, to target: DataType, context: EvaluationContext) throws(EngineError) -> Column {
        let source = column.type
        if source == target { return column }
        if target == .json || target == .jsonb, source.isString || source == .json {
            // Text becomes json only once it parses; jsonb also takes its normal form.
            return try fromText(column, to: target, context: context)
        }
        if source.isBlankPadded, target.isString, !target.isBlankPadded {
            return trimmingTrailingSpaces(column, as: target)
        }
        if target.isString || target == .json || target == .jsonb {
            if source.isString || source == .json || source == .jsonb { return relabel(column, as: target) }
            return toText(column, as: target, context: context)
        }
        if source.isString {
            return try fromText(column, to: target, context: context)
        }
        if source.isNumeric && target.isNumeric {
            return try numeric(column, to: target)
        }
        switch (source, target) {
        case (.boolean, .int32):
            guard case .bool(let v) = column.storage else { break }
            return Column(
                type: target, count: column.count, validity: column.validity, storage: .int32(v.map { Int32($0) }))
        case (.int32, .boolean):
            guard case .int32(let v) = column.storage else { break }
            return Column(
                type: target, count: column.count, validity: column.validity, storage: .bool(v.map { $0 != 0 ? 1 : 0 }))
        // Date/time conversions compute valid rows only (a NULL row's slot may hold anything) and
        // refuse, as PostgreSQL does, a value past what the target holds.
        case (.date, .timestamp), (.date, .timestamptz):
            guard case .int32(let days) = column.storage else { break }
            var micros = [Int64](repeating: 0, count: column.count)
            for row in 0..<column.count where column.validity?[row] ?? true {
                let (local, overflow) = Int64(days[row]).multipliedReportingOverflow(by: CivilDate.microsecondsPerDay)
                guard !overflow else { throw EngineError(.datetimeFieldOverflow, "date out of range for timestamp") }
                micros[row] =
                    target == .timestamp
                    ? local : try shiftZone(local, by: -context.timeZone.offsetSeconds(atUTCMicroseconds: local))
            }
            return Column(type: target, count: column.count, validity: column.validity, storage: .int64(micros))
        case (.timestamp, .date), (.timestamptz, .date):
            guard case .int64(let micros) = column.storage else { break }
            var days = [Int32](repeating: 0, count: column.count)
            for row in 0..<column.count where column.validity?[row] ?? true {
                let value = micros[row]
                let local =
                    source == .timestamp
                    ? value : try shiftZone(value, by: context.timeZone.offsetSeconds(atUTCMicroseconds: value))
                days[row] = Int32(local.floorDividedAndRemainder(by: CivilDate.microsecondsPerDay).0)
            }
            return Column(type: target, count: column.count, validity: column.validity, storage: .int32(days))
        case (.timestamp, .timestamptz), (.timestamptz, .timestamp):
            guard case .int64(let micros) = column.storage else { break }
            let sign = target == .timestamptz ? -1 : 1
            var shifted = [Int64](repeating: 0, count: column.count)
            for row in 0..<column.count where column.validity?[row] ?? true {
                shifted[row] = try shiftZone(
                    micros[row], by: sign * context.timeZone.offsetSeconds(atUTCMicroseconds: micros[row]))
            }
            return Column(type: target, count: column.count, validity: column.validity, storage: .int64(shifted))
        case (.timetz, .time), (.time, .timetz), (.timestamptz, .timetz):
            guard case .int64(let values) = column.storage else { break }
            return Column(
                type: target, count: column.count, validity: column.validity,
                storage: .int64(timeZoneConversion(values, from: source, to: target, context: context)))
        case (_, .int64) where source.storageKind == .uint32:
            // oid and its aliases (regclass, regtype, ...) widen to bigint.
            guard case .uint32(let v) = column.storage else { break }
            return Column(
                type: target, count: column.count, validity: column.validity, storage: .int64(v.map { Int64($0) }))
        case (.int16, _) where target.storageKind == .uint32, (.int32, _) where target.storageKind == .uint32,
            (.int64, _) where target.storageKind == .uint32:
            return try numericToOID(column, to: target)
        default:
            break
        }
        if case .array(let targetElement) = target, case .array(let offsets, let elements) = column.storage {
            // Arrays cast element by element.
            let cast = try cast(elements.column, to: targetElement, context: context)
            return Column(
                type: target, count: column.count, validity: column.validity,
                storage: .array(offsets: offsets, elements: ColumnBox(cast)))
        }
        if source.storageKind == target.storageKind, source.storageKind == .uint32 {
            return Column(type: target, count: column.count, validity: column.validity, storage: column.storage)
        }
        throw EngineError(.cannotCoerce, "cannot cast type \(source.sqlName) to \(target.sqlName)")
    }

    /// timetz to time drops the offset; time to timetz and timestamptz to timetz take the session
    /// zone's offset (for time, today's; for timestamptz, the instant's).
    static func timeZoneConversion(
        _ values: [Int64], from source: DataType, to target: DataType, context: EvaluationContext
    ) -> [Int64] {
        switch source {
        case .timetz:
            return values.map { TimeWithTimeZone(packed: $0).time }
        case .time:
            let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
            let offset = context.timeZone.offsetSeconds(atUTCMicroseconds: now)
            return values.map { TimeWithTimeZone(time: $0, offsetSeconds: offset).packed }
        default:
            return values.map { instant in
                let offset = context.timeZone.offsetSeconds(atUTCMicroseconds: instant)
                let local = instant + Int64(offset) * 1_000_000
                let time = local.floorDividedAndRemainder(by: CivilDate.microsecondsPerDay).1
                return TimeWithTimeZone(time: time, offsetSeconds: offset).packed
            }
        }
    }

    /// character(n) to text or varchar: PostgreSQL drops the trailing spaces the padding added.
    static func trimmingTrailingSpaces(_ column: Column, as target: DataType) -> Column {
        guard case .bytes(let offsets, let data) = column.storage else {
            preconditionFailure("bpchar without bytes storage")
        }
        var writer = BytesColumnWriter(rowCount: column.count, dataCapacity: data.count)
        for row in 0..<column.count {
            var end = Int(offsets[row + 1])
            while end > Int(offsets[row]), data[end - 1] == UInt8(ascii: " ") { end -= 1 }
            writer.append(contentsOf: data[Int(offsets[row])..<end])
            writer.endRow()
        }
        var result = writer.build(type: target)
        result.validity = column.validity
        return result
    }

    static func relabel(_ column: Column, as target: DataType) -> Column {
        Column(type: target, count: column.count, validity: column.validity, storage: column.storage)
    }

    static func toText(_ column: Column, as target: DataType, context: EvaluationContext) -> Column {
        if case .bool(let values) = column.storage {
            // boolean's cast to text spells the words out; its output function prints t/f.
            return Column(
                type: target,
                values: (0..<column.count).map { row in
                    column.isNull(row) ? .null : .text(values[row] != 0 ? "true" : "false")
                })
        }
        let text = context.textOutput.encodedColumn(column)
        return Column(
            type: target, count: column.count, validity: column.validity,
            storage: .bytes(offsets: text.offsets, data: text.data))
    }

    static func fromText(_ column: Column, to target: DataType, context: EvaluationContext) throws(EngineError)
        -> Column
    {
        guard case .bytes(let offsets, let data) = column.storage else {
            preconditionFailure("text without bytes storage")
        }
        var builder = ColumnBuilder(type: target, capacity: column.count)
        for row in 0..<column.count {
            if column.isNull(row) {
                builder.append(.null)
                continue
            }
            let text = String(decoding: data[Int(offsets[row])..<Int(offsets[row + 1])], as: UTF8.self)
            builder.append(try TextInput.parse(text, as: target, session: context.textOutput))
        }
        return builder.build()
    }

    /// Conversions among int2/int4/int8/float4/float8/numeric. Integer and float conversions run as
    /// typed loops over the buffers; numeric ones go value by value.
    static func numeric(_ column: Column, to target: DataType) throws(EngineError) -> Column {
        if let converted = try IntegerFloatCasts.convert(column, to: target) { return converted }
        var builder = ColumnBuilder(type: target, capacity: column.count)
        let sourceScale: Int?
        if case .numeric(_, let scale) = column.type { sourceScale = scale } else { sourceScale = 0 }
        for row in 0..<column.count {
            let value = column.value(at: row)
            if value.isNull {
                builder.append(.null)
            } else if let sourceScale {
                builder.append(try convert(value, sourceScale: sourceScale, to: target))
            } else if case .decimal(let packed) = value {
                let scaled = ScaledDecimal(packed: packed)
                builder.append(try convert(.decimal(scaled.digits), sourceScale: scaled.scale, to: target))
            }
        }
        return builder.build()
    }

    static func convert(_ value: Value, sourceScale: Int, to target: DataType) throws(EngineError) -> Value {
        switch value {
        case .int16(let v): return try fromInteger(Int128(v), to: target)
        case .int32(let v): return try fromInteger(Int128(v), to: target)
        case .int64(let v): return try fromInteger(Int128(v), to: target)
        case .float32(let v): return try fromDouble(Double(v), to: target, significantDigits: 6)
        case .float64(let v): return try fromDouble(v, to: target)
        case .decimal(let v):
            switch target {
            case .float32:
                let double = Double(v) / pow10Double(sourceScale)
                try IntegerFloatCasts.checkReal(Float(double), from: double)
                return .float32(Float(double))
            case .float64: return .float64(Double(v) / pow10Double(sourceScale))
            case .numeric(let precision, let scale?):
                return .decimal(try rescale(v, from: sourceScale, to: scale, precision: precision))
            case .numeric(_, nil):
                return .decimal(try ScaledDecimal(digits: v, scale: sourceScale).packed)
            default:
                return try fromInteger(try rescale(v, from: sourceScale, to: 0, precision: nil), to: target)
            }
        default: preconditionFailure("numeric conversion of \(value)")
        }
    }

    static func fromInteger(_ value: Int128, to target: DataType) throws(EngineError) -> Value {
        switch target {
        case .int16:
            guard let v = Int16(exactly: value) else { throw .outOfRange("smallint") }
            return .int16(v)
        case .int32:
            guard let v = Int32(exactly: value) else { throw .outOfRange("integer") }
            return .int32(v)
        case .int64:
            guard let v = Int64(exactly: value) else { throw .outOfRange("bigint") }
            return .int64(v)
        case .float32: return .float32(Float(value))
        case .float64: return .float64(Double(value))
        case .numeric(let precision, let scale?):
            return .decimal(try rescale(value, from: 0, to: scale, precision: precision))
        case .numeric(_, nil): return .decimal(try ScaledDecimal(integer: value).packed)
        default: preconditionFailure("integer conversion to \(target)")
        }
    }

    /// A float as another type; to numeric through its first `significantDigits` significant digits,
    /// as PostgreSQL converts (15 for double precision, 6 for real).
    /// `micros` moved by a zone offset of `seconds`; 22008 past the range of timestamps.
    static func shiftZone(_ micros: Int64, by seconds: Int) throws(EngineError) -> Int64 {
        let (shifted, overflow) = micros.addingReportingOverflow(Int64(seconds) * 1_000_000)
        guard !overflow else { throw EngineError(.datetimeFieldOverflow, "timestamp out of range") }
        return shifted
    }

    static func fromDouble(_ value: Double, to target: DataType, significantDigits: Int = 15) throws(EngineError)
        -> Value
    {
        switch target {
        case .float32:
            try IntegerFloatCasts.checkReal(Float(value), from: value)
            return .float32(Float(value))
        case .float64: return .float64(value)
        case .numeric(_, nil): return .decimal(try ScaledDecimal(value, significantDigits: significantDigits).packed)
        case .numeric(let precision, let scale?):
            guard value.isFinite else { throw EngineError(.featureNotSupported, "cannot convert \(value) to numeric") }
            let text = ScaledDecimal.decimalText(value, significantDigits: significantDigits)
            let decimal = try TextInput.parseDecimal(text, scale: scale, original: text, type: target)
            return .decimal(try rescale(decimal, from: scale, to: scale, precision: precision))
        default:
            let rounded = value.rounded(.toNearestOrEven)
            guard rounded.isFinite, let integer = Int128(exactly: rounded) else {
                throw .outOfRange(target == .int16 ? "smallint" : target == .int32 ? "integer" : "bigint")
            }
            return try fromInteger(integer, to: target)
        }
    }

    /// Changes a decimal's scale, rounding half away from zero, and checks the precision.
    static func rescale(_ value: Int128, from source: Int, to target: Int, precision: Int?) throws(EngineError)
        -> Int128
    {
        var result = value
        if target > source {
            for _ in source..<target {
                let (v, overflow) = result.multipliedReportingOverflow(by: 10)
                guard !overflow else { throw EngineError(.numericValueOutOfRange, "numeric field overflow") }
                result = v
            }
        } else if source - target > 38 {
            // Every Int128 is below half of 10^39: the value rounds to zero.
            result = 0
        } else if target < source {
            var divisor: Int128 = 1
            for _ in target..<source { divisor *= 10 }
            let (quotient, remainder) = result.quotientAndRemainder(dividingBy: divisor)
            result = quotient + (remainder.magnitude * 2 >= divisor.magnitude ? (value < 0 ? -1 : 1) : 0)
        }
        if let precision, precision < 39 {
            var limit: Int128 = 1
            for _ in 0..<precision { limit *= 10 }
            guard result.magnitude < limit.magnitude else {
                throw EngineError(
                    .numericValueOutOfRange, "numeric field overflow",
                    detail:
                        "A field with precision \(precision), scale \(target) must round to an absolute value less than 10^\(precision - target)."
                )
            }
        }
        return result
    }

    static func numericToOID(_ column: Column, to target: DataType) throws(EngineError) -> Column {
        var builder = ColumnBuilder(type: target, capacity: column.count)
        for row in 0..<column.count {
            switch column.value(at: row) {
            case .null: builder.append(.null)
            case .int16(let v): builder.append(.uint32(UInt32(bitPattern: Int32(v))))
            case .int32(let v): builder.append(.uint32(UInt32(bitPattern: v)))
            case .int64(let v):
                guard let oid = UInt32(exactly: v) else {
                    throw EngineError(.numericValueOutOfRange, "OID out of range")
                }
                builder.append(.uint32(oid))
            case .uint32(let v): builder.append(.uint32(v))
            default: throw EngineError(.cannotCoerce, "cannot cast type \(column.type.sqlName) to \(target.sqlName)")
            }
        }
        return builder.build()
    }

    static func pow10Double(_ exponent: Int) -> Double { (0..<exponent).reduce(1.0) { value, _ in value * 10 } }
}
