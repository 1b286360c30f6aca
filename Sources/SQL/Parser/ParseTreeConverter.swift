import Foundation

/// Turns libpg_query's JSON parse tree into Weir's typed AST.
///
/// Node shapes follow PostgreSQL 15's `parsenodes.h`. Nodes Weir does not handle yet become
/// `.unsupported` with a readable feature name, so the binder can answer `0A000` precisely.
struct ParseTreeConverter {
    let source: [UInt8]
    /// Where the statement being converted starts and ends in `source`.
    var statementRange: Range<Int> = 0..<0

    // MARK: Statements

    func statement(_ json: ParseTreeJSON) throws(ParseError) -> Statement {
        guard let (type, node) = json.node else { throw malformed("statement") }
        switch type {
        case "SelectStmt":
            return .select(try select(node))
        case "ViewStmt":
            return try createView(node)
        case "CreateSchemaStmt":
            if node["schemaElts"] != nil { throw unsupported("CREATE SCHEMA with schema elements", at: nil) }
            guard let name = node["schemaname"]?.string ?? node["authrole"]?["rolename"]?.string else {
                throw malformed("CREATE SCHEMA")
            }
            return .createSchema(name: name, ifNotExists: node["if_not_exists"]?.bool ?? false)
        case "DropStmt" where node["removeType"]?.string == "OBJECT_SCHEMA":
            return .dropSchema(
                names: node["objects"]?.array.compactMap { $0["String"]?["sval"]?.string } ?? [],
                ifExists: node["missing_ok"]?.bool ?? false,
                cascade: node["behavior"]?.string == "DROP_CASCADE")
        case "DropStmt"
        where node["removeType"]?.string == "OBJECT_VIEW" || node["removeType"]?.string == "OBJECT_TABLE":
            let names = node["objects"]?.array.map { object in
                QualifiedName((object["List"]?["items"]?.array ?? []).compactMap { $0["String"]?["sval"]?.string })
            }
            let ifExists = node["missing_ok"]?.bool ?? false
            let cascade = node["behavior"]?.string == "DROP_CASCADE"
            if node["removeType"]?.string == "OBJECT_TABLE" {
                return .dropTable(names: names ?? [], ifExists: ifExists, cascade: cascade)
            }
            return .dropView(names: names ?? [], ifExists: ifExists, cascade: cascade)
        case "CreateStmt":
            return try createTable(node)
        case "CreateTableAsStmt" where node["objtype"]?.string == "OBJECT_TABLE":
            return try createTableAs(node)
        case "InsertStmt":
            return try insert(node)
        case "DeleteStmt":
            return try delete(node)
        case "TruncateStmt":
            let tables = try (node["relations"]?.array ?? []).map { relation throws(ParseError) -> QualifiedName in
                guard case .table(let name, _, _) = try rangeVar(relation) else { throw malformed("TRUNCATE") }
                return name
            }
            return .truncate(tables: tables)
        case "CallStmt":
            return try call(node)
        case "UpdateStmt":
            return try update(node)
        case "MergeStmt":
            return try merge(node)
        case "AlterTableStmt" where node["objtype"]?.string == "OBJECT_TABLE":
            return try alterTable(node)
        case "RenameStmt"
        where node["renameType"]?.string == "OBJECT_TABLE"
            || (node["renameType"]?.string == "OBJECT_COLUMN" && node["relationType"]?.string == "OBJECT_TABLE"):
            return try renameTable(node)
        case "VariableSetStmt":
            return try variableSet(node)
        case "VariableShowStmt":
            return .show(name: node["name"]?.string ?? "")
        case "TransactionStmt":
            return try transaction(node)
        case "CopyStmt":
            return try copy(node)
        case "PrepareStmt":
            guard let inner = node["query"] else { throw malformed("PREPARE") }
            return .prepare(
                name: node["name"]?.string ?? "",
                parameterTypes: try node["argtypes"]?.array.map { t throws(ParseError) in try typeName(t) } ?? [],
                statement: try statement(inner))
        case "ExecuteStmt":
            return .execute(
                name: node["name"]?.string ?? "",
                arguments: try node["params"]?.array.map { p throws(ParseError) in try expression(p) } ?? [])
        case "DeallocateStmt":
            return .deallocate(name: node["name"]?.string)
        case "DeclareCursorStmt":
            guard let queryNode = node["query"], case .select(let query) = try statement(queryNode) else {
                return .unsupported(feature: "DECLARE CURSOR for a statement other than SELECT")
            }
            let options = node["options"]?.int ?? 0
            if options & 0x0002 != 0 { return .unsupported(feature: "SCROLL cursors") }
            return .declareCursor(name: node["portalname"]?.string ?? "", query: query, withHold: options & 0x0020 != 0)
        case "FetchStmt":
            return fetch(node)
        case "ClosePortalStmt":
            return .closeCursor(name: node["portalname"]?.string)
        case "DiscardStmt":
            return node["target"]?.string == "DISCARD_ALL" || node["target"] == nil
                ? .discardAll : .unsupported(feature: "DISCARD \(node["target"]?.string ?? "")")
        case "ExplainStmt":
            guard let queryNode = node["query"], case .select(let query) = try statement(queryNode) else {
                return .unsupported(feature: "EXPLAIN of a statement other than SELECT")
            }
            var analyze = false
            for option in node["options"]?.array ?? [] {
                guard let element = option["DefElem"], let name = element["defname"]?.string else { continue }
                let value =
                    element["arg"]?["String"]?["sval"]?.string?.lowercased()
                    ?? element["arg"]?["Boolean"]?["boolval"].map { $0.bool == true ? "true" : "false" }
                let enabled = value.map { !["false", "off", "0"].contains($0) } ?? true
                switch name {
                case "analyze": analyze = enabled
                case "format" where value != "text":
                    return .unsupported(feature: "EXPLAIN (FORMAT \(value?.uppercased() ?? ""))")
                default: continue
                }
            }
            return .explain(query: query, analyze: analyze)
        case "ListenStmt": return .unsupported(feature: "LISTEN")
        case "UnlistenStmt": return .unsupported(feature: "UNLISTEN")
        case "NotifyStmt": return .unsupported(feature: "NOTIFY")
        default:
            return .unsupported(feature: Self.statementFeatureName(type))
        }
    }

