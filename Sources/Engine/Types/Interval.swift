/// A PostgreSQL interval: months, days and microseconds kept apart, as PostgreSQL keeps them.
public struct Interval: Hashable, Sendable {
    public var months: Int32
    public var days: Int32
    public var microseconds: Int64

    public init(months: Int32 = 0, days: Int32 = 0, microseconds: Int64 = 0) {
        self.months = months
        self.days = days
        self.microseconds = microseconds
    }
}
