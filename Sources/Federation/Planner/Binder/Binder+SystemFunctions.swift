import Catalog
import Engine

/// Functions clients call on the system catalogs: psql's `\dt` and `\dn`, driver metadata queries.
enum CatalogFunctions {
    /// `set_config(name, value, is_local)`: changes a setting as `SET` (or with `is_local`,
    /// `SET LOCAL`) does, taking effect when the statement has finished; returns the new value.
    static let setConfig = ScalarFunction(name: "set_config", resultType: .text, isStrict: false) {
        arguments, rowCount, context throws(EngineError) in
        guard let writer = context.settingsWriter else {
            throw EngineError(.featureNotSupported, "set_config cannot change settings here")
        }
        var builder = ColumnBuilder(type: .text, capacity: rowCount)
        for row in 0..<rowCount {
            guard case .bytes(let name) = arguments[0].value(at: row) else {
                throw EngineError(.nullValueNotAllowed, "SET requires parameter name")
            }
            let value: String? =
                if case .bytes(let bytes) = arguments[1].value(at: row) { String(decoding: bytes, as: UTF8.self) } else
                { nil }
            let isLocal = arguments[2].value(at: row) == .bool(true)
            let result = try writer.setConfig(String(decoding: name, as: UTF8.self), value, isLocal: isLocal)
            builder.append(result.map(Value.text) ?? .null)
        }
        return builder.build()
    }

    /// `pg_table_size(regclass)` and its relatives: the bytes a table takes in storage, from
    /// `sizes` (listed before binding); NULL for an OID that names no table, as in PostgreSQL.
    /// Weir keeps no indexes, so `pg_indexes_size` is 0 for every table.
    static func relationSize(_ name: String, sizes: [UInt32: Int64], indexesOnly: Bool = false) -> ScalarFunction {
        ScalarFunction(name: name, resultType: .int64, isStrict: true) { arguments, rowCount, _ throws(EngineError) in
            perOID(arguments, rowCount: rowCount, type: .int64) { oid, row in
                guard let size = sizes[oid] else { return .null }
                // pg_relation_size(rel, fork): only the main fork holds data.
                let isMainFork = arguments.count < 2 || arguments[1].value(at: row) == .text("main")
                return .int64(indexesOnly || !isMainFork ? 0 : size)
            }
        }
    }

    /// `pg_get_viewdef(oid)`: a view's query from `queries` (listed before binding), ending with a
    /// semicolon as PostgreSQL prints it; NULL for other OIDs.
    static func viewDefinition(_ queries: [UInt32: String]) -> ScalarFunction {
        ScalarFunction(name: "pg_get_viewdef", resultType: .text, isStrict: true) {
            arguments, rowCount, _ throws(EngineError) in
            perOID(arguments, rowCount: rowCount, type: .text) { oid, _ in
                queries[oid].map { .text(" " + $0 + ";") } ?? .null
            }
        }
    }

    /// `pg_size_pretty(bigint)`: bytes, kB, MB, GB, TB or PB as PostgreSQL 15 prints them — each
    /// unit used below 10 (bytes) or 20 (others) of the next, rounded half away from zero.
    static let sizePretty = ScalarFunction(name: "pg_size_pretty", resultType: .text, isStrict: true) {
        arguments, rowCount, _ throws(EngineError) in
        var builder = ColumnBuilder(type: .text, capacity: rowCount)
        for row in 0..<rowCount {
            guard case .int64(let bytes) = arguments[0].value(at: row) else {
                builder.append(.null)
                continue
            }
            builder.append(.text(prettySize(bytes)))
        }
        return builder.build()
    }

    /// A unit `pg_size_pretty` prints in.
    private struct SizeUnit {
        let name: String
        /// The unit is used for sizes (in it) below this.
        let limit: UInt64
        /// Whether the size is rounded half away from zero (kept one bit finer until then).
        let rounds: Bool
        /// log2 of the unit in bytes.
        let bits: Int
    }

    private static let sizeUnits = [
        SizeUnit(name: "bytes", limit: 10 * 1024, rounds: false, bits: 0),
        SizeUnit(name: "kB", limit: 20 * 1024 - 1, rounds: true, bits: 10),
        SizeUnit(name: "MB", limit: 20 * 1024 - 1, rounds: true, bits: 20),
        SizeUnit(name: "GB", limit: 20 * 1024 - 1, rounds: true, bits: 30),
        SizeUnit(name: "TB", limit: 20 * 1024 - 1, rounds: true, bits: 40),
        SizeUnit(name: "PB", limit: 20 * 1024 - 1, rounds: true, bits: 50),
    ]

