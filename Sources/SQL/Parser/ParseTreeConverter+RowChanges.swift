/// `DELETE`, `UPDATE`, `ALTER TABLE` and `ALTER TABLE ... RENAME`.
extension ParseTreeConverter {
    func delete(_ node: ParseTreeJSON) throws(ParseError) -> Statement {
        guard let relation = node["relation"], case .table(let name, let alias, let location) = try rangeVar(relation)
        else {
            throw malformed("DELETE")
        }
        try refuseRowChangeExtras(node, statement: "DELETE", location: location)
        var delete = DeleteStatement(
            table: name, alias: alias?.name,
            using: try node["usingClause"]?.array.map { item throws(ParseError) in try tableReference(item) } ?? [],
            whereClause: try node["whereClause"].map { json throws(ParseError) in try expression(json) },
            returning: try targets(node["returningList"]), location: location)
        delete.with = try commonTableExpressions(node)
        return .delete(delete)
    }

    func update(_ node: ParseTreeJSON) throws(ParseError) -> Statement {
        guard let relation = node["relation"], case .table(let name, let alias, let location) = try rangeVar(relation)
        else {
            throw malformed("UPDATE")
        }
        try refuseRowChangeExtras(node, statement: "UPDATE", location: location)
        let assignments = try assignments(node["targetList"])
        var update = UpdateStatement(
            table: name, alias: alias?.name, assignments: assignments,
            from: try node["fromClause"]?.array.map { item throws(ParseError) in try tableReference(item) } ?? [],
            whereClause: try node["whereClause"].map { json throws(ParseError) in try expression(json) },
            returning: try targets(node["returningList"]), location: location)
        update.with = try commonTableExpressions(node)
        return .update(update)
    }

    func merge(_ node: ParseTreeJSON) throws(ParseError) -> Statement {
        guard let relation = node["relation"], case .table(let name, let alias, let location) = try rangeVar(relation)
        else {
            throw malformed("MERGE")
        }
        guard let source = node["sourceRelation"], let condition = node["joinCondition"] else {
            throw malformed("MERGE source")
        }
        var clauses: [MergeStatement.Clause] = []
        for item in node["mergeWhenClauses"]?.array ?? [] {
            guard let clause = item["MergeWhenClause"] else { throw malformed("MERGE WHEN clause") }
            let matched = clause["matched"]?.bool ?? false
            let at = clause["condition"].flatMap { $0.node?.1["location"]?.int } ?? location
            let action: MergeStatement.Clause.Action
            switch clause["commandType"]?.string {
            case "CMD_UPDATE":
                action = .update(try assignments(clause["targetList"]))
            case "CMD_DELETE":
                action = .delete
            case "CMD_NOTHING":
                action = .doNothing
            case "CMD_INSERT":
                if let override = clause["override"]?.string, override != "OVERRIDING_NOT_SET" {
                    throw unsupported("OVERRIDING ... VALUE", at: at)
                }
                let columns = (clause["targetList"]?.array ?? []).compactMap { $0["ResTarget"]?["name"]?.string }
                let values = try (clause["values"]?.array ?? []).map { value throws(ParseError) -> Expression? in
                    value["SetToDefault"] != nil ? nil : try expression(value)
                }
                action = .insert(columns: columns, values: values)
            default:
                throw malformed("MERGE action")
            }
            clauses.append(
                MergeStatement.Clause(
                    matched: matched,
                    condition: try clause["condition"].map { json throws(ParseError) in try expression(json) },
                    action: action, location: at))
        }
        var merge = MergeStatement(
            table: name, alias: alias?.name, source: try tableReference(source), condition: try expression(condition),
            clauses: clauses,
            location: location)
        merge.with = try commonTableExpressions(node)
        return .merge(merge)
    }

    /// `SET column = value, ...` of UPDATE and of MERGE's UPDATE; a nil value is `DEFAULT`.
    private func assignments(_ list: ParseTreeJSON?) throws(ParseError) -> [UpdateStatement.Assignment] {
        var assignments: [UpdateStatement.Assignment] = []
        for target in list?.array ?? [] {
            guard let item = target["ResTarget"], let column = item["name"]?.string, let value = item["val"] else {
                throw malformed("UPDATE assignment")
            }
            let itemLocation = item["location"]?.int ?? 0
            if item["indirection"] != nil {
                throw unsupported("UPDATE of a field or element of a column", at: itemLocation)
            }
            let source = try multipleAssignmentSource(value, at: itemLocation) ?? value
            let bound = source["SetToDefault"] != nil ? nil : try expression(source)
            assignments.append(UpdateStatement.Assignment(column: column, value: bound, location: itemLocation))
        }
        return assignments
    }

