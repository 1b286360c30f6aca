/// A set of equally long columns: the unit every operator consumes and produces.
public struct Batch: Sendable {
    public var columns: [Column]
    public let rowCount: Int

    public init(columns: [Column], rowCount: Int) {
        self.columns = columns
        self.rowCount = rowCount
    }

    /// The usual number of rows an operator puts in one batch.
    public static let preferredRowCount = 4096
}
