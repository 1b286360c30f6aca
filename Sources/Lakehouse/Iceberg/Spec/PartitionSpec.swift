/// One field of a partition spec: which column it comes from and how.
public struct PartitionField: Sendable, Hashable, Codable {
    /// The schema field id of the source column.
    public var sourceID: Int
    /// The partition field's own id (1000 and up), used in manifests' partition tuples.
    public var fieldID: Int
    public var name: String
    public var transform: PartitionTransform

    public init(sourceID: Int, fieldID: Int, name: String, transform: PartitionTransform) {
        self.sourceID = sourceID
        self.fieldID = fieldID
        self.name = name
        self.transform = transform
    }
}

/// A partition spec (spec "Partitioning"); a table keeps every spec it ever had, and each data
/// file records the spec id it was written with.
public struct PartitionSpec: Sendable, Hashable, Codable {
    public var specID: Int
    public var fields: [PartitionField]

    public init(specID: Int, fields: [PartitionField]) {
        self.specID = specID
        self.fields = fields
    }

    /// True when no field partitions the data (no fields, or only `void` ones).
    public var isUnpartitioned: Bool { fields.allSatisfy { $0.transform == .void } }
}