    /// `CreateStmt` → `CREATE TABLE`-style names for error messages.
    static func statementFeatureName(_ nodeType: String) -> String {
        let known: [String: String] = [
            "CreateStmt": "CREATE TABLE", "InsertStmt": "INSERT", "UpdateStmt": "UPDATE", "DeleteStmt": "DELETE",
            "DropStmt": "DROP", "CreateSchemaStmt": "CREATE SCHEMA", "ViewStmt": "CREATE VIEW",
            "CreateTableAsStmt": "CREATE TABLE AS", "AlterTableStmt": "ALTER TABLE", "ExplainStmt": "EXPLAIN",
            "IndexStmt": "CREATE INDEX", "CreateRoleStmt": "CREATE ROLE", "GrantStmt": "GRANT",
            "TruncateStmt": "TRUNCATE",
            "VacuumStmt": "VACUUM", "CreateFunctionStmt": "CREATE FUNCTION", "DoStmt": "DO", "CallStmt": "CALL",
            "LockStmt": "LOCK", "CheckPointStmt": "CHECKPOINT", "MergeStmt": "MERGE",
        ]
        return known[nodeType] ?? nodeType.replacingOccurrences(of: "Stmt", with: "")
    }

    func variableSet(_ node: ParseTreeJSON) throws(ParseError) -> Statement {
        let name = (node["name"]?.string ?? "").lowercased()
        let isLocal = node["is_local"]?.bool ?? false
        switch node["kind"]?.string ?? "VAR_SET_VALUE" {
        case "VAR_SET_VALUE":
            let values = try node["args"]?.array.map { arg throws(ParseError) in try settingValue(arg) } ?? []
            return .set(name: name, value: .values(values), isLocal: isLocal)
        case "VAR_SET_DEFAULT":
            return .set(name: name, value: .default, isLocal: isLocal)
        case "VAR_RESET":
            return .reset(name: name)
        case "VAR_RESET_ALL":
            return .reset(name: nil)
        case "VAR_SET_MULTI":
            // SET TRANSACTION / SET SESSION CHARACTERISTICS AS TRANSACTION ...
            let options = node["args"]?.array ?? []
            for option in options {
                guard let (_, def) = option.node, let optionName = def["defname"]?.string else { continue }
                let value = try def["arg"].map { arg throws(ParseError) in try settingValue(arg) } ?? ""
                return .set(name: optionName, value: .values([value]), isLocal: name == "transaction")
            }
            return .set(name: "transaction", value: .values([]), isLocal: true)
        default:
            return .unsupported(feature: "SET \(name)")
        }
    }

