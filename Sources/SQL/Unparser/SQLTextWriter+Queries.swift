extension SQLTextWriter {
    mutating func write(_ select: SelectStatement) throws(UnparseError) {
        if !select.commonTableExpressions.isEmpty {
            append(select.commonTableExpressions.contains(where: \.isRecursive) ? "WITH RECURSIVE " : "WITH ")
            try list(select.commonTableExpressions) { (writer, cte) throws(UnparseError) in
                writer.append(SQLUnparser.quotedIdentifier(cte.name))
                if !cte.columnNames.isEmpty {
                    writer.append("(" + cte.columnNames.map(SQLUnparser.quotedIdentifier).joined(separator: ", ") + ")")
                }
                writer.append(" AS (")
                try writer.write(cte.query)
                writer.append(")")
            }
            append(" ")
        }
        if let operation = select.setOperation {
            append("(")
            try write(operation.left)
            append(") \(operation.kind.rawValue)\(operation.all ? " ALL" : "") (")
            try write(operation.right)
            append(")")
        } else if let rows = select.values, select.targets.isEmpty {
            append("VALUES ")
            try list(rows) { (writer, row) throws(UnparseError) in
                writer.append("(")
                try writer.expressions(row)
                writer.append(")")
            }
        } else {
            try writeSelectBody(select)
        }
        if !select.orderBy.isEmpty {
            append(" ORDER BY ")
            try sortItems(select.orderBy)
        }
        if let limit = select.limit {
            if select.limitWithTies {
                if let offset = select.offset {
                    append(" OFFSET ")
                    try write(offset)
                    append(" ROWS")
                }
                append(" FETCH FIRST ")
                try write(limit)
                append(" ROWS WITH TIES")
                return
            }
            append(" LIMIT ")
            try write(limit)
        }
        if let offset = select.offset {
            append(" OFFSET ")
            try write(offset)
        }
    }

    /// SELECT's list, FROM, WHERE, GROUP BY, HAVING and WINDOW.
    private mutating func writeSelectBody(_ select: SelectStatement) throws(UnparseError) {
        if select.values != nil { throw UnparseError("VALUES with a select list") }
        append("SELECT ")
        if !select.distinctOn.isEmpty {
            append("DISTINCT ON (")
            try expressions(select.distinctOn)
            append(") ")
        } else if select.distinct {
            append("DISTINCT ")
        }
        try list(select.targets) { (writer, target) throws(UnparseError) in
            switch target {
            case .expression(let expression, let alias):
                try writer.write(expression)
                if let alias { writer.append(" AS " + SQLUnparser.quotedIdentifier(alias)) }
            case .star(let qualifier, _):
                writer.append(qualifier.map { SQLUnparser.quotedIdentifier($0) + ".*" } ?? "*")
            }
        }
        if !select.from.isEmpty {
            append(" FROM ")
            try list(select.from) { (writer, item) throws(UnparseError) in try writer.write(item) }
        }
        if let condition = select.whereClause {
            append(" WHERE ")
            try write(condition)
        }
        if !select.groupBy.isEmpty {
            append(select.groupByDistinct ? " GROUP BY DISTINCT " : " GROUP BY ")
            try expressions(select.groupBy)
        }
        if let having = select.having {
            append(" HAVING ")
            try write(having)
        }
        if !select.windows.isEmpty {
            append(" WINDOW ")
            try list(select.windows) { (writer, window) throws(UnparseError) in
                guard let name = window.name else { throw UnparseError("a WINDOW definition without a name") }
                var definition = window
                definition.name = nil
                writer.append(SQLUnparser.quotedIdentifier(name) + " AS (")
                try writer.write(definition)
                writer.append(")")
            }
        }
    }

    mutating func write(_ item: TableReference) throws(UnparseError) {
        switch item {
        case .table(let name, let alias, _):
            append(SQLUnparser.quotedName(name))
            write(alias)
        case .function(let name, let arguments, let alias, _):
            append(SQLUnparser.quotedName(name) + "(")
            try expressions(arguments)
            append(")")
            write(alias)
        case .subquery(let select, let alias, let lateral):
            append(lateral ? "LATERAL (" : "(")
            try write(select)
            append(")")
            write(alias)
        case .join(let kind, let left, let right, let condition, let using, let natural):
            append("(")
            try write(left)
            switch (kind, natural) {
            case (.cross, _): append(" CROSS JOIN ")
            case (_, true): append(" NATURAL \(kind.rawValue.uppercased()) JOIN ")
            default: append(" \(kind.rawValue.uppercased()) JOIN ")
            }
            try write(right)
            if !using.isEmpty {
                append(" USING (" + using.map(SQLUnparser.quotedIdentifier).joined(separator: ", ") + ")")
            } else if let condition {
                append(" ON ")
                try write(condition)
            } else if kind != .cross, !natural {
                append(" ON TRUE")
            }
            append(")")
        }
    }

    private mutating func write(_ alias: TableAlias?) {
        guard let alias else { return }
        append(" AS " + SQLUnparser.quotedIdentifier(alias.name))
        if !alias.columnNames.isEmpty {
            append("(" + alias.columnNames.map(SQLUnparser.quotedIdentifier).joined(separator: ", ") + ")")
        }
    }
}
