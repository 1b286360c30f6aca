import Foundation

/// The session's `TimeZone` setting, resolved through the system time zone database.
public struct SessionTimeZone: Sendable, Equatable {
    /// The name as the user set it and `SHOW TimeZone` prints it.
    public let name: String
    private let zone: TimeZone

    public static let utc = SessionTimeZone(name: "UTC", zone: TimeZone(identifier: "UTC")!)

    private init(name: String, zone: TimeZone) {
        self.name = name
        self.zone = zone
    }

    /// The zone named `name` (an IANA name such as `Europe/Paris`, or `UTC`), or nil if unknown.
    public init?(named name: String) {
        let canonical =
            name.uppercased() == "UTC" || name.uppercased() == "GMT" || name.uppercased() == "Z" ? "UTC" : name
        guard let zone = TimeZone(identifier: canonical) else { return nil }
        self.init(name: name, zone: zone)
    }

    /// The zone's offset from UTC, in seconds east, at an instant given as microseconds since 1970 UTC.
    public func offsetSeconds(atUTCMicroseconds microseconds: Int64) -> Int {
        if name == "UTC" { return 0 }
        let date = Date(timeIntervalSince1970: Double(microseconds.floorDividedAndRemainder(by: 1_000_000).0))
        return zone.secondsFromGMT(for: date)
    }

    public static func == (lhs: SessionTimeZone, rhs: SessionTimeZone) -> Bool { lhs.name == rhs.name }
}