    /// The text of one SET argument: a string, number or keyword.
    func settingValue(_ json: ParseTreeJSON) throws(ParseError) -> String {
        guard let (type, node) = json.node else { throw malformed("SET value") }
        switch type {
        case "A_Const":
            switch try literal(node) {
            case .integer(let v): return String(v)
            case .numeric(let s), .string(let s): return s
            case .boolean(let b): return b ? "on" : "off"
            case .null: return ""
            }
        case "TypeCast":
            guard let arg = node["arg"] else { throw malformed("SET value") }
            return try settingValue(arg)
        case "String":
            return node["sval"]?.string ?? ""
        default:
            throw ParseError(message: "unsupported SET value", position: nil, sqlState: .featureNotSupported)
        }
    }

    func transaction(_ node: ParseTreeJSON) throws(ParseError) -> Statement {
        let savepoint = node["savepoint_name"]?.string ?? ""
        switch node["kind"]?.string ?? "TRANS_STMT_BEGIN" {
        case "TRANS_STMT_BEGIN": return .transaction(.begin)
        case "TRANS_STMT_START": return .transaction(.startTransaction)
        case "TRANS_STMT_COMMIT": return .transaction(.commit)
        case "TRANS_STMT_ROLLBACK": return .transaction(.rollback)
        case "TRANS_STMT_SAVEPOINT": return .transaction(.savepoint(savepoint))
        case "TRANS_STMT_RELEASE": return .transaction(.release(savepoint))
        case "TRANS_STMT_ROLLBACK_TO": return .transaction(.rollbackTo(savepoint))
        case "TRANS_STMT_PREPARE": return .transaction(.prepareTransaction)
        case "TRANS_STMT_COMMIT_PREPARED": return .transaction(.commitPrepared)
        default: return .transaction(.rollbackPrepared)
        }
    }

    func copy(_ node: ParseTreeJSON) throws(ParseError) -> Statement {
        let isFrom = node["is_from"]?.bool ?? false
        guard node["filename"] == nil, !(node["is_program"]?.bool ?? false) else {
            return .unsupported(
                feature: isFrom ? "COPY from a server file or program" : "COPY to a server file or program")
        }
        let options = try copyOptions(node, isFrom: isFrom)
        if isFrom {
            guard let relation = node["relation"], case .table(let name, _, let location) = try rangeVar(relation)
            else {
                throw malformed("COPY FROM")
            }
            if node["whereClause"] != nil { throw unsupported("COPY FROM ... WHERE", at: location) }
            let columns = node["attlist"]?.array.compactMap { $0["String"]?["sval"]?.string } ?? []
            return .copyFromStdin(table: name, columns: columns, options: options)
        }
        let query: SelectStatement
        if let queryNode = node["query"] {
            guard case .select(let select) = try statement(queryNode) else {
                return .unsupported(feature: "COPY of a statement other than SELECT")
            }
            query = select
        } else if let relation = node["relation"] {
            var select = SelectStatement()
            let columns = node["attlist"]?.array.compactMap { $0["String"]?["sval"]?.string } ?? []
            select.targets =
                columns.isEmpty
                ? [.star(qualifier: nil, location: 0)]
                : columns.map { .expression(.column([$0], location: 0), alias: nil) }
            select.from = [try rangeVar(relation)]
            query = select
        } else {
            throw malformed("COPY")
        }
        return .copyToStdout(query: query, options: options)
    }

    private func copyOptions(_ node: ParseTreeJSON, isFrom: Bool) throws(ParseError) -> CopyOptions {
        var options = CopyOptions()
        for option in node["options"]?.array ?? [] {
            guard let (_, def) = option.node, let name = def["defname"]?.string else { continue }
            let value = try def["arg"].map { arg throws(ParseError) in try settingValue(arg) }
            switch name {
            case "format":
                guard let format = CopyOptions.Format(rawValue: (value ?? "").lowercased()) else {
                    throw ParseError(
                        message: "COPY format \"\(value ?? "")\" not recognized", position: nil,
                        sqlState: .invalidParameterValue)
                }
                options.format = format
            case "delimiter": options.delimiter = value
            case "null": options.null = value
            case "header": options.header = value.map { ["on", "true", "1", ""].contains($0.lowercased()) } ?? true
            case "quote": options.quote = value
            case "escape": options.escape = value
            case "force_quote" where !isFrom: options.forceQuoteAll = true
            case "force_quote":
                throw ParseError(
                    message: "COPY FORCE_QUOTE cannot be used with COPY FROM", position: nil,
                    sqlState: .featureNotSupported)
            case "force_not_null", "force_null", "freeze", "default":
                throw ParseError(
                    message: "COPY option \"\(name)\" is not supported yet", position: nil,
                    sqlState: .featureNotSupported)
            case "encoding": continue
            default:
                throw ParseError(message: "option \"\(name)\" not recognized", position: nil, sqlState: .syntaxError)
            }
        }
        return options
    }

