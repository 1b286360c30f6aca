import Synchronization

/// The bytes one query may hold in operator state (hash tables, sort buffers, aggregate state), shared by
/// all of its operators and partitions.
///
/// Operators account through a `MemoryReservation`. When a reservation would push the total over the
/// limit it throws `53200`; that throw is the seam where spilling will go: an operator that can spill
/// catches it, writes its state out and shrinks its reservation instead.
public final class MemoryBudget: Sendable {
    /// The most bytes the query may hold; `Int.max` for no limit.
    public let limit: Int
    private let used = Atomic<Int>(0)

    public init(limit: Int = .max) {
        self.limit = limit
    }

    /// Bytes currently reserved by all reservations of this budget.
    public var bytesReserved: Int { used.load(ordering: .relaxed) }

    /// Takes `bytes` more, or throws `53200` (taking nothing) when that would exceed the limit.
    public func grow(by bytes: Int, for consumer: String) throws(EngineError) {
        let total = used.wrappingAdd(bytes, ordering: .relaxed).newValue
        if total > limit {
            used.wrappingSubtract(bytes, ordering: .relaxed)
            throw EngineError(
                .outOfMemory, "out of memory",
                detail:
                    "\(consumer) needs \(bytes) more bytes; the query holds \(total - bytes) of its \(limit)-byte limit.",
                hint: "Raise the query memory limit or make the query touch fewer rows.")
        }
    }

    /// Gives back `bytes` taken earlier.
    public func shrink(by bytes: Int) {
        used.wrappingSubtract(bytes, ordering: .relaxed)
    }
}

/// One operator's share of a `MemoryBudget`: it reports its current size and the reservation moves the
/// difference. Releasing it (or resizing to 0) returns everything.
public struct MemoryReservation: ~Copyable {
    public let budget: MemoryBudget?
    public let consumer: String
    public private(set) var bytes = 0

    public init(budget: MemoryBudget?, consumer: String) {
        self.budget = budget
        self.consumer = consumer
    }

    /// Sets the reserved size to `newBytes`, throwing `53200` if the budget cannot grow that far.
    public mutating func resize(to newBytes: Int) throws(EngineError) {
        guard let budget else { return }
        if newBytes > bytes {
            try budget.grow(by: newBytes - bytes, for: consumer)
        } else if newBytes < bytes {
            budget.shrink(by: bytes - newBytes)
        }
        bytes = newBytes
    }

    /// Stops tracking the reserved bytes without giving them back and returns how many they were; the
    /// caller now owns them and must `shrink` the budget by that much when it lets go.
    public mutating func detach() -> Int {
        defer { bytes = 0 }
        return bytes
    }

    deinit { budget?.shrink(by: bytes) }
}

extension Column {
    /// Approximate bytes held by the column's buffers, for memory accounting.
    public var approximateBytes: Int {
        let validityBytes = validity == nil ? 0 : (count + 7) / 8
        switch storage {
        case .bool(let v): return validityBytes + v.count
        case .int16(let v): return validityBytes + v.count * 2
        case .int32(let v): return validityBytes + v.count * 4
        case .uint32(let v): return validityBytes + v.count * 4
        case .int64(let v): return validityBytes + v.count * 8
        case .float32(let v): return validityBytes + v.count * 4
        case .float64(let v): return validityBytes + v.count * 8
        case .decimal(let v): return validityBytes + v.count * 16
        case .interval(let v): return validityBytes + v.count * 16
        case .bytes(let offsets, let data): return validityBytes + offsets.count * 4 + data.count
        case .array(let offsets, let elements):
            return validityBytes + offsets.count * 4 + elements.column.approximateBytes
        }
    }
}

extension Batch {
    /// Approximate bytes held by all columns.
    public var approximateBytes: Int { columns.reduce(0) { $0 + $1.approximateBytes } }
}
