/// CASE, AND, OR and COALESCE evaluate an operand only on the rows that still need it, as PostgreSQL
/// evaluates them row by row: `CASE WHEN x = 0 THEN NULL ELSE 10 / x END`, `x <> 0 AND 10 / x > 1` and
/// `COALESCE(y, 10 / x)` never divide by a zero the earlier operands ruled out.
///
/// Operands run on a gathered batch of just those rows, and the pieces are put back in row order.
/// AND and OR keep the plain vectorized path when no later operand can fail.
extension ExpressionEvaluator {
    /// `expression` over the rows `rows` of `batch` (all of them when `rows` is nil). Only the
    /// columns the expression reads are gathered; the others are never read, so stay as they are.
    func evaluate(_ expression: Expression, on batch: Batch, rows: [Int32]?) throws(EngineError) -> Column {
        guard let rows, rows.count != batch.rowCount else { return try evaluate(expression, on: batch) }
        let read = expression.referencedColumns
        let columns = batch.columns.indices.map {
            read.contains($0) ? batch.columns[$0].gather(rows) : batch.columns[$0]
        }
        return try evaluate(expression, on: Batch(columns: columns, rowCount: rows.count))
    }

    /// `expression` over the rows `rows` of `batch` only, as a column as long as the batch that is
    /// NULL on the other rows: an aggregate's argument, computed only where its FILTER holds, as
    /// PostgreSQL computes it.
    func evaluate(_ expression: Expression, on batch: Batch, onlyRows rows: [Int32]) throws(EngineError) -> Column {
        guard rows.count != batch.rowCount else { return try evaluate(expression, on: batch) }
        let computed = try evaluate(expression, on: batch, rows: rows)
        return try Self.assemble([(rows, computed)], rowCount: batch.rowCount, type: computed.type, context: context)
    }

    func evaluateCase(
        _ branches: [(condition: Expression, result: Expression)], otherwise: Expression?, resultType: DataType,
        on batch: Batch
    ) throws(EngineError) -> Column {
        var pieces: [(rows: [Int32]?, column: Column)] = []
        var remaining: [Int32]? = nil
        var remainingCount = batch.rowCount
        for branch in branches where remainingCount > 0 {
            let condition = try evaluate(branch.condition, on: batch, rows: remaining)
            let (taken, rest) = Self.split(condition)
            if !taken.isEmpty {
                let takenRows = taken.count == remainingCount ? remaining : taken.map { remaining?[Int($0)] ?? $0 }
                pieces.append((takenRows, try evaluate(branch.result, on: batch, rows: takenRows)))
            }
            remaining = rest.count == remainingCount ? remaining : rest.map { remaining?[Int($0)] ?? $0 }
            remainingCount = rest.count
        }
        if remainingCount > 0, let otherwise {
            pieces.append((remaining, try evaluate(otherwise, on: batch, rows: remaining)))
        }
        return try Self.assemble(pieces, rowCount: batch.rowCount, type: resultType, context: context)
    }

    func evaluateConnective(_ operands: [Expression], isAnd: Bool, on batch: Batch) throws(EngineError) -> Column {
        let rowCount = batch.rowCount
        if operands.dropFirst().allSatisfy(\.cannotFail) {
            let columns = try operands.map { operand throws(EngineError) in try evaluate(operand, on: batch) }
            return try BooleanKernels.combine(columns, isAnd: isAnd, rowCount: rowCount)
        }
        // A row leaves once an operand decides it (FALSE for AND, TRUE for OR); NULLs keep it.
        var decided = [Bool](repeating: false, count: rowCount)
        var unknown = [Bool](repeating: false, count: rowCount)
        var active: [Int32]? = nil
        var activeCount = rowCount
        for operand in operands where activeCount > 0 {
            let column = try evaluate(operand, on: batch, rows: active)
            guard case .bool(let values) = column.storage else {
                preconditionFailure("boolean operator on \(column.type)")
            }
            var next: [Int32] = []
            next.reserveCapacity(activeCount)
            for index in 0..<activeCount {
                let row = active.map { Int($0[index]) } ?? index
                if column.isNull(index) {
                    unknown[row] = true
                    next.append(Int32(row))
                } else if (values[index] != 0) == isAnd {
                    next.append(Int32(row))
                } else {
                    decided[row] = true
                }
            }
            active = next
            activeCount = next.count
        }
        var values = [UInt8](repeating: 0, count: rowCount)
        var validity = ValidityBitmap(count: rowCount, allValid: true)
        for row in 0..<rowCount {
            values[row] = decided[row] != isAnd ? 1 : 0
            if !decided[row] && unknown[row] { validity[row] = false }
        }
        return Column(
            type: .boolean, count: rowCount, validity: validity.nullCount > 0 ? validity : nil, storage: .bool(values))
    }