    func fetch(_ node: ParseTreeJSON) -> Statement {
        let cursor = node["portalname"]?.string ?? ""
        let move = node["ismove"]?.bool ?? false
        let howMany = node["howMany"]?.int ?? 0
        switch node["direction"]?.string ?? "FETCH_FORWARD" {
        case "FETCH_FORWARD":
            // PostgreSQL encodes FETCH ALL as LONG_MAX; FETCH with no count as 1.
            if howMany >= Int(Int32.max) { return .fetch(cursor: cursor, direction: .all, move: move) }
            return .fetch(cursor: cursor, direction: .forward(howMany), move: move)
        case let other:
            return .fetch(cursor: cursor, direction: .unsupported(other), move: move)
        }
    }

    // MARK: Queries

    func select(_ node: ParseTreeJSON) throws(ParseError) -> SelectStatement {
        var select = SelectStatement()
        if let op = node["op"]?.string, op != "SETOP_NONE" {
            guard let kind = SetOperation.Kind(rawValue: op.replacingOccurrences(of: "SETOP_", with: "")),
                let left = node["larg"], let right = node["rarg"]
            else { throw malformed("set operation") }
            select.setOperation = SetOperation(
                kind: kind, all: node["all"]?.bool ?? false, left: try self.select(left["SelectStmt"] ?? left),
                right: try self.select(right["SelectStmt"] ?? right))
        }
        select.commonTableExpressions = try commonTableExpressions(node)
        if let lists = node["valuesLists"] {
            select.values = try lists.array.map { row throws(ParseError) in
                try (row["List"]?["items"]?.array ?? []).map { item throws(ParseError) in try expression(item) }
            }
        }
        select.targets = try targets(node["targetList"])
        select.from = try node["fromClause"]?.array.map { item throws(ParseError) in try tableReference(item) } ?? []
        select.whereClause = try node["whereClause"].map { e throws(ParseError) in try expression(e) }
        select.groupBy = try node["groupClause"]?.array.map { e throws(ParseError) in try expression(e) } ?? []
        select.groupByDistinct = node["groupDistinct"]?.bool ?? false
        select.having = try node["havingClause"].map { e throws(ParseError) in try expression(e) }
        select.windows =
            try node["windowClause"]?.array.map { item throws(ParseError) in try windowSpecification(item) } ?? []
        select.orderBy = try sortItems(node["sortClause"])
        select.limit = try node["limitCount"].map { e throws(ParseError) in try expression(e) }
        select.offset = try node["limitOffset"].map { e throws(ParseError) in try expression(e) }
        select.limitWithTies = node["limitOption"]?.string == "LIMIT_OPTION_WITH_TIES"
        if let distinct = node["distinctClause"] {
            let items = distinct.array
            if items.contains(where: { $0.node != nil }) {
                select.distinctOn = try items.map { item throws(ParseError) in try expression(item) }
            } else {
                select.distinct = true
            }
        }
        return select
    }

    func tableReference(_ json: ParseTreeJSON) throws(ParseError) -> TableReference {
        guard let (type, node) = json.node else { throw malformed("FROM item") }
        switch type {
        case "RangeVar":
            return try rangeVar(json)
        case "RangeFunction":
            if node["ordinality"]?.bool ?? false { throw unsupported("WITH ORDINALITY", at: nil) }
            let functions = node["functions"]?.array ?? []
            guard functions.count == 1, let call = functions[0]["List"]?["items"]?.array.first,
                let (callType, callNode) = call.node, callType == "FuncCall"
            else { throw unsupported("ROWS FROM", at: nil) }
            let function = try functionCall(callNode)
            return .function(
                name: function.name, arguments: function.arguments, alias: alias(node["alias"]),
                location: function.location)
        case "RangeSubselect":
            guard let subquery = node["subquery"], case .select(let select) = try statement(subquery) else {
                throw malformed("subquery")
            }
            return .subquery(select, alias: alias(node["alias"]), lateral: node["lateral"]?.bool ?? false)
        case "JoinExpr":
            guard let left = node["larg"], let right = node["rarg"] else { throw malformed("JOIN") }
            let kind: JoinKind
            switch node["jointype"]?.string ?? "JOIN_INNER" {
            case "JOIN_LEFT": kind = .left
            case "JOIN_RIGHT": kind = .right
            case "JOIN_FULL": kind = .full
            default:
                kind =
                    node["quals"] == nil && node["usingClause"] == nil && !(node["isNatural"]?.bool ?? false)
                    ? .cross : .inner
            }
            return .join(
                kind: kind, left: try tableReference(left), right: try tableReference(right),
                condition: try node["quals"].map { e throws(ParseError) in try expression(e) },
                using: node["usingClause"]?.array.compactMap { $0["String"]?["sval"]?.string } ?? [],
                natural: node["isNatural"]?.bool ?? false)
        default:
            throw unsupported(type, at: nil)
        }
    }

