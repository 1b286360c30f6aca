import Testing

@testable import Engine

/// Frames of every mode and bound, in every key direction and NULL placement, checked against a
/// naive reference that decides frame membership row by row from the definitions.
@Suite struct WindowFrameTests {
    let context = EvaluationContext()
    let types: [DataType] = [.int32, .int64, .int64, .float64, .int32]
    let p = Rows.column(0, .int32)
    let o = Rows.column(1, .int64)
    let v = Rows.column(2, .int64)
    let f = Rows.column(3, .float64)

    /// (p int4, o int8, v int8, f float8, id int4): few partitions, many ties, NULLs in every column.
    var rows: [[Value]] {
        (0..<240).map { row in
            let partition: Value = row % 41 == 0 ? .null : .int32(Int32(Rows.scrambled(row, modulo: 4)))
            let order: Value = row % 11 == 0 ? .null : .int64(Int64(Rows.scrambled(row &* 5, modulo: 12)) - 3)
            let value: Value = row % 7 == 0 ? .null : .int64(Int64(Rows.scrambled(row &* 3, modulo: 50)) - 20)
            let float: Value = row % 9 == 0 ? .null : .float64(Double(Rows.scrambled(row &* 13, modulo: 40)) / 4 - 3)
            return [partition, order, value, float, .int32(Int32(row))]
        }
    }

    enum Bound {
        case unboundedPreceding, preceding(Int64), currentRow, following(Int64), unboundedFollowing
    }

    struct Case: CustomStringConvertible {
        var mode: WindowFrame.Mode
        var start: Bound
        var end: Bound
        var description: String { "\(mode) \(start) \(end)" }
    }

    static let cases: [Case] = [
        Case(mode: .rows, start: .unboundedPreceding, end: .currentRow),
        Case(mode: .rows, start: .preceding(2), end: .following(1)),
        Case(mode: .rows, start: .currentRow, end: .unboundedFollowing),
        Case(mode: .rows, start: .following(1), end: .following(3)),
        Case(mode: .rows, start: .preceding(3), end: .preceding(1)),
        Case(mode: .rows, start: .preceding(0), end: .following(0)),
        Case(mode: .range, start: .unboundedPreceding, end: .currentRow),
        Case(mode: .range, start: .preceding(2), end: .following(2)),
        Case(mode: .range, start: .currentRow, end: .currentRow),
        Case(mode: .range, start: .currentRow, end: .following(3)),
        Case(mode: .range, start: .following(1), end: .unboundedFollowing),
        Case(mode: .range, start: .unboundedPreceding, end: .preceding(1)),
        Case(mode: .groups, start: .preceding(1), end: .following(1)),
        Case(mode: .groups, start: .currentRow, end: .following(2)),
        Case(mode: .groups, start: .unboundedPreceding, end: .preceding(1)),
        Case(mode: .groups, start: .following(1), end: .unboundedFollowing),
    ]

    static let orderings = [
        KeyOrdering(descending: false, nullsFirst: false), KeyOrdering(descending: true, nullsFirst: true),
        KeyOrdering(descending: false, nullsFirst: true), KeyOrdering(descending: true, nullsFirst: false),
    ]

    func engineBound(_ bound: Bound, preceding isStart: Bool, _ ordering: KeyOrdering) -> WindowFrame.Bound {
        func limit(_ offset: Int64, subtract: Bool) -> Expression {
            .arithmetic(subtract ? .subtract : .add, o, .constant(.int64(offset), .int64), resultType: .int64)
        }
        switch bound {
        case .unboundedPreceding: return .unboundedPreceding
        case .unboundedFollowing: return .unboundedFollowing
        case .currentRow: return .currentRow
        case .preceding(let n):
            return .preceding(offset: .constant(.int64(n), .int64), limit: limit(n, subtract: !ordering.descending))
        case .following(let n):
            return .following(offset: .constant(.int64(n), .int64), limit: limit(n, subtract: ordering.descending))
        }
    }

    /// The rows in window order (stable), each as its input index.
    func windowOrder(_ rows: [[Value]], _ ordering: KeyOrdering) -> [Int] {
        func partition(_ row: Int) -> Int { if case .int32(let k) = rows[row][0] { Int(k) } else { Int.max } }
        return rows.indices.sorted { a, b in
            if partition(a) != partition(b) { return partition(a) < partition(b) }
            let (x, y) = (sortValue(rows[a][1], ordering), sortValue(rows[b][1], ordering))
            return x != y ? x < y : a < b
        }
    }

    /// The key as a number in window order: NULLs at ±infinity, descending keys negated.
    func sortValue(_ key: Value, _ ordering: KeyOrdering) -> Double {
        guard case .int64(let k) = key else { return ordering.nullsFirst ? -.infinity : .infinity }
        return ordering.descending ? -Double(k) : Double(k)
    }

