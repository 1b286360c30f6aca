import Synchronization

/// Parsed table metadata files, manifest lists and manifests, by location.
///
/// Iceberg never rewrites one of these files in place: every commit writes new ones and moves the
/// catalog's pointer to a new metadata file. So an entry stays right for as long as it is kept,
/// and a new snapshot is seen as soon as the catalog points at it (the catalog row itself is read
/// afresh for every statement). Entries are bounded by the bytes of the files they came from;
/// the least recently used go first.
public final class IcebergFileCache: Sendable {
    /// The cache every catalog and scan of the process shares.
    public static let shared = IcebergFileCache(capacityBytes: 256 << 20)

    private struct Entry {
        var value: any Sendable
        var bytes: Int
        var lastUse: UInt64
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var bytes = 0
        var clock: UInt64 = 0
        var capacity: Int
        var hits = 0
        var misses = 0
    }

    private let state: Mutex<State>

    public init(capacityBytes: Int) {
        state = Mutex(State(capacity: capacityBytes))
    }

    /// Changes the bound (0 turns caching off), evicting what no longer fits.
    public func setCapacity(_ bytes: Int) {
        state.withLock { state in
            state.capacity = max(0, bytes)
            Self.evict(&state)
        }
    }

    /// Hits and misses so far, for tests and diagnostics.
    public var counts: (hits: Int, misses: Int) { state.withLock { ($0.hits, $0.misses) } }

    /// The cached value for `key`, or what `load` gives (the value and the bytes it was parsed
    /// from), which is then kept. Two tasks missing at once may both load; the values are equal.
    public func value<T: Sendable>(_ key: String, load: () async throws -> (T, bytes: Int)) async throws -> T {
        let cached: T? = state.withLock { state in
            state.clock += 1
            guard let entry = state.entries[key], let value = entry.value as? T else {
                state.misses += 1
                return nil
            }
            state.hits += 1
            state.entries[key]?.lastUse = state.clock
            return value
        }
        if let cached { return cached }
        let (value, bytes) = try await load()
        state.withLock { state in
            guard bytes <= state.capacity / 4 else { return }
            state.clock += 1
            if let old = state.entries[key] { state.bytes -= old.bytes }
            state.entries[key] = Entry(value: value, bytes: bytes, lastUse: state.clock)
            state.bytes += bytes
            Self.evict(&state)
        }
        return value
    }

    private static func evict(_ state: inout State) {
        while state.bytes > state.capacity, let oldest = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse })
        {
            state.bytes -= oldest.value.bytes
            state.entries[oldest.key] = nil
        }
    }
}
