import Testing

@testable import Engine

@Suite struct ExpressionEvaluatorTests {
    let evaluator = ExpressionEvaluator(context: EvaluationContext())
    let batch = Batch(
        columns: [
            Column(type: .int32, values: [.int32(1), .null, .int32(Int32.max), .int32(-7)]),
            Column(type: .int32, values: [.int32(2), .int32(3), .int32(1), .int32(2)]),
        ], rowCount: 4)

    func values(_ column: Column) -> [Value] { (0..<column.count).map { column.value(at: $0) } }

    @Test func integerOverflowIsAnError() {
        let sum = Expression.arithmetic(
            .add, .column(index: 0, type: .int32), .column(index: 1, type: .int32), resultType: .int32)
        #expect(throws: EngineError.outOfRange("integer")) { try evaluator.evaluate(sum, on: batch) }
    }

    @Test func divisionTruncatesAndNullsPropagate() throws {
        let quotient = Expression.arithmetic(
            .divide, .column(index: 0, type: .int32), .column(index: 1, type: .int32), resultType: .int32)
        #expect(
            values(try evaluator.evaluate(quotient, on: batch)) == [.int32(0), .null, .int32(Int32.max), .int32(-3)])
        let remainder = Expression.arithmetic(
            .modulo, .column(index: 0, type: .int32), .column(index: 1, type: .int32), resultType: .int32)
        #expect(values(try evaluator.evaluate(remainder, on: batch)) == [.int32(1), .null, .int32(0), .int32(-1)])
    }

    @Test func divisionByZeroIgnoresNullRows() throws {
        let zeros = Batch(
            columns: [
                Column(type: .int32, values: [.int32(1), .null]), Column(type: .int32, values: [.int32(1), .int32(0)]),
            ], rowCount: 2)
        let quotient = Expression.arithmetic(
            .divide, .column(index: 0, type: .int32), .column(index: 1, type: .int32), resultType: .int32)
        #expect(values(try evaluator.evaluate(quotient, on: zeros)) == [.int32(1), .null])
        let byZero = Expression.arithmetic(
            .divide, .column(index: 1, type: .int32), .constant(.int32(0), .int32), resultType: .int32)
        #expect(throws: EngineError.divisionByZero()) { try evaluator.evaluate(byZero, on: zeros) }
    }

    @Test func threeValuedLogic() throws {
        let flags = Batch(
            columns: [Column(type: .boolean, values: [.bool(true), .bool(false), .null, .null])], rowCount: 4)
        let other = Batch(
            columns: [Column(type: .boolean, values: [.null, .null, .bool(false), .bool(true)])], rowCount: 4)
        let combined = Batch(columns: flags.columns + other.columns, rowCount: 4)
        let a = Expression.column(index: 0, type: .boolean)
        let b = Expression.column(index: 1, type: .boolean)
        #expect(
            values(try evaluator.evaluate(.and([a, b]), on: combined)) == [.null, .bool(false), .bool(false), .null])
        #expect(values(try evaluator.evaluate(.or([a, b]), on: combined)) == [.bool(true), .null, .null, .bool(true)])
        #expect(values(try evaluator.evaluate(.not(a), on: combined)) == [.bool(false), .bool(true), .null, .null])
    }

    @Test func comparisonsOnTextAreBytewise() throws {
        let words = Batch(
            columns: [Column(type: .text, values: [.text("apple"), .text("b"), .text("é"), .null])], rowCount: 4)
        let less = Expression.comparison(.less, .column(index: 0, type: .text), .constant(.text("b"), .text))
        #expect(values(try evaluator.evaluate(less, on: words)) == [.bool(true), .bool(false), .bool(false), .null])
    }

    @Test func castsFollowPostgreSQL() throws {
        let one = Batch(columns: [], rowCount: 1)
        func cast(_ value: Value, _ from: DataType, _ to: DataType) throws -> Value {
            try evaluator.evaluate(.cast(.constant(value, from), to: to), on: one).value(at: 0)
        }
        #expect(try cast(.float64(2.5), .float64, .int32) == .int32(2))
        #expect(try cast(.float64(3.5), .float64, .int32) == .int32(4))
        #expect(try cast(.text("  42 "), .text, .int64) == .int64(42))
        #expect(try cast(.bool(true), .boolean, .text) == .text("true"))
        #expect(try cast(.text("5 ms"), .text, .interval) == .interval(Interval(microseconds: 5000)))
        #expect(
            try cast(.text("2 m 1 mon 3 days"), .text, .interval)
                == .interval(Interval(months: 1, days: 3, microseconds: 120_000_000)))
        #expect(
            try cast(.decimal(125), .numeric(precision: nil, scale: 2), .numeric(precision: 5, scale: 1))
                == .decimal(13))
        #expect(throws: EngineError(.numericValueOutOfRange, "value \"99999999999\" is out of range for type integer"))
        {
            try cast(.text("99999999999"), .text, .int32)
        }
        #expect(throws: EngineError(.invalidTextRepresentation, "invalid input syntax for type integer: \"abc\"")) {
            try cast(.text("abc"), .text, .int32)
        }
    }

    @Test func integerAndFloatCastsCheckOnlyValidRows() throws {
        var validity = ValidityBitmap(count: 3, allValid: true)
        validity[1] = false
        // The NULL row holds a value that does not fit int2; it must not raise an error.
        let wide = Column(type: .int64, count: 3, validity: validity, storage: .int64([7, 1 << 40, -32768]))
        let batch = Batch(columns: [wide], rowCount: 3)
        let narrowed = try evaluator.evaluate(.cast(.column(index: 0, type: .int64), to: .int16), on: batch)
        #expect(values(narrowed) == [.int16(7), .null, .int16(-32768)])
        let overflowing = Batch(columns: [Column(type: .int64, values: [.int64(1 << 40)])], rowCount: 1)
        #expect(throws: EngineError.outOfRange("smallint")) {
            try evaluator.evaluate(.cast(.column(index: 0, type: .int64), to: .int16), on: overflowing)
        }
        let doubles = try evaluator.evaluate(.cast(.column(index: 0, type: .int64), to: .float64), on: batch)
        #expect(values(doubles) == [.float64(7), .null, .float64(-32768)])
        let decimals = Batch(
            columns: [Column(type: .numeric(precision: nil, scale: 2), values: [.decimal(15), .decimal(-1)])],
            rowCount: 2)
        #expect(
            values(
                try evaluator.evaluate(
                    .cast(.column(index: 0, type: .numeric(precision: nil, scale: 2)), to: .float64), on: decimals))
                == [.float64(0.15), .float64(-0.01)])
    }

    @Test func generateSeriesStreamsInBatches() async throws {
        let source = GenerateSeriesSource(
            start: 1, stop: 10_000, step: 3, type: .int64, cancellation: QueryCancellation())
        var total: Int64 = 0
        var rows = 0
        while let batch = try await source.next() {
            #expect(batch.rowCount <= Batch.preferredRowCount)
            guard case .int64(let values) = batch.columns[0].storage else { return }
            total += values.reduce(0, +)
            rows += batch.rowCount
        }
        #expect(rows == 3334)
        let expected: Int64 = (0..<Int64(3334)).reduce(0) { sum, step in sum + 1 + 3 * step }
        #expect(total == expected)
    }

    @Test func cancellationStopsTheSource() async {
        let cancellation = QueryCancellation()
        let source = GenerateSeriesSource(start: 1, stop: 1_000_000, step: 1, type: .int32, cancellation: cancellation)
        cancellation.cancel()
        await #expect(throws: EngineError.queryCanceled()) { try await source.next() }
    }
}

@Suite struct ColumnSlicingTests {
    @Test func sliceKeepsValuesNullsAndTextOffsets() {
        let column = Column(type: .text, values: [.text("a"), .null, .text("ccc"), .text(""), .text("ee")])
        let slice = column.slice(1..<4)
        #expect((0..<slice.count).map { slice.value(at: $0) } == [.null, .text("ccc"), .text("")])
        #expect(column.slice(2..<5).gather([2, 0]).value(at: 0) == .text("ee"))
        let numbers = Column(type: .int64, values: [.int64(1), .int64(2), .null])
        #expect((0..<2).map { numbers.slice(1..<3).value(at: $0) } == [.int64(2), .null])
    }
}
