import Catalog
import Testing

@testable import IcebergConnector

/// How much a write may keep in memory.
@Suite struct IcebergWriteLimitsTests {
    @Test func openFilesTakeAQuarterOfTheMemoryLimitUpTo512MiB() {
        #expect(IcebergTableCatalog.openFilesBudget(memoryLimit: nil) == 512 << 20)
        #expect(IcebergTableCatalog.openFilesBudget(memoryLimit: 16 << 30) == 512 << 20)
        #expect(IcebergTableCatalog.openFilesBudget(memoryLimit: 256 << 20) == 64 << 20)
        // A tiny limit still leaves room for a few pages per open file.
        #expect(IcebergTableCatalog.openFilesBudget(memoryLimit: 1 << 20) == 8 << 20)
    }
}
