import Engine
import SQL

extension Binder {
    /// Binds a date/time function; nil when `name` is not one.
    mutating func bindDateTimeFunction(_ name: String, _ arguments: [BoundExpression], location: Int) throws(BindError)
        -> BoundExpression?
    {
        let signature = FunctionSignature(name: name, arguments: arguments, location: location)
        switch name {
        case "extract", "date_part":
            guard arguments.count == 2, arguments[0].type.isString else {
                throw noFunction(name, arguments, location: location)
            }
            let fieldName = try constantText(arguments[0], what: "\(name) field", location: location)
            var source = try temporalArgument(arguments[1], location: location)
            guard DateTimeFields.canonical(fieldName) != nil else {
                throw BindError(
                    .invalidParameterValue,
                    "unit \"\(fieldName.lowercased())\" not recognized for type \(source.type.sqlName)",
                    location: location)
            }
            let field = DateTimeFields.canonical(fieldName)!
            if name == "date_part" && source.type == .date {
                source = try coerce(source, to: .timestamp, clause: nil, location: location)
            }
            do {
                try DateTimeFields.validate(field, for: source.type)
            } catch {
                throw BindError(error, location: location)
            }
            return .function(
                DateTimeFunctions.extract(field, sourceType: source.type, asDouble: name == "date_part"), [source])
        case "date_trunc":
            guard arguments.count == 2 || arguments.count == 3, arguments[0].type.isString else {
                throw noFunction(name, arguments, location: location)
            }
            let fieldName = try constantText(arguments[0], what: "date_trunc field", location: location)
            var source = try temporalArgument(arguments[1], location: location)
            if source.type == .date || arguments.count == 3 {
                source = try coerce(source, to: .timestamptz, clause: nil, location: location)
            }
            guard source.type == .timestamp || source.type == .timestamptz else {
                throw BindError(
                    .featureNotSupported, "date_trunc on \(source.type.sqlName) is not supported yet",
                    location: location)
            }
            guard let field = DateTimeFields.canonical(fieldName),
                [
                    "microseconds", "milliseconds", "second", "minute", "hour", "day", "week", "month", "quarter",
                    "year", "decade", "century", "millennium",
                ].contains(field)
            else {
                throw BindError(
                    .invalidParameterValue,
                    "unit \"\(fieldName.lowercased())\" not recognized for type \(source.type.sqlName)",
                    location: location)
            }
            let zone =
                try arguments.count == 3
                ? zoneNamed(try constantText(arguments[2], what: "time zone", location: location), location: location)
                : nil
            return .function(DateTimeFunctions.dateTrunc(field, type: source.type, zone: zone), [source])
        case "clock_timestamp":
            guard arguments.isEmpty else { throw noFunction(name, arguments, location: location) }
            return .function(DateTimeFunctions.clockTimestamp, [])
        case "make_date":
            return .function(DateTimeFunctions.makeDate, try bindArguments(signature, [.int32, .int32, .int32]))
        case "make_timestamp":
            return .function(
                DateTimeFunctions.makeTimestamp,
                try bindArguments(signature, [.int32, .int32, .int32, .int32, .int32, .float64]))
        case "make_timestamptz":
            // The wall-clock time in the given zone, else in the session's (as `timestamp AT TIME ZONE zone`).
            guard arguments.count == 6 || arguments.count == 7 else {
                throw noFunction(name, arguments, location: location)
            }
            let fields = FunctionSignature(name: name, arguments: Array(arguments.prefix(6)), location: location)
            let local = BoundExpression.function(
                DateTimeFunctions.makeTimestamp,
                try bindArguments(fields, [.int32, .int32, .int32, .int32, .int32, .float64]))
            guard arguments.count == 7 else {
                return try coerce(local, to: .timestamptz, clause: nil, location: location)
            }
            let zoneArgument = try coerce(arguments[6], to: .text, clause: nil, location: location)
            var zone: SessionTimeZone?
            if case .constant(.bytes(let bytes), _) = zoneArgument {
                zone = try zoneNamed(String(decoding: bytes, as: UTF8.self), location: location)
            }
            return .function(DateTimeFunctions.atTimeZone(sourceType: .timestamp, zone: zone), [zoneArgument, local])
        case "make_interval":
            guard arguments.count <= 7 else { throw noFunction(name, arguments, location: location) }
            let types =
                Array([DataType](repeating: .int32, count: 6).prefix(arguments.count))
                + (arguments.count == 7 ? [.float64] : [])
            return .function(DateTimeFunctions.makeInterval, try bindArguments(signature, types))
        case "justify_days", "justify_hours", "justify_interval":
            return .function(
                DateTimeFunctions.justify(days: name != "justify_hours", hours: name != "justify_days"),
                try bindArguments(signature, [.interval]))
        case "timezone":
            guard arguments.count == 2, arguments[0].type.isString else {
                throw noFunction(name, arguments, location: location)
            }
            var source = try temporalArgument(arguments[1], location: location)
            if source.type == .date { source = try coerce(source, to: .timestamp, clause: nil, location: location) }
            guard source.type == .timestamp || source.type == .timestamptz else {
                throw noFunction(name, arguments, location: location)
            }
            let zoneArgument = try coerce(arguments[0], to: .text, clause: nil, location: location)
            var zone: SessionTimeZone?
            if case .constant(.bytes(let bytes), _) = zoneArgument {
                zone = try zoneNamed(String(decoding: bytes, as: UTF8.self), location: location)
            }
            return .function(DateTimeFunctions.atTimeZone(sourceType: source.type, zone: zone), [zoneArgument, source])
        case "age":
            guard arguments.count == 1 || arguments.count == 2 else {
                throw noFunction(name, arguments, location: location)
            }
            var bound = try arguments.map { argument throws(BindError) in
                try temporalArgument(argument, location: location)
            }
            if bound.count == 1 {
                // age(x) measures from midnight of the current date.
                bound.insert(
                    .cast(
                        try bindSpecialFunction(.currentDate, location: location),
                        to: bound[0].type == .timestamptz ? .timestamptz : .timestamp), at: 0)
            }
            let type: DataType = bound.contains { $0.type == .timestamptz } ? .timestamptz : .timestamp
            bound = try bound.map { argument throws(BindError) in
                try coerce(argument, to: type, clause: nil, location: location)
            }
            return .function(DateTimeFormatting.age(type: type), bound)
        case "to_char":
            guard arguments.count == 2, arguments[1].type.isString else {
                throw noFunction(name, arguments, location: location)
            }
            var source = arguments[0]
            if source.type == .date { source = try coerce(source, to: .timestamp, clause: nil, location: location) }
            guard source.type == .timestamp || source.type == .timestamptz else {
                throw BindError(
                    .featureNotSupported, "to_char(\(source.type.sqlName), text) is not supported yet",
                    location: location)
            }
            let template = try coerce(arguments[1], to: .text, clause: nil, location: location)
            let compiled: DateTimeFormat? =
                if case .constant(.bytes(let bytes), _) = template {
                    DateTimeFormat(String(decoding: bytes, as: UTF8.self))
                } else { nil }
            return .function(
                DateTimeFormatting.toChar(compiled: compiled, sourceType: source.type), [source, template])
        case "to_timestamp" where arguments.count == 1:
            return .function(DateTimeFunctions.toTimestampFromEpoch, try bindArguments(signature, [.float64]))
        case "to_date", "to_timestamp":
            let bound = try bindArguments(signature, [.text, .text])
            let compiled: DateTimeFormat? =
                if case .constant(.bytes(let bytes), _) = bound[1] {
                    DateTimeFormat(String(decoding: bytes, as: UTF8.self))
                } else { nil }
            return .function(DateTimeFormatting.parse(compiled: compiled, toTimestamp: name == "to_timestamp"), bound)
        default:
            return nil
        }
    }

    /// A date/time argument; an unknown literal is read as timestamp.
    mutating func temporalArgument(_ argument: BoundExpression, location: Int) throws(BindError) -> BoundExpression {
        if argument.type == .unknown { return try coerce(argument, to: .timestamp, clause: nil, location: location) }
        guard [.date, .time, .timestamp, .timestamptz, .interval].contains(argument.type) else {
            throw BindError(
                .undefinedFunction, "function does not exist for argument type \(argument.type.sqlName)",
                hint:
                    "No function matches the given name and argument types. You might need to add explicit type casts.",
                location: location)
        }
        return argument
    }

    func constantText(_ argument: BoundExpression, what: String, location: Int) throws(BindError) -> String {
        guard case .constant(let value, _) = argument, case .bytes(let bytes) = value else {
            throw BindError(.featureNotSupported, "a non-constant \(what) is not supported yet", location: location)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    func zoneNamed(_ name: String, location: Int) throws(BindError) -> SessionTimeZone {
        do {
            return try DateTimeFunctions.named(name)
        } catch {
            throw BindError(error, location: location)
        }
    }
}
