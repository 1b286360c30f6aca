import Engine

/// Functions clients call on the system catalogs: psql's `\dt` and `\dn`, driver metadata queries.
enum CatalogFunctions {
    /// How `pg_get_userbyid` shows an OID that names no role: `unknown (OID=n)`, as PostgreSQL does.
    static let unknownRole = ScalarFunction(name: "pg_get_userbyid", resultType: .name) { arguments, rowCount, _ throws(EngineError) in
        var builder = ColumnBuilder(type: .name, capacity: rowCount)
        for row in 0..<rowCount {
            guard case .uint32(let oid) = arguments[0].value(at: row) else {
                builder.append(.null)
                continue
            }
            builder.append(.text("unknown (OID=\(oid))"))
        }
        return builder.build()
    }

    /// `format_type(type_oid, typemod)`: a type's SQL spelling, with its modifier applied
    /// (`numeric(15,2)`, `character varying(25)`); NULL for an unknown OID, as PostgreSQL prints `???`.
    static let formatType = ScalarFunction(name: "format_type", resultType: .text) { arguments, rowCount, _ throws(EngineError) in
        var builder = ColumnBuilder(type: .text, capacity: rowCount)
        for row in 0..<rowCount {
            guard case .uint32(let oid) = arguments[0].value(at: row), var type = DataType(postgresOID: oid) else {
                builder.append(arguments[0].isNull(row) ? .null : .text("???"))
                continue
            }
            if arguments.count > 1, case .int32(let modifier) = arguments[1].value(at: row), modifier >= 4 {
                switch type {
                case .numeric: type = .numeric(precision: Int((modifier - 4) >> 16), scale: Int((modifier - 4) & 0xFFFF))
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
    mutating func bindSystemFunction(_ name: String, _ arguments: [BoundExpression], location: Int) throws(BindError) -> BoundExpression? {
        func nullIfNull(_ argument: BoundExpression, else value: BoundExpression) -> BoundExpression {
            .caseWhen([(.isNull(argument, negated: false), .constant(.null, value.type))], otherwise: value, resultType: value.type)
        }
        switch name {
        case "pg_get_userbyid":
            // The roles the catalogs name: the connected user (owner of Weir's schemas, tables and
            // database), the bootstrap superuser (system schemas) and pg_database_owner (`public`).
            guard arguments.count == 1 else { throw noFunction(name, arguments, location: location) }
            let oid = try coerce(arguments[0], to: .oid, clause: name, location: location)
            let user = ObjectIdentifiers.shared.oid("role:\(context.currentUser)")
            return .caseWhen(
                [(.comparison(.equal, oid, .constant(.uint32(user), .oid)), .constant(.text(context.currentUser), .name)),
                 (.comparison(.equal, oid, .constant(.uint32(ObjectIdentifiers.bootstrapSuperuser), .oid)), .constant(.text("postgres"), .name)),
                 (.comparison(.equal, oid, .constant(.uint32(ObjectIdentifiers.databaseOwnerRole), .oid)), .constant(.text("pg_database_owner"), .name))],
                otherwise: nullIfNull(oid, else: .function(CatalogFunctions.unknownRole, [oid])), resultType: .name)
        case "pg_function_is_visible":
            guard arguments.count == 1 else { throw noFunction(name, arguments, location: location) }
            return nullIfNull(arguments[0], else: .constant(.bool(true), .boolean))
        case "pg_table_is_visible", "pg_type_is_visible":
            // Schemas are searched by qualified name or search_path; every catalog object is listed as visible.
            guard arguments.count == 1 else { throw noFunction(name, arguments, location: location) }
            let oid = try coerce(arguments[0], to: .oid, clause: name, location: location)
            return nullIfNull(oid, else: .constant(.bool(true), .boolean))
        case "pg_get_expr":
            // Weir keeps expressions (column defaults, partition bounds) as SQL text already.
            guard arguments.count == 2 || arguments.count == 3 else { throw noFunction(name, arguments, location: location) }
            return try coerce(arguments[0], to: .text, clause: name, location: location)
        case "obj_description", "col_description", "shobj_description", "pg_get_statisticsobjdef_columns", "pg_get_constraintdef",
            "pg_get_indexdef", "pg_get_triggerdef", "pg_get_viewdef", "pg_get_ruledef", "pg_get_function_result",
            "pg_get_function_arguments", "pg_get_function_identity_arguments":
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
                [(.comparison(.equal, encoding, .constant(.int32(6), .int32)), .constant(.text("UTF8"), .name)),
                 (.comparison(.equal, encoding, .constant(.int32(0), .int32)), .constant(.text("SQL_ASCII"), .name))],
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
