/// `count(*)` and `count(x)`: one Int64 per group; never NULL.
final class CountAccumulator: GroupAccumulator {
    private let countsNulls: Bool
    private var counts: [Int64] = []

    init(countsNulls: Bool) {
        self.countsNulls = countsNulls
    }

    var approximateBytes: Int { counts.count * 8 }

    func update(groupIds: [Int32], arguments: [Column], orderKeys: [Column], groupCount: Int) throws(EngineError) {
        counts.grow(to: groupCount, with: 0)
        let validity = countsNulls ? nil : arguments.first?.nullableValidity
        counts.withUnsafeMutableBufferPointer { counts in
            groupIds.withUnsafeBufferPointer { groups in
                if let validity {
                    for row in 0..<groups.count where validity[row] { counts[Int(groups[row])] &+= 1 }
                } else {
                    for row in 0..<groups.count { counts[Int(groups[row])] &+= 1 }
                }
            }
        }
    }

    func merge(groupIds: [Int32], states: [Column], groupCount: Int) throws(EngineError) {
        counts.grow(to: groupCount, with: 0)
        guard case .int64(let partial) = states[0].storage else { preconditionFailure("count state is bigint") }
        for row in 0..<groupIds.count { counts[Int(groupIds[row])] &+= partial[row] }
    }

    func states(groupCount: Int) throws(EngineError) -> [Column] { [try finish(groupCount: groupCount)] }

    func finish(groupCount: Int) throws(EngineError) -> Column {
        counts.grow(to: groupCount, with: 0)
        return Column(type: .int64, count: groupCount, validity: nil, storage: .int64(Array(counts.prefix(groupCount))))
    }
}

/// `bool_and` / `every` and `bool_or`: NULL for groups without a non-NULL input.
final class BoolAccumulator: GroupAccumulator {
    private let isAnd: Bool
    private var values: [UInt8] = []
    private var seen: [UInt8] = []

    init(isAnd: Bool) {
        self.isAnd = isAnd
    }

    var approximateBytes: Int { values.count * 2 }

    func update(groupIds: [Int32], arguments: [Column], orderKeys: [Column], groupCount: Int) throws(EngineError) {
        values.grow(to: groupCount, with: isAnd ? 1 : 0)
        seen.grow(to: groupCount, with: 0)
        let column = arguments[0]
        guard case .bool(let input) = column.storage else { preconditionFailure("bool_and over non-boolean") }
        let validity = column.nullableValidity
        let isAnd = self.isAnd
        for row in 0..<groupIds.count where validity?[row] ?? true {
            let group = Int(groupIds[row])
            seen[group] = 1
            values[group] = isAnd ? values[group] & input[row] : values[group] | input[row]
        }
    }

    func merge(groupIds: [Int32], states: [Column], groupCount: Int) throws(EngineError) {
        try update(groupIds: groupIds, arguments: states, orderKeys: [], groupCount: groupCount)
    }

    func states(groupCount: Int) throws(EngineError) -> [Column] { [try finish(groupCount: groupCount)] }

    func finish(groupCount: Int) throws(EngineError) -> Column {
        values.grow(to: groupCount, with: isAnd ? 1 : 0)
        seen.grow(to: groupCount, with: 0)
        return Column(
            type: .boolean, count: groupCount, validity: groupValidity(seen, groupCount),
            storage: .bool(Array(values.prefix(groupCount))))
    }
}

/// A validity bitmap that is NULL where `seen[group] == 0`, or nil when every group was seen.
func groupValidity(_ seen: [UInt8], _ groupCount: Int) -> ValidityBitmap? {
    guard seen.prefix(groupCount).contains(0) else { return nil }
    var bits = ValidityBitmap(count: groupCount, allValid: true)
    for group in 0..<groupCount where seen[group] == 0 { bits[group] = false }
    return bits
}
