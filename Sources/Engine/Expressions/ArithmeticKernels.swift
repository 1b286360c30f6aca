/// Whole-column arithmetic with PostgreSQL's overflow and division-by-zero errors.
///
/// Both operands arrive coerced to the result's storage (the binder inserts casts), so each
/// kernel is one tight loop over two typed buffers.
enum ArithmeticKernels {
    static func apply(_ op: ArithmeticOperator, _ lhs: Column, _ rhs: Column, resultType: DataType) throws(EngineError)
        -> Column
    {
        let validity = ValidityBitmap.intersect(lhs.validity, rhs.validity)
        let count = lhs.count
        let storage: Column.Storage
        switch (lhs.storage, rhs.storage) {
        case (.int16(let a), .int16(let b)):
            storage = .int16(try integer(op, a, b, validity: validity, typeName: "smallint"))
        case (.int32(let a), .int32(let b)):
            storage = .int32(try integer(op, a, b, validity: validity, typeName: "integer"))
        case (.int64(let a), .int64(let b)):
            storage = .int64(try integer(op, a, b, validity: validity, typeName: "bigint"))
        case (.float32(let a), .float32(let b)):
            storage = .float32(try floating(op, a, b, validity: validity, typeName: "real"))
        case (.float64(let a), .float64(let b)):
            storage = .float64(try floating(op, a, b, validity: validity, typeName: "double precision"))
        case (.decimal(let a), .decimal(let b)) where resultType.isVariableScaleNumeric:
            storage = .decimal(try scaledDecimal(op, a, b, validity: validity))
        case (.decimal(let a), .decimal(let b)):
            storage = .decimal(try decimal(op, a, b, validity: validity))
        default:
            preconditionFailure("arithmetic on mismatched storage \(lhs.type) \(op.rawValue) \(rhs.type)")
        }
        return Column(type: resultType, count: count, validity: validity, storage: storage)
    }

