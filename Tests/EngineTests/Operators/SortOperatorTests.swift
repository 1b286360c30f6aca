import Testing

@testable import Engine

@Suite struct SortOperatorTests {
    let context = EvaluationContext()
    let types: [DataType] = [.int32, .text, .float64, .int32]

    /// Rows (a int4, b text, c float8, id int4) with NULLs, ties and NaN.
    var rows: [[Value]] {
        (0..<300).map { row in
            let a: Value = row % 17 == 0 ? .null : .int32(Int32(Rows.scrambled(row, modulo: 10)) - 5)
            let b: Value =
                row % 13 == 0 ? .null : .text(["", "a", "ab", "b", "B", "a\u{0}"][Rows.scrambled(row &* 7, modulo: 6)])
            let c: Value = row % 29 == 0 ? .float64(.nan) : .float64(Double(Rows.scrambled(row &* 3, modulo: 5)) - 2)
            return [a, b, c, .int32(Int32(row))]
        }
    }

    /// A naive three-way comparison of boxed values in PostgreSQL's order (NULLs handled by the caller).
    func compare(_ lhs: Value, _ rhs: Value) -> Int {
        switch (lhs, rhs) {
        case (.int32(let a), .int32(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        case (.float64(let a), .float64(let b)):
            if a.isNaN || b.isNaN { return a.isNaN ? (b.isNaN ? 0 : 1) : -1 }
            return a < b ? -1 : (a == b ? 0 : 1)
        case (.bytes(let a), .bytes(let b)):
            return a.lexicographicallyPrecedes(b) ? -1 : (a == b ? 0 : 1)
        default: fatalError("unexpected values")
        }
    }

    /// The expected order: a stable sort of the row numbers with a comparator written out per key.
    func reference(_ rows: [[Value]], _ keys: [(column: Int, descending: Bool, nullsFirst: Bool)]) -> [[Value]] {
        let ordered = rows.indices.sorted { i, j in
            for key in keys {
                let a = rows[i][key.column]
                let b = rows[j][key.column]
                if a.isNull && b.isNull { continue }
                if a.isNull || b.isNull { return a.isNull == key.nullsFirst }
                let order = compare(a, b)
                if order != 0 { return key.descending ? order > 0 : order < 0 }
            }
            return i < j
        }
        return ordered.map { rows[$0] }
    }

    func sorted(_ keys: [(column: Int, descending: Bool, nullsFirst: Bool)], limit: Int? = nil, offset: Int = 0)
        async throws -> [[Value]]
    {
        let op = SortOperator(
            input: Rows.stream(types, rows, batchSize: 37),
            keys: keys.map {
                SortKey(Rows.column($0.column, types[$0.column]), descending: $0.descending, nullsFirst: $0.nullsFirst)
            },
            limit: limit, offset: offset, context: context, cancellation: QueryCancellation())
        return try await Rows.collect(op)
    }

    @Test func mixedDirectionsAndNullPlacement() async throws {
        let keySets: [[(column: Int, descending: Bool, nullsFirst: Bool)]] = [
            [(0, false, false)],
            [(0, true, true), (1, false, false)],
            [(1, true, false), (2, false, true)],
            [(2, true, true), (0, false, true), (1, true, true)],
            [(1, false, true)],
        ]
        for keys in keySets {
            #expect(Rows.described(try await sorted(keys)) == Rows.described(reference(rows, keys)), "keys \(keys)")
        }
    }

    @Test func topNMatchesFullSortPrefix() async throws {
        let keys: [(column: Int, descending: Bool, nullsFirst: Bool)] = [(0, true, false), (2, false, false)]
        let full = reference(rows, keys)
        #expect(Rows.described(try await sorted(keys, limit: 10)) == Rows.described(Array(full.prefix(10))))
        #expect(Rows.described(try await sorted(keys, limit: 25, offset: 40)) == Rows.described(Array(full[40..<65])))
        #expect(Rows.described(try await sorted(keys, limit: 1000)) == Rows.described(full))
        #expect(try await sorted(keys, limit: 0).isEmpty)
        #expect(Rows.described(try await sorted(keys, offset: 295)) == Rows.described(Array(full.suffix(5))))
    }

    @Test func emptyInputAndStability() async throws {
        let empty = SortOperator(
            input: MaterializedStream([]), keys: [SortKey(Rows.column(0, .int32))], context: context,
            cancellation: QueryCancellation())
        #expect(try await Rows.collect(empty).isEmpty)
        let ties: [[Value]] = (0..<50).map { [.int32(Int32($0 % 2)), .int32(Int32($0))] }
        let op = SortOperator(
            input: Rows.stream([.int32, .int32], ties, batchSize: 7),
            keys: [SortKey(Rows.column(0, .int32), descending: true)],
            context: context, cancellation: QueryCancellation())
        let expected = ties.filter { $0[0] == .int32(1) } + ties.filter { $0[0] == .int32(0) }
        #expect(try await Rows.collect(op) == expected)
    }

    @Test func numericIntervalAndBigintKeys() async throws {
        let values: [[Value]] = [
            [.decimal(-5), .interval(Interval(days: 31)), .int64(Int64.min)],
            [.decimal(10), .interval(Interval(months: 1)), .int64(-1)],
            [.null, .interval(Interval(microseconds: -1)), .int64(Int64.max)],
            [.decimal(Int128.min), .null, .int64(0)],
        ]
        let types: [DataType] = [.numeric(precision: nil, scale: 2), .interval, .int64]
        func order(_ column: Int) async throws -> [Int] {
            let op = SortOperator(
                input: Rows.stream(types, values), keys: [SortKey(Rows.column(column, types[column]))],
                context: context,
                cancellation: QueryCancellation())
            return try await Rows.collect(op).map { row in values.firstIndex(of: row)! }
        }
        #expect(try await order(0) == [3, 0, 1, 2])
        #expect(try await order(1) == [2, 1, 0, 3])
        #expect(try await order(2) == [0, 1, 3, 2])
    }
}
