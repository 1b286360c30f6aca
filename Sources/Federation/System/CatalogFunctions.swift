import Engine

/// Functions clients call on the system catalogs: psql's `\dt` and `\dn`, driver metadata queries.
enum CatalogFunctions {
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
            // Every object in Weir's catalogs shows as owned by the session's user.
            guard arguments.count == 1 else { throw noFunction(name, arguments, location: location) }
            let oid = try coerce(arguments[0], to: .oid, clause: name, location: location)
            return nullIfNull(oid, else: .constant(.text(context.currentUser), .name))
        case "pg_table_is_visible", "pg_type_is_visible":
            // Schemas are searched by qualified name or search_path; every catalog object is listed as visible.
            guard arguments.count == 1 else { throw noFunction(name, arguments, location: location) }
            let oid = try coerce(arguments[0], to: .oid, clause: name, location: location)
            return nullIfNull(oid, else: .constant(.bool(true), .boolean))
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
