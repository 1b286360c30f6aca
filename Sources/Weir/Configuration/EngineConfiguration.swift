import Foundation

/// How queries run.
struct EngineConfiguration: Decodable, Equatable {
    /// The most memory one statement's hash tables, sort buffers and aggregate state may take: bytes,
    /// or a number with kB, MB, GB or TB (`4GB`); absent means a quarter of the machine's memory.
    /// A statement that needs more fails with `53200`.
    var queryMemoryLimit: String?

    enum CodingKeys: String, CodingKey { case queryMemoryLimit = "query_memory_limit" }

    init() {}

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let bytes = try? container.decodeIfPresent(Int.self, forKey: .queryMemoryLimit) {
            queryMemoryLimit = String(bytes)
        } else {
            queryMemoryLimit = try container.decodeIfPresent(String.self, forKey: .queryMemoryLimit)
        }
    }

    /// The per-statement memory limit in bytes.
    func queryMemoryLimitBytes(physicalMemory: UInt64 = ProcessInfo.processInfo.physicalMemory) throws -> Int {
        guard let text = queryMemoryLimit else { return Int(clamping: physicalMemory / 4) }
        guard let bytes = Self.parseSize(text), bytes >= 1 << 20 else {
            throw ConfigurationError(
                "engine.query_memory_limit: \"\(text)\" is not a size of at least 1MB (bytes, or a number with kB, MB, GB or TB)"
            )
        }
        return bytes
    }

    /// `1048576`, `512kB`, `64MB`, `4GB`, `1TB` (units as PostgreSQL writes them, case-insensitive) in bytes.
    static func parseSize(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isNumber }
        guard let number = Int(digits) else { return nil }
        let units: [String: Int] = ["": 1, "b": 1, "kb": 1 << 10, "mb": 1 << 20, "gb": 1 << 30, "tb": 1 << 40]
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
        guard let multiplier = units[unit] else { return nil }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : bytes
    }
}
