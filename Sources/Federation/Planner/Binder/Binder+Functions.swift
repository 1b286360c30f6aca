import Catalog
import Foundation
import Engine
import SQL

extension Binder {
    /// The server version string clients parse (`PostgreSQL 15.x ...`).
    public static let versionString =
        "PostgreSQL 15.8 (Weir 0.1.0) on x86_64-pc-linux-gnu, compiled by Swift 6.3, 64-bit"

    // MARK: Types

    func resolveType(_ typeName: TypeName) throws(BindError) -> DataType { try Self.resolveType(typeName) }

    /// The type a type name as written denotes (`int4`, `numeric(15,2)`, `text[]`).
    static func resolveType(_ typeName: TypeName) throws(BindError) -> DataType {
        do {
            return try DataType(typeName: typeName)
        } catch {
            throw BindError(error, location: typeName.location)
        }
    }

    // MARK: Functions

    func bindSpecialFunction(_ function: SpecialFunction, location: Int) throws(BindError) -> BoundExpression {
        switch function {
        case .currentUser, .currentRole, .user: return .constant(.text(context.currentUser), .name)
        case .sessionUser: return .constant(.text(context.sessionUser), .name)
        case .currentCatalog: return .constant(.text(context.currentDatabase), .name)
        case .currentSchema: return .constant(currentSchema, .name)
        case .currentTimestamp: return .function(StatementClock.currentTimestamp, [])
        case .localTimestamp: return .function(StatementClock.localTimestamp, [])
        case .currentDate: return .function(StatementClock.currentDate, [])
        case .currentTime: return .function(StatementClock.currentTime, [])
        case .localTime: return .function(StatementClock.localTime, [])
        }
    }

    /// `current_schema()`: the first schema of the search path that exists; NULL when none does.
    var currentSchema: Value {
        searchPathSchemas(includingImplicit: false).first.map(Value.text) ?? .null
    }

    /// The schemas of `search_path` that exist (`$user` standing for the user's name), with
    /// `pg_catalog` first when `includingImplicit` and the path does not name it.
    func searchPathSchemas(includingImplicit: Bool) -> [String] {
        let path = (context.setting("search_path") ?? "public").split(separator: ",").map { item -> String in
            var name = item.trimmingCharacters(in: .whitespaces)
            if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 {
                name = String(name.dropFirst().dropLast())
            }
            return name == "$user" ? context.currentUser : name
        }
        let existing = tables.existingSchemas
        var schemas = path.filter { existing?.contains($0) ?? true }
        if includingImplicit, !schemas.contains("pg_catalog") { schemas.insert("pg_catalog", at: 0) }
        return schemas
    }