    func rangeVar(_ json: ParseTreeJSON) throws(ParseError) -> TableReference {
        let node = json["RangeVar"] ?? json
        let parts = [node["catalogname"]?.string, node["schemaname"]?.string, node["relname"]?.string].compactMap { $0 }
        return .table(name: QualifiedName(parts), alias: alias(node["alias"]), location: node["location"]?.int ?? 0)
    }

    func alias(_ json: ParseTreeJSON?) -> TableAlias? {
        guard let json, let name = json["aliasname"]?.string else { return nil }
        return TableAlias(
            name: name, columnNames: json["colnames"]?.array.compactMap { $0["String"]?["sval"]?.string } ?? [])
    }

    // MARK: Expressions

    func expression(_ json: ParseTreeJSON) throws(ParseError) -> Expression {
        guard let (type, node) = json.node else { throw malformed("expression") }
        let location = node["location"]?.int ?? 0
        switch type {
        case "A_Const":
            return .literal(try literal(node), location: location)
        case "ColumnRef":
            let fields = node["fields"]?.array ?? []
            if fields.contains(where: { $0["A_Star"] != nil }) { throw unsupported("* in this position", at: location) }
            return .column(fields.compactMap { $0["String"]?["sval"]?.string }, location: location)
        case "ParamRef":
            return .parameter(node["number"]?.int ?? 0, location: location)
        case "A_Expr":
            return try operatorExpression(node, location: location)
        case "BoolExpr":
            let args = try node["args"]?.array.map { a throws(ParseError) in try expression(a) } ?? []
            switch node["boolop"]?.string ?? "AND_EXPR" {
            case "AND_EXPR": return .and(args)
            case "OR_EXPR": return .or(args)
            default:
                guard let operand = args.first else { throw malformed("NOT") }
                return .not(operand)
            }
        case "NullTest":
            guard let arg = node["arg"] else { throw malformed("IS NULL") }
            return .isNull(try expression(arg), negated: node["nulltesttype"]?.string == "IS_NOT_NULL")
        case "BooleanTest":
            guard let arg = node["arg"] else { throw malformed("IS TRUE") }
            let test: BooleanTest
            switch node["booltesttype"]?.string ?? "IS_TRUE" {
            case "IS_NOT_TRUE": test = .isNotTrue
            case "IS_FALSE": test = .isFalse
            case "IS_NOT_FALSE": test = .isNotFalse
            case "IS_UNKNOWN": test = .isUnknown
            case "IS_NOT_UNKNOWN": test = .isNotUnknown
            default: test = .isTrue
            }
            return .booleanTest(try expression(arg), test, location: location)
        case "FuncCall":
            return .function(try functionCall(node))
        case "TypeCast":
            guard let arg = node["arg"], let type = node["typeName"] else { throw malformed("cast") }
            return .cast(try expression(arg), try typeName(type), location: location)
        case "CaseExpr":
            let branches =
                try node["args"]?.array.map { item throws(ParseError) -> CaseBranch in
                    guard let (_, when) = item.node, let condition = when["expr"], let result = when["result"] else {
                        throw malformed("CASE WHEN")
                    }
                    return CaseBranch(condition: try expression(condition), result: try expression(result))
                } ?? []
            return .caseWhen(
                operand: try node["arg"].map { e throws(ParseError) in try expression(e) }, branches: branches,
                otherwise: try node["defresult"].map { e throws(ParseError) in try expression(e) }, location: location)
        case "CoalesceExpr":
            return .coalesce(
                try node["args"]?.array.map { a throws(ParseError) in try expression(a) } ?? [], location: location)
        case "MinMaxExpr":
            let args = try node["args"]?.array.map { a throws(ParseError) in try expression(a) } ?? []
            return node["op"]?.string == "IS_LEAST"
                ? .least(args, location: location) : .greatest(args, location: location)
        case "SQLValueFunction":
            guard let function = Self.specialFunctions[node["op"]?.string ?? ""] else {
                throw unsupported(node["op"]?.string ?? "SQL value function", at: location)
            }
            return .specialFunction(function, location: location)
        case "SubLink":
            guard let subselect = node["subselect"], case .select(let select) = try statement(subselect) else {
                throw malformed("subquery")
            }
            let operatorName = node["operName"]?.array.compactMap { $0["String"]?["sval"]?.string }.last ?? "="
            let kind: Subquery.Kind
            switch node["subLinkType"]?.string ?? "" {
            case "EXISTS_SUBLINK": kind = .exists
            case "EXPR_SUBLINK": kind = .scalar
            case "ANY_SUBLINK", "ALL_SUBLINK":
                guard let test = node["testexpr"] else { throw malformed("subquery comparison") }
                let lhs = try expression(test)
                kind =
                    node["subLinkType"]?.string == "ANY_SUBLINK"
                    ? .any(op: operatorName, lhs: lhs) : .all(op: operatorName, lhs: lhs)
            case "ARRAY_SUBLINK": kind = .array
            default: throw unsupported("this kind of subquery", at: location)
            }
            return .subquery(Subquery(kind: kind, select: select, location: location))
        case "RowExpr":
            let items = try node["args"]?.array.map { e throws(ParseError) in try expression(e) } ?? []
            return .row(items, location: location)
        case "GroupingSet":
            let items = try node["content"]?.array.map { e throws(ParseError) in try expression(e) } ?? []
            switch node["kind"]?.string ?? "" {
            case "GROUPING_SET_EMPTY": return .groupingSet(.empty, [], location: location)
            case "GROUPING_SET_ROLLUP": return .groupingSet(.rollup, items, location: location)
            case "GROUPING_SET_CUBE": return .groupingSet(.cube, items, location: location)
            case "GROUPING_SET_SETS": return .groupingSet(.sets, items, location: location)
            default: throw malformed("grouping set")
            }
        case "GroupingFunc":
            let items = try node["args"]?.array.map { e throws(ParseError) in try expression(e) } ?? []
            return .grouping(items, location: location)
        case "A_ArrayExpr":
            let elements = try node["elements"]?.array.map { e throws(ParseError) in try expression(e) } ?? []
            return .arrayConstructor(elements, location: location)
        case "A_Indirection":
            guard let arg = node["arg"], let steps = node["indirection"]?.array else { throw malformed("subscript") }
            var result = try expression(arg)
            for step in steps {
                if let field = step["String"]?["sval"]?.string {
                    result = .fieldSelection(result, field: field, location: location)
                    continue
                }
                guard let indices = step["A_Indices"], indices["is_slice"]?.bool != true, let upper = indices["uidx"]
                else {
                    throw unsupported(
                        step["A_Indices"] != nil ? "array slices" : "selecting every field with .*", at: location)
                }
                result = .arrayElement(result, index: try expression(upper), location: location)
            }
            return result
        case "CollateClause":
            guard let arg = node["arg"] else { throw malformed("COLLATE") }
            return try expression(arg)
        default:
            throw unsupported(type, at: location)
        }
    }