    /// For each position in window order, the positions of its frame, decided one candidate at a time.
    func referenceFrames(_ rows: [[Value]], _ order: [Int], _ test: Case, _ ordering: KeyOrdering) -> [[Int]] {
        let keys = order.map { sortValue(rows[$0][1], ordering) }
        let partitions = order.map { rows[$0][0] }
        var groupNumber = [Int](repeating: 0, count: order.count)
        for position in order.indices.dropFirst() {
            let samePartition = partitions[position] == partitions[position - 1]
            groupNumber[position] =
                !samePartition ? 0 : groupNumber[position - 1] + (keys[position] == keys[position - 1] ? 0 : 1)
        }
        func distance(_ bound: Bound) -> Double {
            switch bound {
            case .unboundedPreceding: return -.infinity
            case .preceding(let n): return -Double(n)
            case .currentRow: return 0
            case .following(let n): return Double(n)
            case .unboundedFollowing: return .infinity
            }
        }
        func shifted(_ value: Double, _ by: Double) -> Double { value.isInfinite ? value : value + by }
        return order.indices.map { current in
            order.indices.filter { candidate in
                guard partitions[candidate] == partitions[current] else { return false }
                let (lower, upper) = (distance(test.start), distance(test.end))
                switch test.mode {
                case .rows:
                    let offset = Double(candidate - current)
                    return offset >= lower && offset <= upper
                case .groups:
                    let offset = Double(groupNumber[candidate] - groupNumber[current])
                    return offset >= lower && offset <= upper
                case .range:
                    let key = keys[candidate]
                    let low = lower == -.infinity ? -Double.infinity : shifted(keys[current], lower)
                    let high = upper == .infinity ? Double.infinity : shifted(keys[current], upper)
                    return key >= low && key <= high
                }
            }
        }
    }

    @Test(arguments: cases)
    func framesMatchTheReference(_ test: Case) async throws {
        let rows = self.rows
        for ordering in Self.orderings {
            let frame = WindowFrame(
                mode: test.mode, start: engineBound(test.start, preceding: true, ordering),
                end: engineBound(test.end, preceding: false, ordering), rangeKey: test.mode == .range ? o : nil)
            func call(_ function: WindowFunction, _ arguments: [Expression] = [], type: DataType) -> WindowFunctionCall
            {
                WindowFunctionCall(
                    function: function, arguments: arguments, partitionBy: [p],
                    orderBy: [SortKey(o, descending: ordering.descending, nullsFirst: ordering.nullsFirst)],
                    frame: frame,
                    resultType: type)
            }
            let calls = [
                call(.aggregate(try AggregateCall(.count, arguments: [v])), type: .int64),
                call(.aggregate(try AggregateCall(.sum, arguments: [v])), type: .numeric(precision: nil, scale: 0)),
                call(.aggregate(try AggregateCall(.min, arguments: [v])), type: .int64),
                call(.aggregate(try AggregateCall(.max, arguments: [v])), type: .int64),
                call(.aggregate(try AggregateCall(.sum, arguments: [f])), type: .float64),
                call(.firstValue, [v], type: .int64), call(.lastValue, [v], type: .int64),
                call(.nthValue, [v, .constant(.int32(2), .int32)], type: .int64),
                call(
                    .aggregate(
                        try AggregateCall(.boolOr, arguments: [.comparison(.greater, v, .constant(.int64(20), .int64))])
                    ), type: .boolean),
            ]
            let op = WindowOperator(
                input: Rows.stream(types, rows, batchSize: 50), functions: calls, sortGroups: calls.map { _ in 0 },
                context: context, cancellation: QueryCancellation())
            let output = try await Rows.collect(op)
            let order = windowOrder(rows, ordering)
            #expect(output.map { $0[4] } == order.map { rows[$0][4] }, "\(test) \(ordering)")
            let frames = referenceFrames(rows, order, test, ordering)
            for (position, frame) in frames.enumerated() {
                let values = frame.compactMap { position -> Int64? in
                    if case .int64(let x) = rows[order[position]][2] { x } else { nil }
                }
                let floats = frame.compactMap { position -> Double? in
                    if case .float64(let x) = rows[order[position]][3] { x } else { nil }
                }
                func value(_ at: Int) -> Value { at < frame.count ? rows[order[frame[at]]][2] : .null }
                let expected: [Value] = [
                    .int64(Int64(values.count)), values.isEmpty ? .null : .decimal(Int128(values.reduce(0, +))),
                    values.min().map { .int64($0) } ?? .null, values.max().map { .int64($0) } ?? .null,
                    floats.isEmpty ? .null : .float64(floats.reduce(0, +)),
                    value(0), frame.isEmpty ? .null : rows[order[frame.last!]][2], value(1),
                    values.isEmpty ? .null : .bool(values.contains { $0 > 20 }),
                ]
                #expect(Array(output[position][5...]) == expected, "\(test) \(ordering) at \(position)")
            }
        }
    }
}