    /// COALESCE: each argument on the rows every earlier one left NULL.
    func evaluateFirstNonNull(_ arguments: [Expression], type: DataType, on batch: Batch) throws(EngineError) -> Column
    {
        var pieces: [(rows: [Int32]?, column: Column)] = []
        var remaining: [Int32]? = nil
        var remainingCount = batch.rowCount
        for argument in arguments where remainingCount > 0 {
            let column = try evaluate(argument, on: batch, rows: remaining)
            guard let validity = column.nullableValidity else {
                pieces.append((remaining, column))
                remainingCount = 0
                break
            }
            var present: [Int32] = []
            var absent: [Int32] = []
            for index in 0..<remainingCount {
                let row = remaining.map { $0[index] } ?? Int32(index)
                if validity[index] { present.append(row) } else { absent.append(row) }
            }
            if !present.isEmpty {
                let indices = (0..<remainingCount).filter { validity[$0] }.map { Int32($0) }
                pieces.append((present, column.gather(indices)))
            }
            remaining = absent
            remainingCount = absent.count
        }
        return try Self.assemble(pieces, rowCount: batch.rowCount, type: type, context: context)
    }

    /// The positions of `condition` that are TRUE, and the rest (FALSE or NULL).
    private static func split(_ condition: Column) -> (taken: [Int32], rest: [Int32]) {
        guard case .bool(let values) = condition.storage else { preconditionFailure("CASE condition not boolean") }
        var taken: [Int32] = []
        var rest: [Int32] = []
        for index in 0..<condition.count {
            if !condition.isNull(index) && values[index] != 0 {
                taken.append(Int32(index))
            } else {
                rest.append(Int32(index))
            }
        }
        return (taken, rest)
    }

    /// One column of `rowCount` rows from pieces that each cover some rows (nil: all of them), NULL
    /// where none does.
    private static func assemble(
        _ pieces: [(rows: [Int32]?, column: Column)], rowCount: Int, type: DataType, context: EvaluationContext
    ) throws(EngineError) -> Column {
        var columns: [Column] = []
        for piece in pieces {
            columns.append(
                piece.column.type == type
                    ? piece.column : try CastKernels.cast(piece.column, to: type, context: context))
        }
        if pieces.count == 1, pieces[0].rows == nil { return columns[0] }
        var positions = [Int32](repeating: -1, count: rowCount)
        var offset: Int32 = 0
        for (piece, column) in zip(pieces, columns) {
            if let rows = piece.rows {
                for (index, row) in rows.enumerated() { positions[Int(row)] = offset + Int32(index) }
            } else {
                for row in 0..<rowCount { positions[row] = offset + Int32(row) }
            }
            offset += Int32(column.count)
        }
        let all = columns.count == 1 ? columns[0] : Column.concatenate(columns, type: type)
        return all.gatherOrNull(positions)
    }
}

extension Expression {
    /// True when evaluating the expression can raise no error on any input (column references,
    /// constants, comparisons, boolean logic and NULL tests over such): it may then run on rows an
    /// earlier operand has already decided.
    public var cannotFail: Bool {
        switch self {
        case .column, .constant, .parameter: return true
        case .comparison(_, let lhs, let rhs): return lhs.cannotFail && rhs.cannotFail
        case .and(let operands), .or(let operands): return operands.allSatisfy(\.cannotFail)
        case .not(let operand), .isNull(let operand, _): return operand.cannotFail
        case .arithmetic, .negate, .cast, .caseWhen, .function: return false
        }
    }
}