    static let specialFunctions: [String: SpecialFunction] = [
        "SVFOP_CURRENT_DATE": .currentDate, "SVFOP_CURRENT_TIME": .currentTime, "SVFOP_CURRENT_TIME_N": .currentTime,
        "SVFOP_CURRENT_TIMESTAMP": .currentTimestamp, "SVFOP_CURRENT_TIMESTAMP_N": .currentTimestamp,
        "SVFOP_LOCALTIME": .localTime, "SVFOP_LOCALTIME_N": .localTime, "SVFOP_LOCALTIMESTAMP": .localTimestamp,
        "SVFOP_LOCALTIMESTAMP_N": .localTimestamp, "SVFOP_CURRENT_ROLE": .currentRole,
        "SVFOP_CURRENT_USER": .currentUser,
        "SVFOP_USER": .user, "SVFOP_SESSION_USER": .sessionUser, "SVFOP_CURRENT_CATALOG": .currentCatalog,
        "SVFOP_CURRENT_SCHEMA": .currentSchema,
    ]

    func operatorExpression(_ node: ParseTreeJSON, location: Int) throws(ParseError) -> Expression {
        let name = node["name"]?.array.compactMap { $0["String"]?["sval"]?.string }.last ?? ""
        let lhs = try node["lexpr"].map { e throws(ParseError) in try expression(e) }
        let rexprNode = node["rexpr"]
        switch node["kind"]?.string ?? "AEXPR_OP" {
        case "AEXPR_OP", "AEXPR_LIKE", "AEXPR_ILIKE", "AEXPR_SIMILAR":
            guard let rexprNode else { throw unsupported("postfix operators", at: location) }
            let rhs = try expression(rexprNode)
            guard let lhs else { return .unary(name, rhs, location: location) }
            return .binary(name, lhs, rhs, location: location)
        case "AEXPR_OP_ANY", "AEXPR_OP_ALL":
            guard let lhs, let rexprNode else { throw malformed("ANY/ALL") }
            return .quantified(
                name, lhs, try expression(rexprNode), all: node["kind"]?.string == "AEXPR_OP_ALL", location: location)
        case "AEXPR_IN":
            guard let lhs, let items = rexprNode?["List"]?["items"]?.array else {
                throw unsupported("IN (subquery)", at: location)
            }
            return .inList(
                lhs, try items.map { i throws(ParseError) in try expression(i) }, negated: name == "<>",
                location: location)
        case "AEXPR_BETWEEN", "AEXPR_NOT_BETWEEN":
            guard let lhs, let bounds = rexprNode?["List"]?["items"]?.array, bounds.count == 2 else {
                throw malformed("BETWEEN")
            }
            return .between(
                lhs, try expression(bounds[0]), try expression(bounds[1]),
                negated: node["kind"]?.string == "AEXPR_NOT_BETWEEN", location: location)
        case "AEXPR_BETWEEN_SYM", "AEXPR_NOT_BETWEEN_SYM":
            // As PostgreSQL rewrites it: x BETWEEN a AND b OR x BETWEEN b AND a.
            guard let lhs, let bounds = rexprNode?["List"]?["items"]?.array, bounds.count == 2 else {
                throw malformed("BETWEEN")
            }
            let (low, high) = (try expression(bounds[0]), try expression(bounds[1]))
            let either = Expression.or([
                .between(lhs, low, high, negated: false, location: location),
                .between(lhs, high, low, negated: false, location: location),
            ])
            return node["kind"]?.string == "AEXPR_NOT_BETWEEN_SYM" ? .not(either) : either
        case "AEXPR_NULLIF":
            guard let lhs, let rexprNode else { throw malformed("NULLIF") }
            return .nullIf(lhs, try expression(rexprNode), location: location)
        case "AEXPR_DISTINCT", "AEXPR_NOT_DISTINCT":
            guard let lhs, let rexprNode else { throw malformed("IS DISTINCT FROM") }
            return .distinctFrom(
                lhs, try expression(rexprNode), negated: node["kind"]?.string == "AEXPR_NOT_DISTINCT",
                location: location)
        case let kind:
            throw unsupported(kind.replacingOccurrences(of: "AEXPR_", with: "") + " expressions", at: location)
        }
    }

