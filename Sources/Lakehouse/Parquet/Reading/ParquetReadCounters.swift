import Synchronization

/// What the Parquet reads of one scan skipped and fetched: row groups pruned (by statistics, by
/// their dictionaries, by the page index), data pages decoded and skipped, and bytes fetched from
/// storage. Shared by every reader of the scan; tests and benchmarks read `counts`.
public final class ParquetReadCounters: Sendable {
    public struct Counts: Sendable, Equatable {
        /// Row groups whose column chunks were read (wholly or in part).
        public var rowGroupsRead = 0
        public var rowGroupsSkippedByStatistics = 0
        public var rowGroupsSkippedByDictionary = 0
        /// Row groups where no page of some predicate column may match.
        public var rowGroupsSkippedByPageIndex = 0
        /// Data pages decompressed and decoded.
        public var pagesRead = 0
        /// Data pages the page index showed hold no wanted row, neither decompressed nor decoded.
        public var pagesSkipped = 0
        /// Bytes read from storage for column chunks, dictionaries and page indexes (footers not
        /// included).
        public var bytesFetched = 0

        public init() {}
    }

    private let state = Mutex(Counts())

    public init() {}

    public var counts: Counts { state.withLock { $0 } }

    func add(_ update: (inout Counts) -> Void) { state.withLock { update(&$0) } }
}

extension Optional where Wrapped == ParquetReadCounters {
    /// Adds to the counters when there are any.
    func add(_ update: (inout ParquetReadCounters.Counts) -> Void) { self?.add(update) }
}
