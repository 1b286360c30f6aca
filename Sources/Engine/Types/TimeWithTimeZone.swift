/// A `time with time zone` value: a time of day and the UTC offset it was written with.
///
/// Packed into one `Int64` as `(UTC time of day) << 17 | (offset + 65536)`, so that comparing,
/// hashing and sorting the packed integers orders values as PostgreSQL does — by the instant,
/// then by the offset — and `timetz` columns use the plain `int64` kernels.
public struct TimeWithTimeZone: Sendable, Equatable {
    /// Microseconds since local midnight, 0 ... 24:00:00.
    public var time: Int64
    /// Seconds east of UTC (PostgreSQL keeps the negation, seconds west), at most ±15:59:59.
    public var offsetSeconds: Int

    public static let maximumOffset = 15 * 3600 + 59 * 60 + 59

    public init(time: Int64, offsetSeconds: Int) {
        self.time = time
        self.offsetSeconds = offsetSeconds
    }

    public init(packed: Int64) {
        let offset = Int(packed & 0x1FFFF) - 65536
        self.init(time: (packed >> 17) + Int64(offset) * 1_000_000, offsetSeconds: offset)
    }

    public var packed: Int64 {
        (time - Int64(offsetSeconds) * 1_000_000) << 17 | Int64(offsetSeconds + 65536)
    }

    /// `HH:MM:SS[.ffffff]±HH[:MM[:SS]]`, or with no offset written, `defaultOffset`'s. Errors are
    /// PostgreSQL's: `22007` for text that is no time, `22009` for an offset beyond ±15:59:59.
    public static func parse(_ text: String, defaultOffset: () -> Int) throws(EngineError) -> TimeWithTimeZone {
        let invalid = EngineError(
            .invalidDatetimeFormat, "invalid input syntax for type time with time zone: \"\(text)\"")
        var clock = Substring(text)
        var offset: Int?
        if clock.hasSuffix("Z") || clock.hasSuffix("z") {
            offset = 0
            clock = clock.dropLast()
        } else if clock.uppercased().hasSuffix("UTC") || clock.uppercased().hasSuffix("GMT") {
            offset = 0
            clock = clock.dropLast(3)
        } else if let sign = clock.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let zone = clock[clock.index(after: sign)...].split(separator: ":", omittingEmptySubsequences: false)
            guard (1...3).contains(zone.count), let hours = Int(zone[0]), zone.allSatisfy({ Int($0) != nil }) else {
                throw invalid
            }
            let minutes = zone.count > 1 ? Int(zone[1])! : 0
            let seconds = zone.count > 2 ? Int(zone[2])! : 0
            guard (0..<60).contains(minutes), (0..<60).contains(seconds) else { throw invalid }
            offset = (hours * 3600 + minutes * 60 + seconds) * (clock[sign] == "-" ? -1 : 1)
            clock = clock[..<sign]
        }
        while clock.last == " " { clock = clock.dropLast() }
        guard let time = TextInput.parseTime(clock), time <= CivilDate.microsecondsPerDay else { throw invalid }
        let resolved = offset ?? defaultOffset()
        guard abs(resolved) <= maximumOffset else {
            throw EngineError(.invalidTimeZoneDisplacementValue, "time zone displacement out of range: \"\(text)\"")
        }
        return TimeWithTimeZone(time: time, offsetSeconds: resolved)
    }
}
