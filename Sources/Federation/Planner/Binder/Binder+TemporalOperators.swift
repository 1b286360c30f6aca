import Engine
import SQL

extension Binder {
    /// `+`, `-`, `*`, `/` where an operand is a date, timestamp or interval; nil otherwise.
    mutating func bindTemporalArithmetic(_ op: String, _ lhs: BoundExpression, _ rhs: BoundExpression, location: Int)
        throws(BindError) -> BoundExpression?
    {
        let temporal: Set<DataType> = [.date, .time, .timestamp, .timestamptz, .interval]
        guard temporal.contains(lhs.type) || temporal.contains(rhs.type) else { return nil }
        var left = lhs
        var right = rhs
        func to(_ type: DataType, _ expression: BoundExpression) throws(BindError) -> BoundExpression {
            try coerce(expression, to: type, clause: nil, location: location)
        }
        // An unknown literal next to a date/time takes the type PostgreSQL's operator resolution picks.
        if right.type == .unknown {
            switch (left.type, op) {
            case (.date, "+"):
                throw BindError(
                    .ambiguousFunction, "operator is not unique: date + unknown",
                    hint: "Could not choose a best candidate operator. You might need to add explicit type casts.",
                    location: location)
            case (.timestamp, "+"), (.timestamptz, "+"), (.interval, _), (.time, "+"): right = try to(.interval, right)
            case (_, "*"), (_, "/"): right = try to(.float64, right)
            default: right = try to(left.type, right)
            }
        }
        if left.type == .unknown { left = try to(right.type == .date ? .int32 : .interval, left) }
        switch (left.type, op, right.type) {
        case (.date, "+", let t) where t == .int32 || t == .int16:
            return .function(DateTimeArithmetic.dateAddDays(subtract: false), [left, try to(.int32, right)])
        case (let t, "+", .date) where t == .int32 || t == .int16:
            return .function(DateTimeArithmetic.dateAddDays(subtract: false), [right, try to(.int32, left)])
        case (.date, "-", let t) where t == .int32 || t == .int16:
            return .function(DateTimeArithmetic.dateAddDays(subtract: true), [left, try to(.int32, right)])
        case (.date, "+", .time):
            return .function(DateTimeArithmetic.dateAddTime, [left, right])
        case (.time, "+", .date):
            return .function(DateTimeArithmetic.dateAddTime, [right, left])
        case (.time, "+", .interval), (.time, "-", .interval):
            return .function(DateTimeArithmetic.timeAddInterval(subtract: op == "-"), [left, right])
        case (.interval, "+", .time):
            return .function(DateTimeArithmetic.timeAddInterval(subtract: false), [right, left])
        case (.time, "-", .time):
            return .function(DateTimeArithmetic.timeDifference, [left, right])
        case (.date, "-", .date):
            return .function(DateTimeArithmetic.dateDifference, [left, right])
        case (.date, "+", .interval), (.date, "-", .interval):
            return try bindTemporalArithmetic(op, try to(.timestamp, left), right, location: location)
        case (.interval, "+", .date):
            return try bindTemporalArithmetic(op, try to(.timestamp, right), left, location: location)
        case (let t, "+", .interval) where t == .timestamp || t == .timestamptz,
            (let t, "-", .interval) where t == .timestamp || t == .timestamptz:
            return .function(DateTimeArithmetic.addInterval(type: t, subtract: op == "-"), [left, right])
        case (.interval, "+", let t) where t == .timestamp || t == .timestamptz:
            return .function(DateTimeArithmetic.addInterval(type: t, subtract: false), [right, left])
        case (let a, "-", let b)
        where [.timestamp, .timestamptz, .date].contains(a) && [.timestamp, .timestamptz, .date].contains(b):
            let type: DataType = a == .timestamptz || b == .timestamptz ? .timestamptz : .timestamp
            return .function(DateTimeArithmetic.timestampDifference, [try to(type, left), try to(type, right)])
        case (.interval, "+", .interval), (.interval, "-", .interval):
            return .function(DateTimeArithmetic.intervalAdd(subtract: op == "-"), [left, right])
        case (.interval, "*", let t) where t.isNumeric, (.interval, "/", let t) where t.isNumeric:
            return .function(
                DateTimeArithmetic.intervalScale(divide: op == "/"),
                [left, try coerce(right, to: .float64, clause: nil, location: location, explicit: true)])
        case (let t, "*", .interval) where t.isNumeric:
            return .function(
                DateTimeArithmetic.intervalScale(divide: false),
                [right, try coerce(left, to: .float64, clause: nil, location: location, explicit: true)])
        default:
            throw operatorMissing(op, left.type, right.type, location: location)
        }
    }
}
