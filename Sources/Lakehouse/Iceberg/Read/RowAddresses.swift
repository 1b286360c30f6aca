import Synchronization

/// Where a row of an Iceberg table lives, packed in one `Int64` as PostgreSQL's `ctid` packs a
/// block and an offset: the ordinal a `RowAddressBook` gave its data file, and the row's position
/// in that file (counted over every row the file holds, deleted or not, as position deletes count).
///
/// DELETE and UPDATE scan their table with an address column, so the rows they match can be found
/// again in their files after joins and filters.
public enum RowAddress {
    /// Bits of the position: files of up to 2^40 rows, and 2^23 files per statement.
    static let positionBits = 40
    static let positionMask: Int64 = (1 << positionBits) - 1

    public static func make(file: Int, position: Int64) -> Int64 { Int64(file) << positionBits | position }
    public static func file(_ address: Int64) -> Int { Int(address >> positionBits) }
    public static func position(_ address: Int64) -> Int64 { address & positionMask }
}

/// The data files the scans of one statement gave ordinals to, for the `RowAddress`es they produce.
public final class RowAddressBook: Sendable {
    private let locations = Mutex<[String]>([])

    public init() {}

    /// Gives `files` consecutive ordinals; returns the first.
    func register(_ files: [String]) throws -> Int {
        try locations.withLock { locations in
            guard locations.count + files.count < 1 << (63 - RowAddress.positionBits) else {
                throw LakehouseError(
                    .programLimitExceeded,
                    "a statement cannot address rows in more than \(1 << (63 - RowAddress.positionBits)) data files")
            }
            defer { locations += files }
            return locations.count
        }
    }

    /// The location of the data file with ordinal `file`.
    public func location(ofFile file: Int) -> String? {
        locations.withLock { file < $0.count ? $0[file] : nil }
    }
}