    static func integer<T: FixedWidthInteger & SignedInteger>(
        _ op: ArithmeticOperator, _ a: [T], _ b: [T], validity: ValidityBitmap?, typeName: String
    ) throws(EngineError) -> [T] {
        let count = a.count
        var overflow = false
        var divideByZero = false
        let result = [T](unsafeUninitializedCapacity: count) { out, initialized in
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    switch op {
                    case .add:
                        for i in 0..<count {
                            let (v, o) = a[i].addingReportingOverflow(b[i])
                            out[i] = v
                            overflow = overflow || (o && validity.map { $0[i] } ?? true)
                        }
                    case .subtract:
                        for i in 0..<count {
                            let (v, o) = a[i].subtractingReportingOverflow(b[i])
                            out[i] = v
                            overflow = overflow || (o && validity.map { $0[i] } ?? true)
                        }
                    case .multiply:
                        for i in 0..<count {
                            let (v, o) = a[i].multipliedReportingOverflow(by: b[i])
                            out[i] = v
                            overflow = overflow || (o && validity.map { $0[i] } ?? true)
                        }
                    case .divide, .modulo:
                        for i in 0..<count {
                            let valid = validity.map { $0[i] } ?? true
                            if b[i] == 0 {
                                out[i] = 0
                                divideByZero = divideByZero || valid
                            } else if b[i] == -1 {
                                // PostgreSQL: MIN / -1 overflows; MIN % -1 is 0.
                                if op == .modulo {
                                    out[i] = 0
                                } else {
                                    let (v, o) = T.zero.subtractingReportingOverflow(a[i])
                                    out[i] = v
                                    overflow = overflow || (o && valid)
                                }
                            } else {
                                out[i] = op == .divide ? a[i] / b[i] : a[i] % b[i]
                            }
                        }
                    }
                }
            }
            initialized = count
        }
        if divideByZero { throw .divisionByZero() }
        if overflow { throw .outOfRange(typeName) }
        return result
    }

    static func floating<T: BinaryFloatingPoint>(
        _ op: ArithmeticOperator, _ a: [T], _ b: [T], validity: ValidityBitmap?, typeName: String
    ) throws(EngineError) -> [T] {
        let count = a.count
        var divideByZero = false
        var overflow = false
        var underflow = false
        // PostgreSQL's float8pl / mi / mul / div checks: a finite result from finite inputs only, and
        // no zero from a product or quotient of non-zero values; NaN / 0 is NaN.
        let result = [T](unsafeUninitializedCapacity: count) { out, initialized in
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    for i in 0..<count {
                        let x = a[i]
                        let y = b[i]
                        let v: T
                        var checked = true
                        switch op {
                        case .add, .subtract:
                            v = op == .add ? x + y : x - y
                            checked = !(v.isInfinite && !x.isInfinite && !y.isInfinite)
                        case .multiply:
                            v = x * y
                            if v.isInfinite && !x.isInfinite && !y.isInfinite {
                                checked = false
                            } else if v == 0 && x != 0 && y != 0 {
                                underflow = underflow || (validity.map { $0[i] } ?? true)
                            }
                        case .divide:
                            if y == 0 && !x.isNaN && (validity.map { $0[i] } ?? true) { divideByZero = true }
                            v = x / y
                            if y != 0 && v.isInfinite && !x.isInfinite {
                                checked = false
                            } else if v == 0 && x != 0 && !y.isInfinite {
                                underflow = underflow || (validity.map { $0[i] } ?? true)
                            }
                        case .modulo:
                            if y == 0 && (validity.map { $0[i] } ?? true) { divideByZero = true }
                            v = x.truncatingRemainder(dividingBy: y)
                        }
                        if !checked && (validity.map { $0[i] } ?? true) { overflow = true }
                        out[i] = v
                    }
                }
            }
            initialized = count
        }
        if divideByZero { throw .divisionByZero() }
        if overflow { throw EngineError(.numericValueOutOfRange, "value out of range: overflow") }
        if underflow { throw EngineError(.numericValueOutOfRange, "value out of range: underflow") }
        return result
    }

    static func decimal(_ op: ArithmeticOperator, _ a: [Int128], _ b: [Int128], validity: ValidityBitmap?)
        throws(EngineError) -> [Int128]
    {
        if op == .divide {
            throw EngineError(
                .featureNotSupported, "numeric division is not supported yet",
                hint: "Cast an operand to double precision.")
        }
        var result = [Int128](repeating: 0, count: a.count)
        var overflow = false
        var divideByZero = false
        for i in 0..<a.count {
            let valid = validity.map { $0[i] } ?? true
            switch op {
            case .add:
                let (v, o) = a[i].addingReportingOverflow(b[i]); result[i] = v; overflow = overflow || (o && valid)
            case .subtract:
                let (v, o) = a[i].subtractingReportingOverflow(b[i]); result[i] = v; overflow = overflow || (o && valid)
            case .multiply:
                let (v, o) = a[i].multipliedReportingOverflow(by: b[i]); result[i] = v;
                overflow = overflow || (o && valid)
            case .modulo:
                if b[i] == 0 { divideByZero = divideByZero || valid } else { result[i] = a[i] % b[i] }
            case .divide:
                break
            }
        }
        if divideByZero { throw .divisionByZero() }
        if overflow { throw EngineError(.numericValueOutOfRange, "numeric value out of range") }
        return result
    }

    /// Arithmetic on packed `ScaledDecimal`s, each result at PostgreSQL's scale for its operands.
    static func scaledDecimal(_ op: ArithmeticOperator, _ a: [Int128], _ b: [Int128], validity: ValidityBitmap?)
        throws(EngineError)
        -> [Int128]
    {
        var result = [Int128](repeating: 0, count: a.count)
        for i in 0..<a.count where validity.map({ $0[i] }) ?? true {
            let (x, y) = (ScaledDecimal(packed: a[i]), ScaledDecimal(packed: b[i]))
            switch op {
            case .add: result[i] = try ScaledDecimal.add(x, y).packed
            case .subtract: result[i] = try ScaledDecimal.add(x, y, subtracting: true).packed
            case .multiply: result[i] = try ScaledDecimal.multiply(x, y).packed
            case .divide: result[i] = try ScaledDecimal.divide(x, y).packed
            case .modulo: result[i] = try ScaledDecimal.remainder(x, y).packed
            }
        }
        return result
    }

    static func negate(_ column: Column) throws(EngineError) -> Column {
        // Floats flip their sign (-(0) is -0, as in PostgreSQL); 0 - x would give 0.
        switch column.storage {
        case .float32(let values):
            return Column(
                type: column.type, count: column.count, validity: column.validity, storage: .float32(values.map { -$0 })
            )
        case .float64(let values):
            return Column(
                type: column.type, count: column.count, validity: column.validity, storage: .float64(values.map { -$0 })
            )
        default: break
        }
        let zero = Column(repeating: zeroValue(for: column.type), type: column.type, count: column.count)
        var result = try apply(.subtract, zero, column, resultType: column.type)
        result.validity = column.validity
        return result
    }

    static func zeroValue(for type: DataType) -> Value {
        switch type.storageKind {
        case .int16: return .int16(0)
        case .int32: return .int32(0)
        case .int64: return .int64(0)
        case .float32: return .float32(0)
        case .float64: return .float64(0)
        case .decimal: return .decimal(0)
        default: return .null
        }
    }
}
