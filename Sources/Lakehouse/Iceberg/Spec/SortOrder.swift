/// A table's declared sort order (spec "Sorting"); order id 0 means unsorted.
public struct SortOrder: Sendable, Hashable, Codable {
    /// One sort key.
    public struct Field: Sendable, Hashable, Codable {
        public enum Direction: String, Sendable, Codable { case ascending = "asc", descending = "desc" }
        public enum NullOrder: String, Sendable, Codable { case nullsFirst = "nulls-first", nullsLast = "nulls-last" }

        public var sourceID: Int
        public var transform: PartitionTransform
        public var direction: Direction
        public var nullOrder: NullOrder

        public init(sourceID: Int, transform: PartitionTransform, direction: Direction, nullOrder: NullOrder) {
            self.sourceID = sourceID
            self.transform = transform
            self.direction = direction
            self.nullOrder = nullOrder
        }
    }

    public var orderID: Int
    public var fields: [Field]

    public init(orderID: Int, fields: [Field]) {
        self.orderID = orderID
        self.fields = fields
    }
}
