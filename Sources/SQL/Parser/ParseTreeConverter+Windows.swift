/// Window clauses: `OVER ...` on a call and a query's `WINDOW name AS (...)` definitions.
extension ParseTreeConverter {
    /// PostgreSQL's `FRAMEOPTION_*` bits of `WindowDef.frameOptions` (parsenodes.h).
    enum FrameOption {
        static let nonDefault = 0x00001
        static let range = 0x00002
        static let rows = 0x00004
        static let groups = 0x00008
        static let startUnboundedPreceding = 0x00020
        static let endUnboundedFollowing = 0x00100
        static let startCurrentRow = 0x00200
        static let endCurrentRow = 0x00400
        static let startOffsetPreceding = 0x00800
        static let endOffsetPreceding = 0x01000
        static let startOffsetFollowing = 0x02000
        static let endOffsetFollowing = 0x04000
        static let excludeCurrentRow = 0x08000
        static let excludeGroup = 0x10000
        static let excludeTies = 0x20000
    }

    /// A `WindowDef` node (bare under `FuncCall.over`, wrapped in the `windowClause` list).
    func windowSpecification(_ json: ParseTreeJSON) throws(ParseError) -> WindowSpecification {
        let node = json["WindowDef"] ?? json
        return WindowSpecification(
            name: node["name"]?.string,
            baseName: node["refname"]?.string,
            partitionBy: try node["partitionClause"]?.array.map { e throws(ParseError) in try expression(e) } ?? [],
            orderBy: try sortItems(node["orderClause"]),
            frame: try frameClause(node),
            location: node["location"]?.int ?? 0)
    }

    private func frameClause(_ node: ParseTreeJSON) throws(ParseError) -> WindowFrameClause? {
        let options = node["frameOptions"]?.int ?? 0
        guard options & FrameOption.nonDefault != 0 else { return nil }
        let mode: WindowFrameClause.Mode =
            options & FrameOption.rows != 0 ? .rows : (options & FrameOption.groups != 0 ? .groups : .range)
        func offset(_ key: String) throws(ParseError) -> Expression {
            guard let value = node[key] else { throw malformed("window frame offset") }
            return try expression(value)
        }
        let start: WindowFrameClause.Bound
        if options & FrameOption.startUnboundedPreceding != 0 {
            start = .unboundedPreceding
        } else if options & FrameOption.startCurrentRow != 0 {
            start = .currentRow
        } else if options & FrameOption.startOffsetPreceding != 0 {
            start = .preceding(try offset("startOffset"))
        } else if options & FrameOption.startOffsetFollowing != 0 {
            start = .following(try offset("startOffset"))
        } else {
            throw malformed("window frame start")
        }
        let end: WindowFrameClause.Bound
        if options & FrameOption.endUnboundedFollowing != 0 {
            end = .unboundedFollowing
        } else if options & FrameOption.endOffsetPreceding != 0 {
            end = .preceding(try offset("endOffset"))
        } else if options & FrameOption.endOffsetFollowing != 0 {
            end = .following(try offset("endOffset"))
        } else {
            end = .currentRow
        }
        let exclusion: WindowFrameClause.Exclusion =
            options & FrameOption.excludeCurrentRow != 0
            ? .currentRow
            : options & FrameOption.excludeGroup != 0
                ? .group : options & FrameOption.excludeTies != 0 ? .ties : .noOthers
        return WindowFrameClause(mode: mode, start: start, end: end, exclusion: exclusion)
    }
}
