/// `CREATE TABLE`, `CREATE TABLE AS` and `INSERT`.
extension ParseTreeConverter {
    func createTable(_ node: ParseTreeJSON) throws(ParseError) -> Statement {
        guard let relation = node["relation"], case .table(let name, _, let location) = try rangeVar(relation) else {
            throw malformed("CREATE TABLE")
        }
        if relation["relpersistence"]?.string == "t" { throw unsupported("CREATE TEMPORARY TABLE", at: location) }
        if relation["relpersistence"]?.string == "u" { throw unsupported("CREATE UNLOGGED TABLE", at: location) }
        if node["inhRelations"] != nil { throw unsupported("CREATE TABLE ... INHERITS", at: location) }
        if node["partbound"] != nil { throw unsupported("CREATE TABLE ... PARTITION OF", at: location) }
        if node["ofTypename"] != nil { throw unsupported("CREATE TABLE ... OF type", at: location) }
        var columns: [ColumnDefinition] = []
        for element in node["tableElts"]?.array ?? [] {
            guard let column = element["ColumnDef"] else {
                let constraint = element["Constraint"]
                throw unsupported(
                    Self.constraintName(constraint?["contype"]?.string), at: constraint?["location"]?.int ?? location)
            }
            columns.append(try columnDefinition(column, location: location))
        }
        var terms: [PartitionTerm] = []
        if let spec = node["partspec"] {
            let strategy = spec["strategy"]?.string?.lowercased() ?? ""
            guard strategy == "iceberg" else {
                throw ParseError(
                    message: "PARTITION BY \(strategy.uppercased()) is not supported",
                    position: spec["location"]?.int.map { SQLParser.characterPosition(ofByteOffset: $0, in: source) },
                    sqlState: .featureNotSupported,
                    hint:
                        "Iceberg tables are partitioned with PARTITION BY iceberg (column, day(column), bucket(16, column), ...)."
                )
            }
            for element in spec["partParams"]?.array ?? [] {
                terms.append(try partitionTerm(element["PartitionElem"] ?? element))
            }
        }
        let properties = try (node["options"]?.array ?? []).map {
            option throws(ParseError) -> (key: String, value: String) in
            guard let definition = option["DefElem"], let key = definition["defname"]?.string else {
                throw malformed("table option")
            }
            return (key, try definitionValue(definition["arg"], key: key))
        }
        return .createTable(
            CreateTable(
                name: name, columns: columns, partitionBy: terms, properties: properties,
                ifNotExists: node["if_not_exists"]?.bool ?? false,
                location: location))
    }

    func createTableAs(_ node: ParseTreeJSON) throws(ParseError) -> Statement {
        guard let into = node["into"], let relation = into["rel"],
            case .table(let name, _, let location) = try rangeVar(relation),
            let queryNode = node["query"]
        else { throw malformed("CREATE TABLE AS") }
        if relation["relpersistence"]?.string == "t" { throw unsupported("CREATE TEMPORARY TABLE", at: location) }
        if into["options"] != nil { throw unsupported("WITH (...) in CREATE TABLE AS", at: location) }
        guard case .select(let query) = try statement(queryNode) else {
            throw unsupported("CREATE TABLE AS with anything but a query", at: location)
        }
        return .createTableAs(
            CreateTableAs(
                name: name, columnNames: into["colNames"]?.array.compactMap { $0["String"]?["sval"]?.string } ?? [],
                query: query,
                withData: !(into["skipData"]?.bool ?? false), ifNotExists: node["if_not_exists"]?.bool ?? false,
                location: location))
    }

    func insert(_ node: ParseTreeJSON) throws(ParseError) -> Statement {
        guard let relation = node["relation"], case .table(let name, let alias, let location) = try rangeVar(relation)
        else {
            throw malformed("INSERT")
        }
        if let clause = node["onConflictClause"] { try checkOnConflict(clause, table: name, location: location) }
        if let override = node["override"]?.string, override != "OVERRIDING_NOT_SET" {
            throw unsupported("OVERRIDING ... VALUE", at: location)
        }
        guard let queryNode = node["selectStmt"] else { throw unsupported("INSERT ... DEFAULT VALUES", at: location) }
        guard case .select(var query) = try statement(queryNode) else { throw malformed("INSERT query") }
        // WITH before INSERT is visible to the inserted query, as WITH inside it would be.
        query.commonTableExpressions = try commonTableExpressions(node) + query.commonTableExpressions
        var columns: [String] = []
        for target in node["cols"]?.array ?? [] {
            guard let column = target["ResTarget"], let columnName = column["name"]?.string else {
                throw malformed("INSERT column")
            }
            if column["indirection"] != nil {
                throw unsupported("INSERT into a field or element of a column", at: column["location"]?.int ?? location)
            }
            columns.append(columnName)
        }
        return .insert(
            InsertStatement(
                table: name, alias: alias?.name, columns: columns, query: query,
                returning: try targets(node["returningList"]),
                location: location))
    }

