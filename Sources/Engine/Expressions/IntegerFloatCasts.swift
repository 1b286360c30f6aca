/// Casts among int2, int4, int8, float4 and float8 as typed loops over column buffers, with
/// PostgreSQL's range checks (`22003`) and round-half-even from float to integer.
enum IntegerFloatCasts {
    /// The converted column, or nil when the cast involves `numeric` and needs the general path.
    static func convert(_ column: Column, to target: DataType) throws(EngineError) -> Column? {
        let storage: Column.Storage
        switch column.storage {
        case .int16(let values):
            guard let s = try fromInteger(values, column.validity, to: target) else { return nil }; storage = s
        case .int32(let values):
            guard let s = try fromInteger(values, column.validity, to: target) else { return nil }; storage = s
        case .int64(let values):
            guard let s = try fromInteger(values, column.validity, to: target) else { return nil }; storage = s
        case .float32(let values):
            guard let s = try fromFloat(values, column.validity, to: target) else { return nil }; storage = s
        case .float64(let values):
            guard let s = try fromFloat(values, column.validity, to: target) else { return nil }; storage = s
        case .decimal(let values):
            guard case .numeric(_, let scale?) = column.type, target == .float64 || target == .float32 else {
                return nil
            }
            let doubles = values.map { decimalToDouble($0, scale: scale) }
            storage = target == .float64 ? .float64(doubles) : .float32(try reals(doubles, column.validity))
        default: return nil
        }
        return Column(type: target, count: column.count, validity: column.validity, storage: storage)
    }

    private static func fromInteger<Source: FixedWidthInteger>(
        _ values: [Source], _ validity: ValidityBitmap?, to target: DataType
    ) throws(EngineError) -> Column.Storage? {
        switch target {
        case .int16: return .int16(try narrow(values, validity, typeName: "smallint"))
        case .int32: return .int32(try narrow(values, validity, typeName: "integer"))
        case .int64: return .int64(try narrow(values, validity, typeName: "bigint"))
        // Through `Int`, whose conversion is one instruction; the generic initializer is not.
        case .float32: return .float32(values.map { Float(Int(truncatingIfNeeded: $0)) })
        case .float64: return .float64(values.map { Double(Int(truncatingIfNeeded: $0)) })
        default: return nil
        }
    }

    private static func fromFloat<Source: BinaryFloatingPoint>(
        _ values: [Source], _ validity: ValidityBitmap?, to target: DataType
    ) throws(EngineError) -> Column.Storage? {
        switch target {
        case .int16: return .int16(try rounded(values, validity, typeName: "smallint"))
        case .int32: return .int32(try rounded(values, validity, typeName: "integer"))
        case .int64: return .int64(try rounded(values, validity, typeName: "bigint"))
        case .float32: return .float32(try reals(values, validity))
        case .float64: return .float64(values.map { Double($0) })
        default: return nil
        }
    }

    /// `values` as real, refusing (`22003`) a finite value past real's range or a non-zero one that
    /// would round to zero, as PostgreSQL does; NULL rows are not looked at.
    static func reals<Source: BinaryFloatingPoint>(_ values: [Source], _ validity: ValidityBitmap?) throws(EngineError)
        -> [Float]
    {
        let result = values.map { Float($0) }
        for (row, value) in result.enumerated() where validity.isValid(row) {
            try checkReal(value, from: values[row])
        }
        return result
    }

    @inline(__always)
    static func checkReal<Source: BinaryFloatingPoint>(_ value: Float, from source: Source) throws(EngineError) {
        if value.isInfinite && !source.isInfinite {
            throw EngineError(.numericValueOutOfRange, "value out of range: overflow")
        }
        if value == 0 && source != 0 { throw EngineError(.numericValueOutOfRange, "value out of range: underflow") }
    }

    /// The double nearest to `value / 10^scale`. When both are exact doubles one correctly rounded
    /// division gives it; otherwise the decimal text is parsed, as PostgreSQL's `numeric_float8` does.
    static func decimalToDouble(_ value: Int128, scale: Int) -> Double {
        if value.magnitude < 1 << 53, scale <= 22 {
            return Double(Int64(truncatingIfNeeded: value)) / exactPowersOfTen[scale]
        }
        var text: [UInt8] = []
        TextOutput.appendDecimal(value, scale: scale, to: &text)
        return Double(String(decoding: text, as: UTF8.self)) ?? .nan
    }

    private static let exactPowersOfTen: [Double] = (0...22).map { exponent in
        (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }

    /// Integer to integer; a valid value that does not fit the target is an error.
    private static func narrow<Source: FixedWidthInteger, Target: FixedWidthInteger>(
        _ values: [Source], _ validity: ValidityBitmap?, typeName: String
    ) throws(EngineError) -> [Target] {
        var lossy = false
        let result = [Target](unsafeUninitializedCapacity: values.count) { output, initialized in
            values.withUnsafeBufferPointer { input in
                for index in 0..<input.count {
                    let converted = Target(truncatingIfNeeded: input[index])
                    lossy = lossy || Source(truncatingIfNeeded: converted) != input[index]
                    output[index] = converted
                }
            }
            initialized = values.count
        }
        if lossy {
            for (row, value) in values.enumerated() where Target(exactly: value) == nil && validity.isValid(row) {
                throw .outOfRange(typeName)
            }
        }
        return result
    }

    /// Float to integer, rounding half to even as PostgreSQL's `rint` does.
    private static func rounded<Source: BinaryFloatingPoint, Target: FixedWidthInteger>(
        _ values: [Source], _ validity: ValidityBitmap?, typeName: String
    ) throws(EngineError) -> [Target] {
        var result = [Target](repeating: 0, count: values.count)
        for (row, value) in values.enumerated() {
            let rounded = value.rounded(.toNearestOrEven)
            if let exact = Target(exactly: rounded) {
                result[row] = exact
            } else if validity.isValid(row) {
                throw .outOfRange(typeName)
            }
        }
        return result
    }
}

extension Optional where Wrapped == ValidityBitmap {
    /// True when row `index` holds a value (a missing bitmap means every row does).
    func isValid(_ index: Int) -> Bool {
        guard let bitmap = self else { return true }
        return bitmap[index]
    }
}