    static func prettySize(_ bytes: Int64) -> String {
        var size = bytes
        var index = 0
        while index < sizeUnits.count - 1, size.magnitude >= sizeUnits[index].limit {
            // One bit fewer when the next unit rounds by halves, one more when this one does.
            let (unit, next) = (sizeUnits[index], sizeUnits[index + 1])
            size /= Int64(1) << (next.bits - unit.bits - (next.rounds ? 1 : 0) + (unit.rounds ? 1 : 0))
            index += 1
        }
        if sizeUnits[index].rounds { size = (size + (size < 0 ? -1 : 1)) / 2 }
        return "\(size) \(sizeUnits[index].name)"
    }

    /// A column of `type` holding `value(oid, row)` for each row whose first argument is an OID,
    /// NULL where it is NULL.
    static func perOID(_ arguments: [Column], rowCount: Int, type: DataType, _ value: (UInt32, Int) -> Value) -> Column
    {
        var builder = ColumnBuilder(type: type, capacity: rowCount)
        for row in 0..<rowCount {
            guard case .uint32(let oid) = arguments[0].value(at: row) else {
                builder.append(.null)
                continue
            }
            builder.append(value(oid, row))
        }
        return builder.build()
    }

    /// `pg_table_is_visible(oid)`: whether the table's schema is one of `searchPath`.
    static func tableIsVisible(searchPath: [String]) -> ScalarFunction {
        ScalarFunction(name: "pg_table_is_visible", resultType: .boolean, isStrict: true) {
            arguments, rowCount, _ throws(EngineError) in
            perOID(arguments, rowCount: rowCount, type: .boolean) { oid, _ in
                .bool(ObjectIdentifiers.schema(ofRelation: oid).map(searchPath.contains) ?? false)
            }
        }
    }

    /// `to_regtype(name)`: the OID of the type `pg_type` lists under that name (its internal name
    /// such as `int4`, or its SQL name such as `integer`; `[]` for its array), NULL for none.
    static let toRegtype: ScalarFunction = {
        var oids: [String: UInt32] = [:]
        for type in DataType.catalogTypes {
            for name in [type.postgresName, type.sqlName] {
                oids[name] = type.postgresOID
                if type.postgresArrayOID != 0 {
                    oids[name + "[]"] = type.postgresArrayOID
                    oids["_" + name] = type.postgresArrayOID
                }
            }
        }
        oids["pg_catalog.char"] = nil
        return ScalarFunction(name: "to_regtype", resultType: .regtype, isStrict: true) {
            [oids] arguments, rowCount, _ throws(EngineError) in
            var builder = ColumnBuilder(type: .regtype, capacity: rowCount)
            for row in 0..<rowCount {
                guard case .bytes(let bytes) = arguments[0].value(at: row) else {
                    builder.append(.null)
                    continue
                }
                var name = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased()
                if name.hasPrefix("pg_catalog.") { name.removeFirst("pg_catalog.".count) }
                builder.append(oids[name].map(Value.uint32) ?? .null)
            }
            return builder.build()
        }
    }()

    /// How `pg_get_userbyid` shows an OID that names no role: `unknown (OID=n)`, as PostgreSQL does.
    static let unknownRole = ScalarFunction(name: "pg_get_userbyid", resultType: .name, isStrict: true) {
        arguments, rowCount, _ throws(EngineError) in
        perOID(arguments, rowCount: rowCount, type: .name) { oid, _ in .text("unknown (OID=\(oid))") }
    }

