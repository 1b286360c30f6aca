#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A compiled LIKE pattern that matches UTF-8 bytes directly.
///
/// `%` and `_` wildcards with `\` as the escape character (`like_escape` rewrites other escapes
/// first). Common shapes (`abc`, `abc%`, `%abc`, `%abc%`) take byte-comparison fast paths.
public struct LikePattern: Sendable {
    enum Token: Sendable, Equatable {
        case literal([UInt8])
        /// `_`: exactly one character.
        case one
        /// `%`: any run of characters.
        case any
        /// A pattern-final `\`: an error once matching reaches it with text left, as in PostgreSQL.
        case danglingEscape
    }

    enum Shape: Sendable {
        case exact([UInt8]), prefix([UInt8]), suffix([UInt8]), contains([UInt8]), everything, general
        /// `%a%b%...%`: each literal found after the one before.
        case containsInOrder([[UInt8]])
    }

    let tokens: [Token]
    let shape: Shape
    public let caseInsensitive: Bool

    /// Compiles `pattern`; a trailing escape character fails only when a match reaches it.
    public init(_ pattern: some Collection<UInt8>, caseInsensitive: Bool = false) throws(EngineError) {
        let source = caseInsensitive ? Self.lowercased(Array(pattern)) : Array(pattern)
        var tokens: [Token] = []
        var literal: [UInt8] = []
        var index = 0
        func flush() {
            if !literal.isEmpty { tokens.append(.literal(literal)); literal = [] }
        }
        while index < source.count {
            let byte = source[index]
            switch byte {
            case UInt8(ascii: "\\"):
                index += 1
                guard index < source.count else {
                    flush()
                    tokens.append(.danglingEscape)
                    break
                }
                literal.append(source[index])
            case UInt8(ascii: "%"):
                flush()
                if tokens.last != .any { tokens.append(.any) }
            case UInt8(ascii: "_"):
                flush()
                tokens.append(.one)
            default:
                literal.append(byte)
            }
            index += 1
        }
        flush()
        self.tokens = tokens
        self.caseInsensitive = caseInsensitive
        shape = Self.shape(of: tokens)
    }

    static func shape(of tokens: [Token]) -> Shape {
        func literal(_ token: Token) -> [UInt8]? { if case .literal(let bytes) = token { bytes } else { nil } }
        switch tokens.count {
        case 0: return .exact([])
        case 1:
            if tokens[0] == .any { return .everything }
            return literal(tokens[0]).map { .exact($0) } ?? .general
        case 2:
            if tokens[1] == .any, let l = literal(tokens[0]) { return .prefix(l) }
            if tokens[0] == .any, let l = literal(tokens[1]) { return .suffix(l) }
            return .general
        case 3:
            if tokens[0] == .any, tokens[2] == .any, let l = literal(tokens[1]) { return .contains(l) }
            return .general
        default:
            // `%a%b%`: literals between `%`s only, first and last tokens `%`.
            guard tokens.first == .any, tokens.last == .any else { return .general }
            var literals: [[UInt8]] = []
            for (index, token) in tokens.enumerated() {
                if index % 2 == 0 {
                    guard token == .any else { return .general }
                } else {
                    guard let l = literal(token) else { return .general }
                    literals.append(l)
                }
            }
            return .containsInOrder(literals)
        }
    }

    /// True when `text` matches the whole pattern.
    public func matches(_ text: UnsafeBufferPointer<UInt8>) throws(EngineError) -> Bool {
        switch shape {
        case .exact(let l): return text.count == l.count && Self.hasPrefix(text, l, at: 0)
        case .prefix(let l): return Self.hasPrefix(text, l, at: 0)
        case .suffix(let l): return text.count >= l.count && Self.hasPrefix(text, l, at: text.count - l.count)
        case .contains(let l): return Self.contains(text, l)
        case .containsInOrder(let literals):
            var offset = 0
            for l in literals {
                guard let end = Self.find(text, l, from: offset) else { return false }
                offset = end
            }
            return true
        case .everything: return true
        case .general: return try matchGeneral(text)
        }
    }

