/// AND / OR / NOT / IS NULL with SQL's three-valued logic.
enum BooleanKernels {
    /// AND (`isAnd`) or OR over several boolean columns: FALSE (for AND) or TRUE (for OR) wins over NULL.
    static func combine(_ operands: [Column], isAnd: Bool, rowCount: Int) throws(EngineError) -> Column {
        var values = [UInt8](repeating: isAnd ? 1 : 0, count: rowCount)
        if operands.allSatisfy({ $0.validity == nil }) {
            // No NULLs: a byte-wise AND / OR of the 0/1 values.
            values.withUnsafeMutableBufferPointer { output in
                for operand in operands {
                    guard case .bool(let input) = operand.storage else {
                        preconditionFailure("boolean operator on \(operand.type)")
                    }
                    input.withUnsafeBufferPointer { input in
                        if isAnd {
                            for row in 0..<rowCount { output[row] &= input[row] != 0 ? 1 : 0 }
                        } else {
                            for row in 0..<rowCount { output[row] |= input[row] != 0 ? 1 : 0 }
                        }
                    }
                }
            }
            return Column(type: .boolean, count: rowCount, validity: nil, storage: .bool(values))
        }
        var unknown = [Bool](repeating: false, count: rowCount)
        for operand in operands {
            guard case .bool(let input) = operand.storage else {
                preconditionFailure("boolean operator on \(operand.type)")
            }
            for row in 0..<rowCount {
                if operand.isNull(row) {
                    unknown[row] = true
                } else if isAnd && input[row] == 0 {
                    values[row] = 0
                } else if !isAnd && input[row] != 0 {
                    values[row] = 1
                }
            }
        }
        var validity = ValidityBitmap(count: rowCount, allValid: true)
        var anyNull = false
        for row in 0..<rowCount where unknown[row] && values[row] == (isAnd ? 1 : 0) {
            validity[row] = false
            anyNull = true
        }
        return Column(type: .boolean, count: rowCount, validity: anyNull ? validity : nil, storage: .bool(values))
    }

    static func not(_ operand: Column) -> Column {
        guard case .bool(let input) = operand.storage else { preconditionFailure("NOT on \(operand.type)") }
        return Column(
            type: .boolean, count: operand.count, validity: operand.validity,
            storage: .bool(input.map { $0 == 0 ? 1 : 0 }))
    }

    static func isNull(_ operand: Column, negated: Bool) -> Column {
        let values = (0..<operand.count).map { row -> UInt8 in operand.isNull(row) != negated ? 1 : 0 }
        return Column(type: .boolean, count: operand.count, validity: nil, storage: .bool(values))
    }
}
