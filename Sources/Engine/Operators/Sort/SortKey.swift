/// One ORDER BY item: the expression, its direction and where NULLs go.
///
/// PostgreSQL's defaults are NULLS LAST for ascending and NULLS FIRST for descending; the binder fills
/// `nullsFirst` in explicitly.
public struct SortKey: Sendable {
    public var expression: Expression
    public var descending: Bool
    public var nullsFirst: Bool

    public init(_ expression: Expression, descending: Bool = false, nullsFirst: Bool? = nil) {
        self.expression = expression
        self.descending = descending
        self.nullsFirst = nullsFirst ?? descending
    }

    /// The byte-key ordering this sort key asks for.
    public var ordering: KeyOrdering { KeyOrdering(descending: descending, nullsFirst: nullsFirst) }
}