    /// `format_type(type_oid, typemod)`: a type's SQL spelling, with its modifier applied
    /// (`numeric(15,2)`, `character varying(25)`); NULL for an unknown OID, as PostgreSQL prints `???`.
    static let formatType = ScalarFunction(name: "format_type", resultType: .text, isStrict: false) {
        arguments, rowCount, _ throws(EngineError) in
        var builder = ColumnBuilder(type: .text, capacity: rowCount)
        for row in 0..<rowCount {
            guard case .uint32(let oid) = arguments[0].value(at: row), var type = DataType(postgresOID: oid) else {
                builder.append(arguments[0].isNull(row) ? .null : .text("???"))
                continue
            }
            if arguments.count > 1, case .int32(let modifier) = arguments[1].value(at: row), modifier >= 4 {
                switch type {
                case .numeric:
                    type = .numeric(precision: Int((modifier - 4) >> 16), scale: Int((modifier - 4) & 0xFFFF))
                case .varchar: type = .varchar(length: Int(modifier - 4))
                case .bpchar: type = .bpchar(length: Int(modifier - 4))
                default: break
                }
            } else if case .bpchar = type {
                type = .bpchar(length: nil)
            }
            builder.append(.text(type == .bpchar(length: nil) ? "character" : type.sqlName))
        }
        return builder.build()
    }
}

