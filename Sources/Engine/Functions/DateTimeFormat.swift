/// A compiled `to_char`/`to_date`/`to_timestamp` template: PostgreSQL's date/time format patterns
/// (`YYYY`, `CC`, `MM`, `DD`, `HH24`, `MI`, `SS`, `MS`, `US`, `Mon`, `Month`, `Day`, `Dy`, `Q`, `WW`,
/// `IW`, `AM`/`PM`, `TZ`, the `FM` prefix), with `"quoted"` literal text.
public struct DateTimeFormat: Sendable {
    public enum Field: String, Sendable, CaseIterable {
        case year4 = "YYYY", year3 = "YYY", year2 = "YY", year1 = "Y", isoYear = "IYYY", century = "CC"
        case month = "MM", day = "DD", dayOfYear = "DDD", dayOfWeek = "D", isoDayOfWeek = "ID"
        case hour24 = "HH24", hour12 = "HH12", hour = "HH", minute = "MI", second = "SS", secondsOfDay = "SSSS"
        case millisecond = "MS", microsecond = "US", quarter = "Q", week = "WW", isoWeek = "IW", julian = "J"
        case monthName = "MONTH", monthAbbreviation = "MON", dayName = "DAY", dayAbbreviation = "DY"
        case meridiem = "AM", meridiemPM = "PM", meridiemDots = "A.M.", meridiemDotsPM = "P.M.", zone = "TZ"
    }

    /// How a name prints: `Month`, `MONTH` or `month`.
    public enum Capitalization: Sendable { case upper, lower, initial }

    public enum Item: Sendable {
        case literal(String)
        case field(Field, fillMode: Bool, capitalization: Capitalization)
    }

    public let items: [Item]

    /// Longest keywords first, so `MONTH` wins over `MON` and `HH24` over `HH`.
    static let keywords = Field.allCases.sorted { $0.rawValue.count > $1.rawValue.count }

    public init(_ template: String) {
        var items: [Item] = []
        var rest = Substring(template)
        var fillMode = false
        while let character = rest.first {
            if character == "\"" {
                rest = rest.dropFirst()
                var text = ""
                while let next = rest.first, next != "\"" {
                    if next == "\\", rest.count > 1 { rest = rest.dropFirst() }
                    text.append(rest.first!)
                    rest = rest.dropFirst()
                }
                rest = rest.dropFirst()
                items.append(.literal(text))
                continue
            }
            if rest.uppercased().hasPrefix("FM") {
                fillMode = true
                rest = rest.dropFirst(2)
                continue
            }
            let upper = rest.prefix(5).uppercased()
            if let field = Self.keywords.first(where: { upper.hasPrefix($0.rawValue) }) {
                let written = rest.prefix(field.rawValue.count)
                let capitalization: Capitalization =
                    written == written.uppercased() ? .upper : (written.first!.isUppercase ? .initial : .lower)
                items.append(.field(field, fillMode: fillMode, capitalization: capitalization))
                rest = rest.dropFirst(field.rawValue.count)
            } else {
                if character == "\\", rest.count > 1 { rest = rest.dropFirst() }
                items.append(.literal(String(rest.first!)))
                rest = rest.dropFirst()
            }
            fillMode = false
        }
        self.items = items
    }

    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]
    static let dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// The text of `time` (wall clock) under this template; `zone` names the zone for `TZ`.
    public func format(_ time: CivilDateTime, zone: String?, into out: inout String) {
        for item in items {
            switch item {
            case .literal(let text): out += text
            case .field(let field, let fillMode, let capitalization):
                func number(_ value: Int, width: Int) {
                    let digits = String(abs(value))
                    if value < 0 { out += "-" }
                    out += fillMode ? digits : String(repeating: "0", count: max(0, width - digits.count)) + digits
                }
                func name(_ text: String, width: Int) {
                    let cased =
                        capitalization == .upper
                        ? text.uppercased() : capitalization == .lower ? text.lowercased() : text
                    out +=
                        fillMode ? cased : cased.padding(toLength: max(width, cased.count), withPad: " ", startingAt: 0)
                }
                let hour12 = time.hour % 12 == 0 ? 12 : time.hour % 12
                switch field {
                case .year4: number(time.year, width: 4)
                case .year3: number(time.year % 1000, width: 3)
                case .year2: number(time.year % 100, width: 2)
                case .year1: number(time.year % 10, width: 1)
                case .isoYear: number(time.isoWeek.year, width: 4)
                case .century: number(time.year > 0 ? (time.year + 99) / 100 : -((99 - time.year) / 100), width: 2)
                case .month: number(time.month, width: 2)
                case .day: number(time.day, width: 2)
                case .dayOfYear: number(time.dayOfYear, width: 3)
                case .dayOfWeek: number(time.dayOfWeek + 1, width: 1)
                case .isoDayOfWeek: number(time.dayOfWeek == 0 ? 7 : time.dayOfWeek, width: 1)
                case .hour24: number(time.hour, width: 2)
                case .hour12, .hour: number(hour12, width: 2)
                case .minute: number(time.minute, width: 2)
                case .second: number(time.second, width: 2)
                case .secondsOfDay: number(time.hour * 3600 + time.minute * 60 + time.second, width: 1)
                case .millisecond: number(time.microsecond / 1000, width: 3)
                case .microsecond: number(time.microsecond, width: 6)
                case .quarter: number((time.month - 1) / 3 + 1, width: 1)
                case .week: number((time.dayOfYear - 1) / 7 + 1, width: 2)
                case .isoWeek: number(time.isoWeek.week, width: 2)
                case .julian: number(time.days + 2_440_588, width: 1)
                case .monthName: name(Self.monthNames[time.month - 1], width: 9)
                case .monthAbbreviation: name(String(Self.monthNames[time.month - 1].prefix(3)), width: 3)
                case .dayName: name(Self.dayNames[time.dayOfWeek], width: 9)
                case .dayAbbreviation: name(String(Self.dayNames[time.dayOfWeek].prefix(3)), width: 3)
                case .meridiem, .meridiemPM:
                    let text = time.hour < 12 ? "AM" : "PM"
                    out += capitalization == .upper ? text : text.lowercased()
                case .meridiemDots, .meridiemDotsPM:
                    let text = time.hour < 12 ? "A.M." : "P.M."
                    out += capitalization == .upper ? text : text.lowercased()
                case .zone:
                    let text = zone ?? ""
                    out += capitalization == .lower ? text.lowercased() : text
                }
            }
        }
    }
}