    /// Backtracks only to the most recent `%`, which is enough because everything between two
    /// `%` has a fixed number of characters.
    private func matchGeneral(_ text: UnsafeBufferPointer<UInt8>) throws(EngineError) -> Bool {
        var token = 0
        var position = 0
        var starToken = -1
        var starPosition = 0
        while true {
            if token < tokens.count {
                switch tokens[token] {
                case .any:
                    starToken = token
                    starPosition = position
                    token += 1
                    continue
                case .one:
                    if position < text.count {
                        position += UTF8Scan.characterLength(text[position])
                        token += 1
                        continue
                    }
                case .danglingEscape:
                    if position < text.count {
                        throw EngineError(.invalidEscapeSequence, "LIKE pattern must not end with escape character")
                    }
                case .literal(let l):
                    if Self.hasPrefix(text, l, at: position) {
                        position += l.count
                        token += 1
                        continue
                    }
                }
            } else if position >= text.count {
                return true
            }
            guard starToken >= 0, starPosition < text.count else { return false }
            starPosition += UTF8Scan.characterLength(text[starPosition])
            position = starPosition
            token = starToken + 1
        }
    }

    @inline(__always)
    static func hasPrefix(_ text: UnsafeBufferPointer<UInt8>, _ literal: [UInt8], at offset: Int) -> Bool {
        guard text.count - offset >= literal.count else { return false }
        if literal.isEmpty { return true }
        return literal.withUnsafeBufferPointer { l in memcmp(text.baseAddress! + offset, l.baseAddress!, l.count) == 0 }
    }

    static func contains(_ text: UnsafeBufferPointer<UInt8>, _ literal: [UInt8]) -> Bool {
        find(text, literal, from: 0) != nil
    }

    /// Where the first occurrence of `literal` at or after `start` ends, or nil.
    static func find(_ text: UnsafeBufferPointer<UInt8>, _ literal: [UInt8], from start: Int) -> Int? {
        if literal.isEmpty { return start }
        guard text.count - start >= literal.count, let base = text.baseAddress else { return nil }
        let first = Int32(literal[0])
        return literal.withUnsafeBufferPointer { l -> Int? in
            var offset = start
            while offset + l.count <= text.count {
                guard let hit = memchr(base + offset, first, text.count - offset - l.count + 1) else { return nil }
                let position = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if memcmp(base + position, l.baseAddress!, l.count) == 0 { return position + l.count }
                offset = position + 1
            }
            return nil
        }
    }

    /// ASCII bytes lowered in place; other characters through Unicode lowercasing.
    static func lowercased(_ bytes: [UInt8]) -> [UInt8] {
        if bytes.allSatisfy({ $0 < 0x80 }) {
            return bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }
        }
        return Array(String(decoding: bytes, as: UTF8.self).lowercased().utf8)
    }

    /// `like_escape(pattern, escape)`: rewrites a pattern using `escape` into the `\` form.
    /// An empty escape turns escaping off.
    public static func normalizingEscape(_ pattern: [UInt8], escape: [UInt8]) throws(EngineError) -> [UInt8] {
        let backslash = UInt8(ascii: "\\")
        if escape.isEmpty { return pattern.flatMap { $0 == backslash ? [backslash, backslash] : [$0] } }
        guard UTF8Scan.count(escape) == 1 else {
            throw EngineError(
                .invalidEscapeSequence, "invalid escape string", hint: "Escape string must be empty or one character.")
        }
        if escape == [backslash] { return pattern }
        var result: [UInt8] = []
        var index = 0
        while index < pattern.count {
            if pattern[index...].starts(with: escape) {
                index += escape.count
                guard index < pattern.count else {
                    // A trailing escape stays a trailing escape: an error only if matching reaches it.
                    result.append(backslash)
                    break
                }
                let length = UTF8Scan.characterLength(pattern[index])
                result.append(backslash)
                result.append(contentsOf: pattern[index..<min(pattern.count, index + length)])
                index += length
            } else if pattern[index] == backslash {
                result.append(contentsOf: [backslash, backslash])
                index += 1
            } else {
                result.append(pattern[index])
                index += 1
            }
        }
        return result
    }
}
