/// `CREATE VIEW`: the parsed query, and its text as written, found by scanning past the view's
/// name, column list and options to the `AS` that starts it.
extension ParseTreeConverter {
    func createView(_ node: ParseTreeJSON) throws(ParseError) -> Statement {
        guard let view = node["view"], let queryNode = node["query"], case .select(let query) = try statement(queryNode)
        else {
            throw malformed("CREATE VIEW")
        }
        guard case .table(let name, _, let location) = try rangeVar(view) else { throw malformed("CREATE VIEW") }
        if view["relpersistence"]?.string == "t" { throw unsupported("CREATE TEMPORARY VIEW", at: location) }
        if let check = node["withCheckOption"]?.string, check != "NO_CHECK_OPTION" {
            throw unsupported("WITH CHECK OPTION (Weir's views are read-only)", at: location)
        }
        let head = String(decoding: source[statementRange.lowerBound..<min(location, source.count)], as: UTF8.self)
        if head.lowercased().contains("recursive") { throw unsupported("CREATE RECURSIVE VIEW", at: location) }
        guard let start = queryStart(afterViewNameAt: location) else { throw malformed("CREATE VIEW text") }
        var text = String(decoding: source[start..<statementRange.upperBound], as: UTF8.self)
        text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        while text.hasSuffix(";") { text = String(text.dropLast()).trimmingCharacters(in: .whitespacesAndNewlines) }
        let columnNames = node["aliases"]?.array.compactMap { $0["String"]?["sval"]?.string } ?? []
        return .createView(
            CreateView(
                name: name, columnNames: columnNames, query: query, queryText: text,
                replace: node["replace"]?.bool ?? false))
    }

    /// The offset just after `AS` in `name [(columns)] [WITH (options)] AS query`, scanning from
    /// the name's first byte.
    private func queryStart(afterViewNameAt location: Int) -> Int? {
        var index = location
        let end = statementRange.upperBound
        func skipSpaceAndComments() {
            while index < end {
                if source[index] == 0x20 || (0x09...0x0D).contains(source[index]) {
                    index += 1
                } else if source[index] == UInt8(ascii: "-"), index + 1 < end, source[index + 1] == UInt8(ascii: "-") {
                    while index < end, source[index] != 0x0A { index += 1 }
                } else if source[index] == UInt8(ascii: "/"), index + 1 < end, source[index + 1] == UInt8(ascii: "*") {
                    index += 2
                    while index + 1 < end,
                        !(source[index] == UInt8(ascii: "*") && source[index + 1] == UInt8(ascii: "/"))
                    { index += 1 }
                    index = min(end, index + 2)
                } else {
                    return
                }
            }
        }
        func skipQuoted(_ quote: UInt8) {
            index += 1
            while index < end {
                if source[index] == quote {
                    if index + 1 < end, source[index + 1] == quote { index += 2; continue }
                    index += 1
                    return
                }
                index += 1
            }
        }
        func skipParenthesized() {
            var depth = 0
            while index < end {
                switch source[index] {
                case UInt8(ascii: "("): depth += 1; index += 1
                case UInt8(ascii: ")"):
                    depth -= 1
                    index += 1
                    if depth == 0 { return }
                case UInt8(ascii: "'"), UInt8(ascii: "\""): skipQuoted(source[index])
                default: index += 1
                }
            }
        }
        func isWordByte(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$") || byte >= 0x80
        }
        func keyword(_ word: String) -> Bool {
            let bytes = Array(word.utf8)
            guard index + bytes.count <= end else { return false }
            for (offset, byte) in bytes.enumerated() where source[index + offset] | 0x20 != byte { return false }
            return index + bytes.count == end || !isWordByte(source[index + bytes.count])
        }
        // The (possibly qualified, possibly quoted) name.
        while index < end {
            skipSpaceAndComments()
            if index < end, source[index] == UInt8(ascii: "\"") {
                skipQuoted(UInt8(ascii: "\""))
            } else {
                while index < end, isWordByte(source[index]) { index += 1 }
            }
            skipSpaceAndComments()
            guard index < end, source[index] == UInt8(ascii: ".") else { break }
            index += 1
        }
        if index < end, source[index] == UInt8(ascii: "(") { skipParenthesized() }
        skipSpaceAndComments()
        if keyword("with") {
            index += 4
            skipSpaceAndComments()
            if index < end, source[index] == UInt8(ascii: "(") { skipParenthesized() }
            skipSpaceAndComments()
        }
        guard keyword("as") else { return nil }
        return index + 2
    }
}
