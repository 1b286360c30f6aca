/// `to_date` / `to_timestamp(text, template)`: reading wall-clock fields back through a template.
extension DateTimeFormat {
    static func width(of field: Field) -> Int {
        switch field {
        case .year4, .isoYear: return 4
        case .year3, .dayOfYear, .millisecond: return 3
        case .year1, .dayOfWeek, .isoDayOfWeek, .quarter: return 1
        case .microsecond: return 6
        case .secondsOfDay: return 5
        case .julian: return 8
        default: return 2
        }
    }

    /// The wall-clock time `text` spells under this template; errors carry PostgreSQL's SQLSTATEs.
    public func parse(_ text: String) throws(EngineError) -> CivilDateTime {
        var input = Substring(text)
        var time = CivilDateTime(year: 1, month: 1, day: 1)
        var isPM: Bool?
        var hour12 = false
        var dayOfYear: Int?
        for item in items {
            switch item {
            case .literal(let literal):
                for character in literal {
                    if character.isWhitespace {
                        while input.first?.isWhitespace == true { input = input.dropFirst() }
                    } else if let next = input.first, !(next.isLetter || next.isNumber) || character.isLetter {
                        input = input.dropFirst()
                    }
                }
            case .field(let field, _, _):
                while input.first?.isWhitespace == true { input = input.dropFirst() }
                switch field {
                case .monthName, .monthAbbreviation, .dayName, .dayAbbreviation:
                    let names = field == .monthName || field == .monthAbbreviation ? Self.monthNames : Self.dayNames
                    let full = field == .monthName || field == .dayName
                    guard
                        let index = names.firstIndex(where: { name in
                            input.lowercased().hasPrefix((full ? name : String(name.prefix(3))).lowercased())
                        })
                    else {
                        throw EngineError(
                            .invalidDatetimeFormat,
                            "invalid value \"\(input.prefix(full ? 9 : 3))\" for \"\(field.rawValue)\"",
                            detail: "The given value did not match any of the allowed values for this field.")
                    }
                    input = input.dropFirst(full ? names[index].count : 3)
                    if names == Self.monthNames { time.month = index + 1 }
                case .meridiem, .meridiemPM, .meridiemDots, .meridiemDotsPM:
                    let dots = field == .meridiemDots || field == .meridiemDotsPM
                    let word = input.prefix(dots ? 4 : 2).uppercased()
                    guard ["AM", "PM", "A.M.", "P.M."].contains(word) else {
                        throw EngineError(
                            .invalidDatetimeFormat,
                            "invalid value \"\(input.prefix(dots ? 4 : 2))\" for \"\(field.rawValue)\"",
                            detail: "The given value did not match any of the allowed values for this field.")
                    }
                    isPM = word.hasPrefix("P")
                    input = input.dropFirst(word.count)
                case .zone:
                    throw EngineError(.featureNotSupported, "formatting field \"TZ\" is only supported in to_char")
                default:
                    let digits = input.prefix(Self.width(of: field)).prefix { $0.isASCII && $0.isNumber }
                    guard let value = Int(digits) else {
                        throw EngineError(
                            .invalidDatetimeFormat,
                            "invalid value \"\(input.prefix(Self.width(of: field)))\" for \"\(field.rawValue)\"",
                            detail: "Value must be an integer.")
                    }
                    input = input.dropFirst(digits.count)
                    switch field {
                    case .year4, .isoYear: time.year = value
                    case .year3: time.year = value + 2000 - (value >= 100 ? 1000 : 0)
                    case .year2: time.year = value < 70 ? 2000 + value : 1900 + value
                    case .year1: time.year = 2020 + value
                    case .month: time.month = value
                    case .day: time.day = value
                    case .dayOfYear: dayOfYear = value
                    case .hour24: time.hour = value
                    case .hour12, .hour: time.hour = value; hour12 = true
                    case .minute: time.minute = value
                    case .second: time.second = value
                    case .millisecond: time.microsecond = value * [1, 100_000, 10_000, 1000][digits.count]
                    case .microsecond:
                        time.microsecond = value * Int([1, 100_000, 10_000, 1000, 100, 10, 1][digits.count])
                    case .secondsOfDay:
                        (time.hour, time.minute, time.second) = (value / 3600, value / 60 % 60, value % 60)
                    default: break
                    }
                }
            }
        }
        if hour12 || isPM != nil {
            guard (1...12).contains(time.hour) || !hour12 else {
                throw EngineError(
                    .datetimeFieldOverflow, "hour \"\(time.hour)\" is invalid for the 12-hour clock",
                    hint: "Use the 24-hour clock, or give an hour between 1 and 12.")
            }
            if isPM == true && time.hour < 12 {
                time.hour += 12
            } else if isPM == false && time.hour == 12 {
                time.hour = 0
            }
        }
        if let dayOfYear {
            let days = CivilDate.days(year: time.year, month: 1, day: 1) + dayOfYear - 1
            let date = CivilDate.components(days: days)
            (time.month, time.day) = (date.month, date.day)
        }
        guard CivilDate.isValid(year: time.year, month: time.month, day: time.day),
            time.hour < 24 || time.hour == 24 && time.minute == 0,
            time.minute < 60, time.second < 60
        else { throw EngineError(.datetimeFieldOverflow, "date/time field value out of range: \"\(text)\"") }
        return time
    }
}