    /// For one column of `SET (a, b) = (x, y)`, its value (`x` for `a`); nil for a plain
    /// assignment. A row from a subquery (`SET (a, b) = (SELECT ...)`) is `0A000`.
    private func multipleAssignmentSource(_ value: ParseTreeJSON, at location: Int) throws(ParseError) -> ParseTreeJSON?
    {
        guard let reference = value["MultiAssignRef"] else { return nil }
        let column = reference["colno"]?.int ?? 1
        let count = reference["ncolumns"]?.int ?? 1
        if let row = reference["source"]?["RowExpr"] {
            let values = row["args"]?.array ?? []
            guard values.count == count, column >= 1, column <= values.count else {
                throw ParseError(
                    message: "number of columns does not match number of values",
                    position: SQLParser.characterPosition(ofByteOffset: location, in: source),
                    sqlState: .syntaxError)
            }
            return values[column - 1]
        }
        if count == 1, let subquery = reference["source"], subquery["SubLink"]?["subLinkType"]?.string == "EXPR_SUBLINK"
        {
            return subquery
        }
        throw unsupported("UPDATE with (column, ...) = (SELECT ...) assignments", at: location)
    }

    /// WHERE CURRENT OF, which DELETE and UPDATE do not support yet.
    private func refuseRowChangeExtras(_ node: ParseTreeJSON, statement: String, location: Int) throws(ParseError) {
        if node["whereClause"]?["CurrentOfExpr"] != nil { throw unsupported("WHERE CURRENT OF", at: location) }
    }

    func call(_ node: ParseTreeJSON) throws(ParseError) -> Statement {
        guard let function = node["funccall"]?["FuncCall"] ?? node["funccall"] else { throw malformed("CALL") }
        let procedure = QualifiedName(function["funcname"]?.array.compactMap { $0["String"]?["sval"]?.string } ?? [])
        let arguments = try (function["args"]?.array ?? []).map { argument throws(ParseError) -> CallArgument in
            if let named = argument["NamedArgExpr"], let value = named["arg"] {
                return CallArgument(name: named["name"]?.string, value: try expression(value))
            }
            return CallArgument(name: nil, value: try expression(argument))
        }
        return .call(procedure: procedure, arguments: arguments)
    }

    func alterTable(_ node: ParseTreeJSON) throws(ParseError) -> Statement {
        guard let relation = node["relation"], case .table(let name, _, let location) = try rangeVar(relation) else {
            throw malformed("ALTER TABLE")
        }
        var alterations: [TableAlteration] = []
        for command in node["cmds"]?.array ?? [] {
            guard let cmd = command["AlterTableCmd"], let subtype = cmd["subtype"]?.string else {
                throw malformed("ALTER TABLE command")
            }
            let column = cmd["name"]?.string ?? ""
            switch subtype {
            case "AT_AddColumn":
                guard let definition = cmd["def"]?["ColumnDef"] else { throw malformed("ALTER TABLE ADD COLUMN") }
                alterations.append(
                    .addColumn(
                        try columnDefinition(definition, location: location),
                        ifNotExists: cmd["missing_ok"]?.bool ?? false))
            case "AT_DropColumn":
                alterations.append(.dropColumn(column, ifExists: cmd["missing_ok"]?.bool ?? false))
            case "AT_AlterColumnType":
                guard let definition = cmd["def"]?["ColumnDef"], let type = definition["typeName"] else {
                    throw malformed("ALTER COLUMN TYPE")
                }
                if definition["raw_default"] != nil { throw unsupported("ALTER COLUMN TYPE ... USING", at: location) }
                alterations.append(.alterColumnType(column, try typeName(type)))
            case "AT_DropNotNull":
                alterations.append(.dropNotNull(column))
            case "AT_SetNotNull":
                throw unsupported(
                    "ALTER COLUMN SET NOT NULL (Iceberg cannot make an optional column required)", at: location)
            default:
                throw unsupported("ALTER TABLE \(Self.alterationName(subtype))", at: location)
            }
        }
        return .alterTable(table: name, ifExists: node["missing_ok"]?.bool ?? false, alterations: alterations)
    }

    func renameTable(_ node: ParseTreeJSON) throws(ParseError) -> Statement {
        guard let relation = node["relation"], case .table(let name, _, _) = try rangeVar(relation),
            let newName = node["newname"]?.string
        else {
            throw malformed("ALTER TABLE RENAME")
        }
        let alteration: TableAlteration =
            node["renameType"]?.string == "OBJECT_COLUMN"
            ? .renameColumn(from: node["subname"]?.string ?? "", to: newName) : .renameTable(to: newName)
        return .alterTable(table: name, ifExists: node["missing_ok"]?.bool ?? false, alterations: [alteration])
    }

    /// `AT_SetStatistics` → `SET STATISTICS`, for "not supported" errors.
    private static func alterationName(_ subtype: String) -> String {
        subtype.replacingOccurrences(of: "AT_", with: "").reduce(into: "") { text, character in
            if character.isUppercase, !text.isEmpty { text += " " }
            text += character.uppercased()
        }
    }
}