    mutating func bindFunction(_ call: FunctionCall, scope: [ScopeColumn]) throws(BindError) -> BoundExpression {
        var parts = call.name.parts
        if parts.count == 2, parts[0] == "pg_catalog" { parts.removeFirst() }
        // pgjdbc's key metadata queries call this helper by its schema-qualified name.
        if parts.count == 2, parts[0] == "information_schema", parts[1] == "_pg_expandarray" { parts.removeFirst() }
        guard parts.count == 1 else {
            throw BindError(.undefinedFunction, "function \(call.name)() does not exist", location: call.location)
        }
        let name = parts[0].lowercased()
        if let window = call.over {
            return try bindWindowFunction(call, name: name, over: window, scope: scope)
        }
        if WindowFunction(name: name) != nil {
            throw BindError(
                .wrongObjectType, "window function \(name) requires an OVER clause", location: call.location)
        }
        if ["unnest", "generate_series", "generate_subscripts", "_pg_expandarray"].contains(name) {
            return try bindSetReturningCall(name, call, scope: scope)
        }
        if let function = call.star && name == "count" ? .countStar : AggregateFunction(name: name) {
            return try bindAggregate(function, call, scope: scope)
        }
        if call.star || call.distinct || call.filter != nil || !call.orderBy.isEmpty || call.withinGroup {
            throw BindError(.wrongObjectType, "\(name) is not an aggregate function", location: call.location)
        }
        var arguments = try call.arguments.map { argument throws(BindError) in try bind(argument, scope: scope) }
        func requireCount(_ count: Int) throws(BindError) {
            guard arguments.count == count else { throw noFunction(name, arguments, location: call.location) }
        }
        switch name {
        case "version":
            try requireCount(0)
            return .constant(.text(Self.versionString), .text)
        case "current_database":
            try requireCount(0)
            return .constant(.text(context.currentDatabase), .name)
        case "current_schema":
            try requireCount(0)
            return .constant(currentSchema, .name)
        case "current_schemas":
            try requireCount(1)
            let implicit = try coerce(arguments[0], to: .boolean, clause: name, location: call.location)
            let withImplicit = Value.array(searchPathSchemas(includingImplicit: true).map(Value.text))
            let without = Value.array(searchPathSchemas(includingImplicit: false).map(Value.text))
            return .caseWhen(
                [(implicit, .constant(withImplicit, .array(.name)))], otherwise: .constant(without, .array(.name)),
                resultType: .array(.name))
        case "current_user", "session_user":
            try requireCount(0)
            return .constant(.text(name == "current_user" ? context.currentUser : context.sessionUser), .name)
        case "pg_backend_pid":
            try requireCount(0)
            return .constant(.int32(context.processID), .int32)
        case "now", "transaction_timestamp", "statement_timestamp":
            try requireCount(0)
            return .function(StatementClock.currentTimestamp, [])
        case "current_setting":
            guard arguments.count == 1 || arguments.count == 2 else {
                throw noFunction(name, arguments, location: call.location)
            }
            guard case .constant(.bytes(let bytes), _) = arguments[0] else {
                throw BindError(
                    .featureNotSupported, "current_setting() with a non-constant name is not supported yet",
                    location: call.location)
            }
            let setting = String(decoding: bytes, as: UTF8.self)
            var missingOK = false
            if arguments.count == 2,
                case .constant(.bool(let flag), _) = try coerce(
                    arguments[1], to: .boolean, clause: nil, location: call.location)
            {
                missingOK = flag
            }
            guard let value = context.setting(setting) else {
                if missingOK { return .constant(.null, .text) }
                throw BindError(
                    .undefinedObject, "unrecognized configuration parameter \"\(setting)\"", location: call.location)
            }
            return .constant(.text(value), .text)
        case "length", "char_length", "character_length", "octet_length":
            try requireCount(1)
            guard arguments[0].type.isString else { throw noFunction(name, arguments, location: call.location) }
            arguments[0] = try coerce(arguments[0], to: .text, clause: nil, location: call.location, explicit: true)
            return .function(name == "octet_length" ? StringFunctions.octetLength : StringFunctions.length, arguments)
        case "upper", "lower":
            try requireCount(1)
            arguments[0] = try coerce(arguments[0], to: .text, clause: nil, location: call.location)
            return .function(StringFunctions.caseMapping(upper: name == "upper"), arguments)
        case "concat":
            guard !arguments.isEmpty else { throw noFunction(name, arguments, location: call.location) }
            var result: BoundExpression = .constant(.text(""), .text)
            for argument in arguments {
                let text = try asText(argument, location: call.location)
                // concat() skips NULLs.
                result = .function(
                    StringFunctions.concatenate,
                    [
                        result,
                        .function(ConditionalFunctions.coalesce(type: .text), [text, .constant(.text(""), .text)]),
                    ])
            }
            return result
        default:
            if let pattern = try bindPatternFunction(name, arguments, location: call.location) { return pattern }
            if let bound = try bindCatalogFunction(name, arguments, location: call.location) { return bound }
            if let bound = try bindSystemFunction(name, arguments, location: call.location) { return bound }
            if let bound = try bindArrayFunction(name, arguments, location: call.location) { return bound }
            throw noFunction(name, arguments, location: call.location)
        }
    }

    func noFunction(_ name: String, _ arguments: [BoundExpression], location: Int) -> BindError {
        BindError(
            .undefinedFunction,
            "function \(name)(\(arguments.map { $0.type.sqlName }.joined(separator: ", "))) does not exist",
            hint: "No function matches the given name and argument types. You might need to add explicit type casts.",
            location: location)
    }
}