    func functionCall(_ node: ParseTreeJSON) throws(ParseError) -> FunctionCall {
        FunctionCall(
            name: QualifiedName(node["funcname"]?.array.compactMap { $0["String"]?["sval"]?.string } ?? []),
            arguments: try node["args"]?.array.map { a throws(ParseError) in try expression(a) } ?? [],
            star: node["agg_star"]?.bool ?? false,
            distinct: node["agg_distinct"]?.bool ?? false,
            filter: try node["agg_filter"].map { e throws(ParseError) in try expression(e) },
            orderBy: try sortItems(node["agg_order"]),
            withinGroup: node["agg_within_group"]?.bool ?? false,
            over: try node["over"].map { over throws(ParseError) in try windowSpecification(over) },
            location: node["location"]?.int ?? 0)
    }

    /// A list of `SortBy` nodes (ORDER BY items), or none.
    func sortItems(_ list: ParseTreeJSON?) throws(ParseError) -> [SortItem] {
        try list?.array.map { item throws(ParseError) in
            guard let (_, sortBy) = item.node, let sortNode = sortBy["node"] else { throw malformed("ORDER BY") }
            let direction = sortBy["sortby_dir"]?.string ?? "SORTBY_DEFAULT"
            let nulls = sortBy["sortby_nulls"]?.string ?? "SORTBY_NULLS_DEFAULT"
            if direction == "SORTBY_USING" { throw unsupported("ORDER BY ... USING", at: sortBy["location"]?.int) }
            return SortItem(
                expression: try expression(sortNode), descending: direction == "SORTBY_DESC",
                nullsFirst: nulls == "SORTBY_NULLS_DEFAULT" ? nil : nulls == "SORTBY_NULLS_FIRST")
        } ?? []
    }

