/// An element of the small XML documents S3 answers with (`ListBucketResult`, `Error`,
/// `InitiateMultipartUploadResult`, ...): its local name, its text and its child elements.
/// Attributes and namespaces are dropped; S3's responses carry nothing in them that Weir reads.
struct S3XMLElement: Sendable, Equatable {
    var name: String
    var text = ""
    var children: [S3XMLElement] = []

    func child(_ name: String) -> S3XMLElement? { children.first { $0.name == name } }
    func children(_ name: String) -> [S3XMLElement] { children.filter { $0.name == name } }
    /// The text of the first child named `name`.
    func value(_ name: String) -> String? { child(name)?.text }
}

/// A parser for that subset of XML: a prolog, comments, CDATA, elements with attributes, text with
/// the five named entities and numeric character references. No DTDs.
enum S3XMLParser {
    struct Failure: Error, Equatable {
        let problem: String
    }

    /// The root element of `bytes`.
    static func parse(_ bytes: [UInt8]) throws(Failure) -> S3XMLElement {
        var cursor = 0
        var stack: [S3XMLElement] = []
        var root: S3XMLElement?
        var text: [UInt8] = []

        func starts(_ literal: String) -> Bool {
            let pattern = Array(literal.utf8)
            return cursor + pattern.count <= bytes.count && Array(bytes[cursor..<cursor + pattern.count]) == pattern
        }
        func skip(past terminator: String) throws(Failure) {
            let pattern = Array(terminator.utf8)
            while cursor + pattern.count <= bytes.count {
                if Array(bytes[cursor..<cursor + pattern.count]) == pattern {
                    cursor += pattern.count
                    return
                }
                cursor += 1
            }
            throw Failure(problem: "unterminated markup, expected \"\(terminator)\"")
        }
        func flushText() throws(Failure) {
            guard !stack.isEmpty else {
                guard text.allSatisfy(isSpace) else { throw Failure(problem: "text outside the root element") }
                text.removeAll()
                return
            }
            stack[stack.count - 1].text += try decodeEntities(text)
            text.removeAll()
        }

        while cursor < bytes.count {
            if bytes[cursor] != UInt8(ascii: "<") {
                text.append(bytes[cursor])
                cursor += 1
                continue
            }
            if starts("<![CDATA[") {
                let start = cursor + 9
                try skip(past: "]]>")
                try flushText()
                guard !stack.isEmpty else { throw Failure(problem: "CDATA outside the root element") }
                stack[stack.count - 1].text += String(decoding: bytes[start..<cursor - 3], as: UTF8.self)
            } else if starts("<!--") {
                try skip(past: "-->")
            } else if starts("<?") {
                try skip(past: "?>")
            } else if starts("<!") {
                throw Failure(problem: "document type declarations are not supported")
            } else if starts("</") {
                try flushText()
                let start = cursor + 2
                try skip(past: ">")
                let name = localName(bytes[start..<cursor - 1])
                guard let element = stack.popLast(), element.name == name else {
                    throw Failure(problem: "unexpected closing tag </\(name)>")
                }
                if stack.isEmpty { root = element } else { stack[stack.count - 1].children.append(element) }
            } else {
                try flushText()
                guard root == nil else { throw Failure(problem: "more than one root element") }
                let start = cursor + 1
                var quote: UInt8?
                cursor += 1
                while cursor < bytes.count {
                    let byte = bytes[cursor]
                    if let open = quote {
                        if byte == open { quote = nil }
                    } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                        quote = byte
                    } else if byte == UInt8(ascii: ">") {
                        break
                    }
                    cursor += 1
                }
                guard cursor < bytes.count else { throw Failure(problem: "unterminated start tag") }
                let selfClosing = bytes[cursor - 1] == UInt8(ascii: "/")
                let tag = bytes[start..<(selfClosing ? cursor - 1 : cursor)]
                let nameEnd = tag.firstIndex(where: isSpace) ?? tag.endIndex
                let element = S3XMLElement(name: localName(tag[tag.startIndex..<nameEnd]))
                cursor += 1
                if element.name.isEmpty { throw Failure(problem: "element without a name") }
                if selfClosing {
                    if stack.isEmpty { root = element } else { stack[stack.count - 1].children.append(element) }
                } else {
                    stack.append(element)
                }
            }
        }
        try flushText()
        guard stack.isEmpty, let root else { throw Failure(problem: "the document ends inside an element") }
        return root
    }

    /// The name without a namespace prefix.
    private static func localName(_ bytes: ArraySlice<UInt8>) -> String {
        let trimmed = bytes.prefix { !isSpace($0) }
        let colon = trimmed.lastIndex(of: UInt8(ascii: ":"))
        return String(decoding: colon.map { trimmed[($0 + 1)...] } ?? trimmed, as: UTF8.self)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func decodeEntities(_ bytes: [UInt8]) throws(Failure) -> String {
        guard bytes.contains(UInt8(ascii: "&")) else { return String(decoding: bytes, as: UTF8.self) }
        var result = ""
        var index = 0
        var literalStart = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "&") else {
                index += 1
                continue
            }
            result += String(decoding: bytes[literalStart..<index], as: UTF8.self)
            guard let semicolon = bytes[index...].firstIndex(of: UInt8(ascii: ";")) else {
                throw Failure(problem: "unterminated entity reference")
            }
            let entity = String(decoding: bytes[(index + 1)..<semicolon], as: UTF8.self)
            switch entity {
            case "amp": result += "&"
            case "lt": result += "<"
            case "gt": result += ">"
            case "quot": result += "\""
            case "apos": result += "'"
            default:
                let scalarValue: UInt32?
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    scalarValue = UInt32(entity.dropFirst(2), radix: 16)
                } else if entity.hasPrefix("#") {
                    scalarValue = UInt32(entity.dropFirst())
                } else {
                    scalarValue = nil
                }
                guard let scalarValue, let scalar = Unicode.Scalar(scalarValue) else {
                    throw Failure(problem: "unknown entity &\(entity);")
                }
                result.unicodeScalars.append(scalar)
            }
            index = semicolon + 1
            literalStart = index
        }
        return result + String(decoding: bytes[literalStart...], as: UTF8.self)
    }

    /// `text` with `&`, `<` and `>` escaped, for the request bodies Weir sends.
    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            default: result.append(character)
            }
        }
        return result
    }
}
