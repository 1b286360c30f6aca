@testable import Engine

/// Probe rows (k int4, pid int4) and build rows (k int4, bid int4) with duplicates and NULL keys, and a
/// naive nested-loop reference for every join kind.
struct JoinFixture {
    static let probeTypes: [DataType] = [.int32, .int32]
    static let buildTypes: [DataType] = [.int32, .int32]

    var probe: [[Value]]
    var build: [[Value]]

    static let standard = JoinFixture(
        probe: [
            [.int32(1), .int32(10)], [.int32(2), .int32(20)], [.null, .int32(30)], [.int32(1), .int32(40)],
            [.int32(4), .int32(50)], [.int32(2), .int32(60)], [.int32(5), .int32(70)],
        ],
        build: [
            [.int32(1), .int32(5)], [.int32(2), .int32(25)], [.int32(1), .int32(35)], [.null, .int32(45)],
            [.int32(3), .int32(55)], [.int32(2), .int32(65)],
        ])

    /// `bid < pid` over the combined columns (probe k, pid, build k, bid).
    static let residual = Expression.comparison(.less, .column(index: 3, type: .int32), .column(index: 1, type: .int32))

    func matches(_ p: [Value], _ b: [Value], residual: Bool) -> Bool {
        guard case .int32(let pk) = p[0], case .int32(let bk) = b[0], pk == bk else { return false }
        guard residual else { return true }
        guard case .int32(let pid) = p[1], case .int32(let bid) = b[1] else { return false }
        return bid < pid
    }

    /// The rows `kind` yields, sorted for comparison (join output order is not defined).
    func reference(_ kind: JoinKind, residual: Bool) -> [[Value]] {
        var out: [[Value]] = []
        var buildMatched = Array(repeating: false, count: build.count)
        for p in probe {
            let partners = build.indices.filter { matches(p, build[$0], residual: residual) }
            for index in partners { buildMatched[index] = true }
            switch kind {
            case .inner, .right: out += partners.map { p + build[$0] }
            case .left, .full: out += partners.isEmpty ? [p + [.null, .null]] : partners.map { p + build[$0] }
            case .semi: if !partners.isEmpty { out.append(p) }
            case .anti: if partners.isEmpty { out.append(p) }
            case .nullAwareAnti:
                if build.isEmpty {
                    out.append(p)
                } else if !build.contains(where: { $0[0].isNull }), !p[0].isNull, partners.isEmpty {
                    out.append(p)
                }
            }
        }
        if kind == .right || kind == .full {
            for (index, b) in build.enumerated() where !buildMatched[index] { out.append([.null, .null] + b) }
        }
        return Self.sorted(out)
    }

    static func sorted(_ rows: [[Value]]) -> [[Value]] {
        rows.sorted { "\($0)" < "\($1)" }
    }
}