    func literal(_ node: ParseTreeJSON) throws(ParseError) -> Literal {
        if node["isnull"]?.bool ?? false { return .null }
        if let ival = node["ival"] {
            if let value = ival["ival"]?.int { return .integer(Int64(value)) }
            // libpg_query 4.0's JSON writer omits non-positive integers (`"ival": {}`), so read the
            // folded constant back from the statement text at its location.
            return .integer(integerFromSource(at: node["location"]?.int ?? 0))
        }
        if let fval = node["fval"] {
            let text = fval["fval"]?.string ?? "0"
            return .numeric(text)
        }
        if let sval = node["sval"] { return .string(sval["sval"]?.string ?? "") }
        if let boolval = node["boolval"] { return .boolean(boolval["boolval"]?.bool ?? false) }
        if let bsval = node["bsval"] { return .string(bsval["bsval"]?.string ?? "") }
        throw malformed("constant")
    }

    func typeName(_ json: ParseTreeJSON) throws(ParseError) -> TypeName {
        let node = json["TypeName"] ?? json
        let modifiers = (node["typmods"]?.array ?? []).compactMap { item -> Int? in
            guard let (_, constant) = item.node else { return nil }
            return constant["ival"].map { $0["ival"]?.int ?? 0 }
        }
        return TypeName(
            names: node["names"]?.array.compactMap { $0["String"]?["sval"]?.string } ?? [],
            modifiers: modifiers,
            isArray: !(node["arrayBounds"]?.array.isEmpty ?? true),
            location: node["location"]?.int ?? 0)
    }

    /// Reads a possibly negated integer constant (`0`, `-7`, `-(5)`, `- 3`) from the source text.
    func integerFromSource(at location: Int) -> Int64 {
        var position = max(0, location)
        var negative = false
        while position < source.count {
            let byte = source[position]
            if byte == UInt8(ascii: "-") {
                negative.toggle()
            } else if byte != UInt8(ascii: "(") && byte != UInt8(ascii: " ") && byte != 9 && byte != 10 && byte != 13 {
                break
            }
            position += 1
        }
        var magnitude: Int64 = 0
        while position < source.count, source[position] >= 48, source[position] <= 57 {
            magnitude = magnitude &* 10 &+ Int64(source[position] - 48)
            position += 1
        }
        return negative ? -magnitude : magnitude
    }

    // MARK: Errors

    func unsupported(_ feature: String, at location: Int?) -> ParseError {
        ParseError(
            message: "\(feature) is not supported yet",
            position: location.map { SQLParser.characterPosition(ofByteOffset: $0, in: source) },
            sqlState: .featureNotSupported)
    }

    func malformed(_ what: String) -> ParseError {
        ParseError(
            message: "internal error: unexpected parse tree for \(what)", position: nil, sqlState: .internalError)
    }
}

extension ParseTreeConverter {
    /// A SELECT list or a RETURNING list: `*`, `t.*` and expressions with their aliases.
    func targets(_ list: ParseTreeJSON?) throws(ParseError) -> [SelectTarget] {
        var targets: [SelectTarget] = []
        for target in list?.array ?? [] {
            guard let (_, resTarget) = target.node else { throw malformed("target") }
            let location = resTarget["location"]?.int ?? 0
            guard let value = resTarget["val"] else { throw malformed("target value") }
            if let (type, columnRef) = value.node, type == "ColumnRef" {
                let fields = columnRef["fields"]?.array ?? []
                if fields.last?["A_Star"] != nil {
                    let qualifier = fields.dropLast().compactMap { $0["String"]?["sval"]?.string }.last
                    targets.append(.star(qualifier: qualifier, location: location))
                    continue
                }
            }
            targets.append(.expression(try expression(value), alias: resTarget["name"]?.string))
        }
        return targets
    }
}

extension ParseTreeConverter {
    /// The `WITH` queries of a statement node (SELECT, INSERT, UPDATE, DELETE or MERGE).
    func commonTableExpressions(_ node: ParseTreeJSON) throws(ParseError) -> [CommonTableExpression] {
        guard let with = node["withClause"]?["WithClause"] ?? node["withClause"] else { return [] }
        let recursive = with["recursive"]?.bool ?? false
        var ctes: [CommonTableExpression] = []
        for item in with["ctes"]?.array ?? [] {
            guard let cte = item["CommonTableExpr"], let name = cte["ctename"]?.string, let query = cte["ctequery"],
                case .select(let body) = try statement(query)
            else {
                throw unsupported("WITH with a data-modifying statement", at: item["CommonTableExpr"]?["location"]?.int)
            }
            ctes.append(
                CommonTableExpression(
                    name: name,
                    columnNames: cte["aliascolnames"]?.array.compactMap { $0["String"]?["sval"]?.string } ?? [],
                    query: body, isRecursive: recursive))
        }
        return ctes
    }
}
