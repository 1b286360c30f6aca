/// A window as written: the parentheses of `OVER (...)`, a bare `OVER name`, or one definition of a
/// query's `WINDOW name AS (...)` clause.
public struct WindowSpecification: Sendable, Equatable {
    /// For a `WINDOW` definition, the name it defines; for `OVER name` (no parentheses), the
    /// definition used as it is, frame included.
    public var name: String?
    /// `OVER (name ...)` or `WINDOW w AS (name ...)`: the definition whose PARTITION BY and ORDER BY
    /// this window builds on.
    public var baseName: String?
    public var partitionBy: [Expression]
    public var orderBy: [SortItem]
    /// nil when the window states no frame (PostgreSQL's default frame applies).
    public var frame: WindowFrameClause?
    public var location: Int

    public init(
        name: String? = nil, baseName: String? = nil, partitionBy: [Expression] = [], orderBy: [SortItem] = [],
        frame: WindowFrameClause? = nil, location: Int = 0
    ) {
        self.name = name
        self.baseName = baseName
        self.partitionBy = partitionBy
        self.orderBy = orderBy
        self.frame = frame
        self.location = location
    }

    /// True for `OVER name`: a reference to a `WINDOW` definition, adding nothing to it.
    public var isReference: Bool {
        name != nil && baseName == nil && partitionBy.isEmpty && orderBy.isEmpty && frame == nil
    }
}

/// `{ROWS | RANGE | GROUPS} [BETWEEN] start [AND end] [EXCLUDE ...]`.
public struct WindowFrameClause: Sendable, Equatable {
    public enum Mode: String, Sendable { case rows = "ROWS", range = "RANGE", groups = "GROUPS" }

    public enum Bound: Sendable, Equatable {
        case unboundedPreceding
        case preceding(Expression)
        case currentRow
        case following(Expression)
        case unboundedFollowing
    }

    public enum Exclusion: String, Sendable {
        case noOthers = "NO OTHERS", currentRow = "CURRENT ROW", group = "GROUP", ties = "TIES"
    }

    public var mode: Mode
    public var start: Bound
    /// `CURRENT ROW` when only a start is written.
    public var end: Bound
    public var exclusion: Exclusion

    public init(mode: Mode, start: Bound, end: Bound = .currentRow, exclusion: Exclusion = .noOthers) {
        self.mode = mode
        self.start = start
        self.end = end
        self.exclusion = exclusion
    }
}
