#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The instant a request is signed at, in the two forms Signature Version 4 uses: the
/// `x-amz-date` timestamp (`20150830T123600Z`) and the credential scope's date (`20150830`).
public struct S3SigningTime: Sendable, Equatable {
    /// `YYYYMMDD'T'HHMMSS'Z'` in UTC.
    public let timestamp: String

    /// `YYYYMMDD`, the first eight characters of `timestamp`.
    public var date: String { String(timestamp.prefix(8)) }

    /// A fixed timestamp (`20150830T123600Z`), as test vectors give it; nil when malformed.
    public init?(timestamp: String) {
        let bytes = Array(timestamp.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z"),
            bytes[0..<8].allSatisfy({ (48...57).contains($0) }), bytes[9..<15].allSatisfy({ (48...57).contains($0) })
        else { return nil }
        self.timestamp = timestamp
    }

    /// The instant `secondsSinceEpoch` seconds after 1970-01-01T00:00:00Z.
    public init(secondsSinceEpoch: Int) {
        var seconds = time_t(secondsSinceEpoch)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func digits(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        timestamp =
            digits(parts.tm_year + 1900, 4) + digits(parts.tm_mon + 1, 2) + digits(parts.tm_mday, 2) + "T"
            + digits(parts.tm_hour, 2) + digits(parts.tm_min, 2) + digits(parts.tm_sec, 2) + "Z"
    }

    /// The current time.
    public static func now() -> S3SigningTime {
        S3SigningTime(secondsSinceEpoch: Int(time(nil)))
    }
}