    /// `ON CONFLICT`. Iceberg tables have no unique or exclusion constraints, so no row can conflict:
    /// `DO NOTHING` without a conflict target inserts every row, as PostgreSQL does for such a table,
    /// and a conflict target (which must match a constraint) gets PostgreSQL's errors.
    private func checkOnConflict(_ node: ParseTreeJSON, table: QualifiedName, location: Int) throws(ParseError) {
        let clause = node["OnConflictClause"] ?? node
        let position = SQLParser.characterPosition(ofByteOffset: clause["location"]?.int ?? location, in: source)
        if let constraint = clause["infer"]?["conname"]?.string {
            throw ParseError(
                message: "constraint \"\(constraint)\" for table \"\(table.name)\" does not exist", position: position,
                sqlState: .undefinedObject)
        }
        if clause["infer"] != nil {
            throw ParseError(
                message: "there is no unique or exclusion constraint matching the ON CONFLICT specification",
                position: position,
                sqlState: .invalidColumnReference)
        }
        if clause["action"]?.string == "ONCONFLICT_UPDATE" {
            throw ParseError(
                message: "ON CONFLICT DO UPDATE requires inference specification or constraint name",
                position: position,
                sqlState: .syntaxError, hint: "For example, ON CONFLICT (column_name).")
        }
    }

    /// A `ColumnDef`: name, type and NOT NULL; other constraints are not supported.
    func columnDefinition(_ column: ParseTreeJSON, location: Int) throws(ParseError) -> ColumnDefinition {
        guard let columnName = column["colname"]?.string, let type = column["typeName"] else {
            throw malformed("column definition")
        }
        var notNull = false
        for constraint in column["constraints"]?.array ?? [] {
            let kind = constraint["Constraint"]?["contype"]?.string
            switch kind {
            case "CONSTR_NOTNULL": notNull = true
            case "CONSTR_NULL": notNull = false
            default:
                throw unsupported(Self.constraintName(kind), at: constraint["Constraint"]?["location"]?.int ?? location)
            }
        }
        if column["collClause"] != nil {
            throw unsupported("COLLATE in a column definition", at: column["location"]?.int)
        }
        return ColumnDefinition(name: columnName, type: try typeName(type), notNull: notNull)
    }

    /// `column`, or `transform(column)`, `bucket(n, column)`, `truncate(n, column)`.
    private func partitionTerm(_ element: ParseTreeJSON) throws(ParseError) -> PartitionTerm {
        let location = element["location"]?.int ?? 0
        if let column = element["name"]?.string {
            return PartitionTerm(transform: "identity", column: column, location: location)
        }
        let call = element["expr"]?["FuncCall"]
        guard let call, let function = call["funcname"]?.array.last?["String"]?["sval"]?.string?.lowercased() else {
            throw ParseError(
                message: "a partition term must be a column or an Iceberg transform of one",
                position: SQLParser.characterPosition(ofByteOffset: location, in: source), sqlState: .syntaxError,
                hint: "Write a column name, year(c), month(c), day(c), hour(c), bucket(n, c) or truncate(n, c).")
        }
        let arguments = call["args"]?.array ?? []
        func columnName(_ json: ParseTreeJSON?) -> String? {
            guard let fields = json?["ColumnRef"]?["fields"]?.array, fields.count == 1 else { return nil }
            return fields[0]["String"]?["sval"]?.string
        }
        let wantsWidth = function == "bucket" || function == "truncate"
        let expected = wantsWidth ? 2 : 1
        guard ["identity", "year", "month", "day", "hour", "bucket", "truncate"].contains(function),
            arguments.count == expected,
            let column = columnName(arguments.last)
        else {
            throw ParseError(
                message: "\(function)(...) is not an Iceberg partition transform of a column",
                position: SQLParser.characterPosition(ofByteOffset: location, in: source), sqlState: .syntaxError,
                hint: "Write a column name, year(c), month(c), day(c), hour(c), bucket(n, c) or truncate(n, c).")
        }
        var width: Int?
        if wantsWidth {
            guard let value = arguments[0]["A_Const"]?["ival"]?["ival"]?.int, value > 0 else {
                throw ParseError(
                    message: "\(function) needs a positive integer constant as its first argument",
                    position: SQLParser.characterPosition(ofByteOffset: location, in: source),
                    sqlState: .invalidParameterValue)
            }
            width = value
        }
        return PartitionTerm(transform: function, column: column, argument: width, location: location)
    }

    /// A `WITH (key = value)` value as text.
    private func definitionValue(_ argument: ParseTreeJSON?, key: String) throws(ParseError) -> String {
        guard let argument else { return "true" }
        if let text = argument["String"]?["sval"]?.string { return text }
        if let integer = argument["Integer"] { return String(integer["ival"]?.int ?? 0) }
        if let float = argument["Float"]?["fval"]?.string { return float }
        if let boolean = argument["Boolean"] { return (boolean["boolval"]?.bool ?? false) ? "true" : "false" }
        if let names = argument["TypeName"]?["names"]?.array {
            return names.compactMap { $0["String"]?["sval"]?.string }.joined(separator: ".")
        }
        throw ParseError(
            message: "table property \"\(key)\" needs a plain value", position: nil, sqlState: .invalidParameterValue)
    }

    /// The SQL name of a constraint kind, for "not supported" errors.
    private static func constraintName(_ kind: String?) -> String {
        switch kind {
        case "CONSTR_PRIMARY": return "PRIMARY KEY constraints"
        case "CONSTR_UNIQUE": return "UNIQUE constraints"
        case "CONSTR_FOREIGN": return "FOREIGN KEY constraints"
        case "CONSTR_CHECK": return "CHECK constraints"
        case "CONSTR_DEFAULT": return "column DEFAULT values"
        case "CONSTR_IDENTITY": return "identity columns"
        case "CONSTR_GENERATED": return "generated columns"
        case "CONSTR_EXCLUSION": return "EXCLUDE constraints"
        default: return "table constraints"
        }
    }
}
