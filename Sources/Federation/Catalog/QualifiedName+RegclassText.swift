import Foundation
import SQL

extension QualifiedName {
    /// The name in a `regclass` literal: dot-separated parts, lowercased unless double-quoted;
    /// nil when it is not a valid name.
    public init?(regclassText text: String) {
        var parts: [String] = []
        var current = ""
        var quoted = false
        var wasQuoted = false
        var characters = Array(text.trimmingCharacters(in: .whitespaces))[...]
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" {
                        current.append("\"")
                        characters.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                quoted = true
                wasQuoted = true
            } else if character == "." {
                guard !current.isEmpty else { return nil }
                parts.append(current)
                current = ""
            } else {
                current += character.lowercased()
            }
        }
        guard !quoted, !current.isEmpty || wasQuoted, parts.count < 3 else { return nil }
        parts.append(current)
        self.init(parts)
    }
}