extension Binder {
    /// `pg_get_userbyid`, `pg_table_is_visible`, `format_type` and the like; nil for other names.
    mutating func bindSystemFunction(_ name: String, _ arguments: [BoundExpression], location: Int) throws(BindError)
        -> BoundExpression?
    {
        func nullIfNull(_ argument: BoundExpression, else value: BoundExpression) -> BoundExpression {
            .caseWhen(
                [(.isNull(argument, negated: false), .constant(.null, value.type))], otherwise: value,
                resultType: value.type)
        }
        switch name {
        case "pg_get_userbyid":
            guard arguments.count == 1 else { throw noFunction(name, arguments, location: location) }
            let oid = try coerce(arguments[0], to: .oid, clause: name, location: location)
            return .caseWhen(
                ObjectIdentifiers.knownRoles(currentUser: context.currentUser).map { role in
                    (.comparison(.equal, oid, .constant(.uint32(role.oid), .oid)), .constant(.text(role.name), .name))
                },
                otherwise: nullIfNull(oid, else: .function(CatalogFunctions.unknownRole, [oid])), resultType: .name)
        case "pg_table_size", "pg_total_relation_size", "pg_relation_size", "pg_indexes_size":
            guard arguments.count == 1 || (name == "pg_relation_size" && arguments.count == 2) else {
                throw noFunction(name, arguments, location: location)
            }
            let relation = try coerce(
                try coerce(arguments[0], to: .regclass, clause: name, location: location), to: .oid, clause: name,
                location: location)
            let fork = try arguments.dropFirst().map { argument throws(BindError) in
                try coerce(argument, to: .text, clause: name, location: location)
            }
            let sizes = tables.relationSizes ?? [:]
            return .function(
                CatalogFunctions.relationSize(name, sizes: sizes, indexesOnly: name == "pg_indexes_size"),
                [relation] + fork)
        case "pg_get_viewdef":
            // pg_get_viewdef(view [, pretty]): the query as written; NULL for an OID that names no view.
            guard arguments.count == 1 || arguments.count == 2 else {
                throw noFunction(name, arguments, location: location)
            }
            let relation = try coerce(
                try coerce(arguments[0], to: .regclass, clause: name, location: location), to: .oid, clause: name,
                location: location)
            return .function(CatalogFunctions.viewDefinition(tables.viewQueries ?? [:]), [relation])
        case "pg_database_size":
            // Every table of the database; the argument (its name or OID) names the only one there is.
            guard arguments.count == 1 else { throw noFunction(name, arguments, location: location) }
            let total = (tables.relationSizes ?? [:]).values.reduce(0, +)
            return nullIfNull(arguments[0], else: .constant(.int64(total), .int64))
        case "pg_size_pretty":
            guard arguments.count == 1 else { throw noFunction(name, arguments, location: location) }
            let bytes = try coerce(
                arguments[0], to: .int64, clause: name, location: location, explicit: arguments[0].type.isNumeric)
            return .function(CatalogFunctions.sizePretty, [bytes])
        case "json_build_object":
            guard arguments.count % 2 == 0 else {
                throw BindError(
                    .invalidParameterValue, "argument list must have even number of elements",
                    hint: "The arguments of json_build_object() must consist of alternating keys and values.",
                    location: location)
            }
            let typed = try arguments.map { argument throws(BindError) in
                argument.type == .unknown ? try coerce(argument, to: .text, clause: name, location: location) : argument
            }
            return .function(JSONFunctions.buildObject, typed)
        case "set_config":
            guard arguments.count == 3 else { throw noFunction(name, arguments, location: location) }
            let texts = try arguments[0..<2].map { argument throws(BindError) in
                try coerce(argument, to: .text, clause: name, location: location)
            }
            let isLocal = try coerce(arguments[2], to: .boolean, clause: name, location: location)
            return .function(CatalogFunctions.setConfig, texts + [isLocal])
        case "to_regtype":
            guard arguments.count == 1 else { throw noFunction(name, arguments, location: location) }
            return .function(
                CatalogFunctions.toRegtype, [try coerce(arguments[0], to: .text, clause: name, location: location)])
        case "pg_function_is_visible":
            guard arguments.count == 1 else { throw noFunction(name, arguments, location: location) }
            return nullIfNull(arguments[0], else: .constant(.bool(true), .boolean))
        case "pg_table_is_visible":
            // A table is visible when its schema is on the search path (pg_catalog always is).
            guard arguments.count == 1 else { throw noFunction(name, arguments, location: location) }
            let oid = try coerce(arguments[0], to: .oid, clause: name, location: location)
            return .function(
                CatalogFunctions.tableIsVisible(searchPath: searchPathSchemas(includingImplicit: true)), [oid])
        case "pg_type_is_visible", "pg_collation_is_visible", "pg_opclass_is_visible", "pg_conversion_is_visible",
            "pg_operator_is_visible", "pg_ts_config_is_visible":
            // Types, collations and the other objects these ask about all live in pg_catalog.
            guard arguments.count == 1 else { throw noFunction(name, arguments, location: location) }
            let oid = try coerce(arguments[0], to: .oid, clause: name, location: location)
            return nullIfNull(oid, else: .constant(.bool(true), .boolean))
        case "pg_get_expr":
            // Weir keeps expressions (column defaults, partition bounds) as SQL text already.
            guard arguments.count == 2 || arguments.count == 3 else {
                throw noFunction(name, arguments, location: location)
            }
            return try coerce(arguments[0], to: .text, clause: name, location: location)
        case "obj_description", "col_description", "shobj_description", "pg_get_statisticsobjdef_columns",
            "pg_get_constraintdef",
            "pg_get_indexdef", "pg_get_triggerdef", "pg_get_ruledef", "pg_get_function_result",
            "pg_get_function_arguments", "pg_get_function_identity_arguments", "pg_get_serial_sequence":
            // Nothing in Weir's catalogs has a comment, constraint, index, trigger or rule yet (their
            // pg_catalog tables are empty), so there is nothing to describe.
            guard (1...3).contains(arguments.count) else { throw noFunction(name, arguments, location: location) }
            return .constant(.null, .text)
        case "pg_relation_is_publishable":
            guard arguments.count == 1 else { throw noFunction(name, arguments, location: location) }
            return nullIfNull(arguments[0], else: .constant(.bool(false), .boolean))
        case "has_table_privilege", "has_schema_privilege", "has_database_privilege", "has_column_privilege",
            "has_any_column_privilege", "has_function_privilege", "has_sequence_privilege", "has_tablespace_privilege":
            // Until grants exist (the governance work), every user may read every object.
            guard (2...4).contains(arguments.count) else { throw noFunction(name, arguments, location: location) }
            return nullIfNull(arguments[arguments.count - 2], else: .constant(.bool(true), .boolean))
        case "pg_encoding_to_char":
            guard arguments.count == 1 else { throw noFunction(name, arguments, location: location) }
            let encoding = try coerce(arguments[0], to: .int32, clause: name, location: location)
            return .caseWhen(
                [
                    (.comparison(.equal, encoding, .constant(.int32(6), .int32)), .constant(.text("UTF8"), .name)),
                    (.comparison(.equal, encoding, .constant(.int32(0), .int32)), .constant(.text("SQL_ASCII"), .name)),
                ],
                otherwise: nullIfNull(encoding, else: .constant(.text(""), .name)), resultType: .name)
        case "format_type":
            guard arguments.count == 2 else { throw noFunction(name, arguments, location: location) }
            let oid = try coerce(arguments[0], to: .oid, clause: name, location: location)
            let modifier = try coerce(arguments[1], to: .int32, clause: name, location: location)
            return .function(CatalogFunctions.formatType, [oid, modifier])
        default:
            return nil
        }
    }
}
