import Foundation

#if os(Linux)
    /// glibc's `mallopt` (declared in malloc.h, which the Glibc module does not export).
    @_silgen_name("mallopt")
    private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif

/// glibc malloc settings for a server that decodes column chunks: by default each buffer over 128
/// KiB is mapped and unmapped on its own, and freed memory at the top of the heap goes back to the
/// system at once, so every row group read pays for fresh pages (page faults, zeroing). Serving
/// buffers up to 32 MiB from the heap and keeping up to 256 MiB of freed memory makes repeated
/// scans reuse their memory. Settings a user gives through `MALLOC_*` environment variables win.
enum MemoryAllocatorTuning {
    static let mmapThreshold: Int32 = 32 << 20
    static let trimThreshold: Int32 = 256 << 20
    static let topPad: Int32 = 64 << 20

    static func apply(environment: [String: String] = ProcessInfo.processInfo.environment) {
        #if os(Linux)
            // malloc.h: M_TRIM_THRESHOLD -1, M_TOP_PAD -2, M_MMAP_THRESHOLD -3.
            if environment["MALLOC_MMAP_THRESHOLD_"] == nil { _ = mallopt(-3, mmapThreshold) }
            if environment["MALLOC_TRIM_THRESHOLD_"] == nil { _ = mallopt(-1, trimThreshold) }
            if environment["MALLOC_TOP_PAD_"] == nil { _ = mallopt(-2, topPad) }
        #endif
    }
}
