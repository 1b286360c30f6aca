/// Accumulates the text `SQLUnparser` writes.
struct SQLTextWriter {
    var text = ""

    mutating func append(_ piece: String) { text += piece }

    /// `items` written by `each`, separated by `separator`.
    mutating func list<Item>(
        _ items: [Item], separator: String = ", ", _ each: (inout SQLTextWriter, Item) throws(UnparseError) -> Void
    ) throws(UnparseError) {
        for (index, item) in items.enumerated() {
            if index > 0 { append(separator) }
            try each(&self, item)
        }
    }

    mutating func expressions(_ items: [Expression]) throws(UnparseError) {
        try list(items) { (writer, item) throws(UnparseError) in try writer.write(item) }
    }

    mutating func write(_ expression: Expression) throws(UnparseError) {
        switch expression {
        case .literal(let literal, _):
            write(literal)
        case .column(let parts, _):
            append(SQLUnparser.quotedName(QualifiedName(parts)))
        case .parameter(let number, _):
            append("$\(number)")
        case .binary(let op, let lhs, let rhs, _):
            append("(")
            try write(lhs)
            append(" \(op) ")
            try write(rhs)
            append(")")
        case .unary(let op, let operand, _):
            append("(\(op) ")
            try write(operand)
            append(")")
        case .and(let operands), .or(let operands):
            guard !operands.isEmpty else { throw UnparseError("an empty AND or OR") }
            let keyword: String
            if case .and = expression { keyword = " AND " } else { keyword = " OR " }
            append("(")
            try list(operands, separator: keyword) { (writer, operand) throws(UnparseError) in try writer.write(operand)
            }
            append(")")
        case .not(let operand):
            append("(NOT ")
            try write(operand)
            append(")")
        case .isNull(let operand, let negated):
            append("(")
            try write(operand)
            append(negated ? " IS NOT NULL)" : " IS NULL)")
        case .function(let call):
            try write(call)
        case .cast(let operand, let type, _):
            append("CAST(")
            try write(operand)
            append(" AS ")
            write(type)
            append(")")
        case .caseWhen(let operand, let branches, let otherwise, _):
            append("CASE")
            if let operand {
                append(" ")
                try write(operand)
            }
            for branch in branches {
                append(" WHEN ")
                try write(branch.condition)
                append(" THEN ")
                try write(branch.result)
            }
            if let otherwise {
                append(" ELSE ")
                try write(otherwise)
            }
            append(" END")
        case .specialFunction(let function, _):
            append(Self.keyword(function))
        case .inList(let operand, let items, let negated, _):
            append("(")
            try write(operand)
            append(negated ? " NOT IN (" : " IN (")
            try expressions(items)
            append("))")
        case .between(let operand, let low, let high, let negated, _):
            append("(")
            try write(operand)
            append(negated ? " NOT BETWEEN " : " BETWEEN ")
            try write(low)
            append(" AND ")
            try write(high)
            append(")")
        case .coalesce(let items, _): try call("COALESCE", items)
        case .greatest(let items, _): try call("GREATEST", items)
        case .least(let items, _): try call("LEAST", items)
        case .nullIf(let lhs, let rhs, _): try call("NULLIF", [lhs, rhs])
        case .distinctFrom(let lhs, let rhs, let negated, _):
            append("(")
            try write(lhs)
            append(negated ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ")
            try write(rhs)
            append(")")
        case .booleanTest(let operand, let test, _):
            append("(")
            try write(operand)
            append(" " + Self.keywords(test) + ")")
        case .subquery(let subquery):
            try write(subquery)
        case .arrayConstructor(let items, _):
            append("ARRAY[")
            try expressions(items)
            append("]")
        case .arrayElement(let array, let index, _):
            append("(")
            try write(array)
            append(")[")
            try write(index)
            append("]")
        case .fieldSelection(let record, let field, _):
            append("(")
            try write(record)
            append(").\(SQLUnparser.quotedIdentifier(field))")
        case .row(let items, _):
            try call("ROW", items)
        case .quantified(let op, let lhs, let rhs, let all, _):
            append("(")
            try write(lhs)
            append(" \(op) \(all ? "ALL" : "ANY") (")
            try write(rhs)
            append("))")
        case .groupingSet(let kind, let items, _):
            switch kind {
            case .empty: append("()")
            case .rollup: try call("ROLLUP", items)
            case .cube: try call("CUBE", items)
            case .sets: try call("GROUPING SETS", items)
            }
        case .grouping(let items, _):
            try call("GROUPING", items)
        case .unsupported(let feature, _):
            throw UnparseError(feature)
        }
    }

    /// `NAME(items)` for the keyword-named forms.
    private mutating func call(_ name: String, _ items: [Expression]) throws(UnparseError) {
        append(name + "(")
        try expressions(items)
        append(")")
    }

    mutating func write(_ literal: Literal) {
        switch literal {
        case .integer(let value): append(value < 0 ? "(\(value))" : String(value))
        case .numeric(let text): append(text.hasPrefix("-") ? "(\(text))" : text)
        case .string(let text): append(SQLUnparser.quotedLiteral(text))
        case .boolean(let value): append(value ? "TRUE" : "FALSE")
        case .null: append("NULL")
        }
    }

    mutating func write(_ type: TypeName) {
        append(SQLUnparser.quotedName(QualifiedName(type.names)))
        if !type.modifiers.isEmpty { append("(" + type.modifiers.map(String.init).joined(separator: ", ") + ")") }
        if type.isArray { append("[]") }
    }

    mutating func write(_ call: FunctionCall) throws(UnparseError) {
        append(SQLUnparser.quotedName(call.name) + "(")
        if call.star {
            append("*")
        } else {
            if call.distinct { append("DISTINCT ") }
            try expressions(call.arguments)
            if !call.orderBy.isEmpty, !call.withinGroup {
                append(" ORDER BY ")
                try sortItems(call.orderBy)
            }
        }
        append(")")
        if call.withinGroup {
            append(" WITHIN GROUP (ORDER BY ")
            try sortItems(call.orderBy)
            append(")")
        }
        if let filter = call.filter {
            append(" FILTER (WHERE ")
            try write(filter)
            append(")")
        }
        if let window = call.over {
            append(" OVER ")
            if window.isReference, let name = window.name {
                append(SQLUnparser.quotedIdentifier(name))
            } else {
                append("(")
                try write(window)
                append(")")
            }
        }
    }

    mutating func sortItems(_ items: [SortItem]) throws(UnparseError) {
        try list(items) { (writer, item) throws(UnparseError) in
            try writer.write(item.expression)
            if item.descending { writer.append(" DESC") }
            if let nullsFirst = item.nullsFirst { writer.append(nullsFirst ? " NULLS FIRST" : " NULLS LAST") }
        }
    }

    /// The inside of a window's parentheses: base window, PARTITION BY, ORDER BY, frame.
    mutating func write(_ window: WindowSpecification) throws(UnparseError) {
        var parts: [String] = []
        if let base = window.baseName { parts.append(SQLUnparser.quotedIdentifier(base)) }
        if !window.partitionBy.isEmpty {
            var writer = SQLTextWriter()
            try writer.expressions(window.partitionBy)
            parts.append("PARTITION BY " + writer.text)
        }
        if !window.orderBy.isEmpty {
            var writer = SQLTextWriter()
            try writer.sortItems(window.orderBy)
            parts.append("ORDER BY " + writer.text)
        }
        if let frame = window.frame {
            var writer = SQLTextWriter()
            writer.append(frame.mode.rawValue + " BETWEEN ")
            try writer.write(frame.start)
            writer.append(" AND ")
            try writer.write(frame.end)
            if frame.exclusion != .noOthers { writer.append(" EXCLUDE " + frame.exclusion.rawValue) }
            parts.append(writer.text)
        }
        append(parts.joined(separator: " "))
    }

    mutating func write(_ bound: WindowFrameClause.Bound) throws(UnparseError) {
        switch bound {
        case .unboundedPreceding: append("UNBOUNDED PRECEDING")
        case .preceding(let offset):
            try write(offset)
            append(" PRECEDING")
        case .currentRow: append("CURRENT ROW")
        case .following(let offset):
            try write(offset)
            append(" FOLLOWING")
        case .unboundedFollowing: append("UNBOUNDED FOLLOWING")
        }
    }

    mutating func write(_ subquery: Subquery) throws(UnparseError) {
        switch subquery.kind {
        case .exists: append("EXISTS (")
        case .scalar: append("(")
        case .array: append("ARRAY(")
        case .any(let op, let lhs), .all(let op, let lhs):
            append("(")
            try write(lhs)
            if case .any = subquery.kind { append(" \(op) ANY (") } else { append(" \(op) ALL (") }
        }
        try write(subquery.select)
        switch subquery.kind {
        case .any, .all: append("))")
        default: append(")")
        }
    }

    static func keyword(_ function: SpecialFunction) -> String {
        switch function {
        case .currentDate: "CURRENT_DATE"
        case .currentTime: "CURRENT_TIME"
        case .currentTimestamp: "CURRENT_TIMESTAMP"
        case .localTime: "LOCALTIME"
        case .localTimestamp: "LOCALTIMESTAMP"
        case .currentRole: "CURRENT_ROLE"
        case .currentUser: "CURRENT_USER"
        case .sessionUser: "SESSION_USER"
        case .user: "USER"
        case .currentCatalog: "CURRENT_CATALOG"
        case .currentSchema: "CURRENT_SCHEMA"
        }
    }

    static func keywords(_ test: BooleanTest) -> String {
        switch test {
        case .isTrue: "IS TRUE"
        case .isNotTrue: "IS NOT TRUE"
        case .isFalse: "IS FALSE"
        case .isNotFalse: "IS NOT FALSE"
        case .isUnknown: "IS UNKNOWN"
        case .isNotUnknown: "IS NOT UNKNOWN"
        }
    }
}
