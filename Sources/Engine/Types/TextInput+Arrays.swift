extension TextInput {
    /// PostgreSQL's array input: `{1,2,NULL}`, `{"a b","c\"d",e}`; one dimension, elements parsed
    /// as `element` (an unquoted NULL is NULL; quoting and backslashes protect other text).
    static func parseArray(_ text: String, element: DataType, timeZone: SessionTimeZone) throws(EngineError) -> Value {
        func malformed(_ detail: String) -> EngineError {
            EngineError(.invalidTextRepresentation, "malformed array literal: \"\(text)\"", detail: detail)
        }
        let characters = Array(text.unicodeScalars)
        var position = 0
        func skipSpace() {
            while position < characters.count, characters[position].properties.isWhitespace { position += 1 }
        }
        skipSpace()
        if position < characters.count, characters[position] == "[" {
            throw EngineError(.featureNotSupported, "array literals with explicit bounds are not supported yet")
        }
        guard position < characters.count, characters[position] == "{" else {
            throw malformed("Array value must start with \"{\" or dimension information.")
        }
        position += 1
        var elements: [Value] = []
        skipSpace()
        if position < characters.count, characters[position] == "}" {
            position += 1
        } else {
            while true {
                skipSpace()
                guard position < characters.count else { throw malformed("Unexpected end of input.") }
                if characters[position] == "{" {
                    throw EngineError(.featureNotSupported, "multidimensional arrays are not supported yet")
                }
                var item = String.UnicodeScalarView()
                var quoted = false
                if characters[position] == "\"" {
                    quoted = true
                    position += 1
                    while true {
                        guard position < characters.count else { throw malformed("Unexpected end of input.") }
                        let character = characters[position]
                        position += 1
                        if character == "\"" { break }
                        if character == "\\" {
                            guard position < characters.count else { throw malformed("Unexpected end of input.") }
                            item.append(characters[position])
                            position += 1
                        } else {
                            item.append(character)
                        }
                    }
                    skipSpace()
                } else {
                    var trailingSpace = 0
                    while position < characters.count, characters[position] != ",", characters[position] != "}" {
                        let character = characters[position]
                        if character == "\"" || character == "{" {
                            throw malformed("Unexpected \"\(character)\" character.")
                        }
                        if character == "\\" {
                            position += 1
                            guard position < characters.count else { throw malformed("Unexpected end of input.") }
                            item.append(characters[position])
                            trailingSpace = 0
                        } else {
                            item.append(character)
                            trailingSpace = character.properties.isWhitespace ? trailingSpace + 1 : 0
                        }
                        position += 1
                    }
                    item.removeLast(trailingSpace)
                    if item.isEmpty { throw malformed("Unexpected \",\" character.") }
                }
                let itemText = String(item)
                if !quoted, itemText.lowercased() == "null" {
                    elements.append(.null)
                } else {
                    elements.append(try parse(itemText, as: element, timeZone: timeZone))
                }
                guard position < characters.count else { throw malformed("Unexpected end of input.") }
                let separator = characters[position]
                position += 1
                if separator == "}" { break }
                guard separator == "," else { throw malformed("Expected \",\" or \"}\".") }
            }
        }
        skipSpace()
        guard position == characters.count else { throw malformed("Junk after closing right brace.") }
        return .array(elements)
    }
}
