/// A reusable, growable block of raw memory for decompressed pages and decoded levels or indices,
/// so one column chunk's pages share one allocation instead of allocating per page.
///
/// Owned by a single decode call and never shared between threads.
final class ScratchBuffer {
    private(set) var memory: UnsafeMutableRawBufferPointer

    init() { memory = UnsafeMutableRawBufferPointer(start: nil, count: 0) }

    deinit { memory.deallocate() }

    /// At least `byteCount` bytes, 16-byte aligned; earlier contents are not kept.
    func reserve(_ byteCount: Int) -> UnsafeMutableRawBufferPointer {
        if memory.count < byteCount || memory.baseAddress == nil {
            memory.deallocate()
            // Eight spare bytes let unaligned 64-bit loads read just past the last value safely.
            memory = .allocate(byteCount: max(byteCount, memory.count * 2) + 8, alignment: 16)
        }
        return UnsafeMutableRawBufferPointer(rebasing: memory[0..<byteCount])
    }

    /// Room for `count` values of `T`.
    func reserve<T>(_ count: Int, of: T.Type) -> UnsafeMutablePointer<T> {
        reserve(count * MemoryLayout<T>.stride).baseAddress!.bindMemory(to: T.self, capacity: count)
    }
}
