/// Character-based slicing and editing of text: substring, position, trim, pad, replace and friends.
/// Arguments arrive as text and int4 columns; positions count characters, not bytes.
public enum StringEditingFunctions {
    /// `substring(text, start [, count])` / `substr`: 1-based, start may be below 1.
    public static let substring = ScalarFunction(name: "substring", resultType: .text, isStrict: true) {
        arguments, rowCount, _ throws(EngineError) in
        let text = arguments[0].byteBuffers
        let starts = arguments[1].int32Values
        let counts = arguments.count > 2 ? arguments[2].int32Values : nil
        return try RowwiseKernels.text(arguments, rowCount: rowCount) { row, out throws(EngineError) in
            let start = Int(starts[row])
            var end = Int.max
            if let counts {
                guard counts[row] >= 0 else {
                    throw EngineError(.substringError, "negative substring length not allowed")
                }
                end = start + Int(counts[row])
            }
            let first = max(start, 1) - 1
            let value = Column.slice(text, row)
            if end - 1 > first { out.append(contentsOf: value[value.characterRange(from: first, to: end - 1)]) }
            return true
        }
    }

    /// `position(needle in text)` / `strpos(text, needle)`: 1-based character position, 0 when absent.
    public static let strpos = ScalarFunction(name: "strpos", resultType: .int32, isStrict: true) {
        arguments, rowCount, _ throws(EngineError) in
        let text = arguments[0].byteBuffers
        let needles = arguments[1].byteBuffers
        return try RowwiseKernels.int32(arguments, rowCount: rowCount) { row throws(EngineError) in
            let haystack = Column.slice(text, row)
            guard let found = haystack.firstRange(of: Column.slice(needles, row)) else { return 0 }
            return Int32(UTF8Scan.count(haystack[haystack.startIndex..<found.lowerBound]) + 1)
        }
    }

    /// `btrim`/`ltrim`/`rtrim(text [, characters])`; the default set is a single space.
    public static func trim(leading: Bool, trailing: Bool) -> ScalarFunction {
        ScalarFunction(
            name: leading && trailing ? "btrim" : leading ? "ltrim" : "rtrim", resultType: .text, isStrict: true
        ) { arguments, rowCount, _ throws(EngineError) in
            let text = arguments[0].byteBuffers
            let sets = arguments.count > 1 ? arguments[1].byteBuffers : nil
            return try RowwiseKernels.text(arguments, rowCount: rowCount) { row, out throws(EngineError) in
                let value = Column.slice(text, row)
                let set = sets.map { Column.slice($0, row).characters } ?? [[UInt8(ascii: " ")][...]]
                var characters = value.characters[...]
                if leading { while let first = characters.first, set.contains(first) { characters.removeFirst() } }
                if trailing { while let last = characters.last, set.contains(last) { characters.removeLast() } }
                for character in characters { out.append(contentsOf: character) }
                return true
            }
        }
    }

    /// `lpad`/`rpad(text, length [, fill])`: truncates to `length` characters or pads with `fill` (default space).
    public static func pad(left: Bool) -> ScalarFunction {
        ScalarFunction(name: left ? "lpad" : "rpad", resultType: .text, isStrict: true) {
            arguments, rowCount, _ throws(EngineError) in
            let text = arguments[0].byteBuffers
            let lengths = arguments[1].int32Values
            let fills = arguments.count > 2 ? arguments[2].byteBuffers : nil
            return try RowwiseKernels.text(arguments, rowCount: rowCount) { row, out throws(EngineError) in
                let value = Column.slice(text, row)
                let target = max(0, Int(lengths[row]))
                let characters = value.characters
                if characters.count >= target {
                    for character in characters.prefix(target) { out.append(contentsOf: character) }
                    return true
                }
                let fill = fills.map { Column.slice($0, row).characters } ?? [[UInt8(ascii: " ")][...]]
                let padding = fill.isEmpty ? [] : (0..<(target - characters.count)).map { fill[$0 % fill.count] }
                if !left { out.append(contentsOf: value) }
                for character in padding { out.append(contentsOf: character) }
                if left { out.append(contentsOf: value) }
                return true
            }
        }
    }

    /// `left(text, n)` / `right(text, n)`: negative `n` drops characters from the other end.
    public static func side(left: Bool) -> ScalarFunction {
        ScalarFunction(name: left ? "left" : "right", resultType: .text, isStrict: true) {
            arguments, rowCount, _ throws(EngineError) in
            let text = arguments[0].byteBuffers
            let counts = arguments[1].int32Values
            return try RowwiseKernels.text(arguments, rowCount: rowCount) { row, out throws(EngineError) in
                let value = Column.slice(text, row)
                let total = UTF8Scan.count(value)
                let n = Int(counts[row])
                let keep = n >= 0 ? min(n, total) : max(0, total + n)
                let range =
                    left ? value.characterRange(from: 0, to: keep) : value.characterRange(from: total - keep, to: total)
                out.append(contentsOf: value[range])
                return true
            }
        }
    }

    /// `replace(text, from, to)`: every occurrence; an empty `from` leaves the text unchanged.
    public static let replace = ScalarFunction(name: "replace", resultType: .text, isStrict: true) {
        arguments, rowCount, _ throws(EngineError) in
        let text = arguments[0].byteBuffers
        let froms = arguments[1].byteBuffers
        let tos = arguments[2].byteBuffers
        return try RowwiseKernels.text(arguments, rowCount: rowCount) { row, out throws(EngineError) in
            let value = Column.slice(text, row)
            let from = Column.slice(froms, row)
            guard !from.isEmpty else { out.append(contentsOf: value); return true }
            for (index, field) in value.fields(separatedBy: from).enumerated() {
                if index > 0 { out.append(contentsOf: Column.slice(tos, row)) }
                out.append(contentsOf: field)
            }
            return true
        }
    }

    /// `translate(text, from, to)`: each character of `from` becomes the character at the same
    /// place in `to`, or is removed when `to` is shorter.
    public static let translate = ScalarFunction(name: "translate", resultType: .text, isStrict: true) {
        arguments, rowCount, _ throws(EngineError) in
        let text = arguments[0].byteBuffers
        let froms = arguments[1].byteBuffers
        let tos = arguments[2].byteBuffers
        return try RowwiseKernels.text(arguments, rowCount: rowCount) { row, out throws(EngineError) in
            let from = Array(String(decoding: Column.slice(froms, row), as: UTF8.self).unicodeScalars)
            let to = Array(String(decoding: Column.slice(tos, row), as: UTF8.self).unicodeScalars)
            var replacement: [Unicode.Scalar: Unicode.Scalar?] = [:]
            for (index, scalar) in from.enumerated() where replacement[scalar] == nil {
                replacement[scalar] = index < to.count ? to[index] : Optional<Unicode.Scalar>.none
            }
            for scalar in String(decoding: Column.slice(text, row), as: UTF8.self).unicodeScalars {
                let mapped = replacement[scalar] ?? scalar
                if let mapped { out.append(contentsOf: String(mapped).utf8) }
            }
            return true
        }
    }

    /// `overlay(text placing replacement from start [for count])`: characters `start ..< start + count`
    /// (count defaults to the replacement's length) replaced; arguments `[text, replacement, start, count?]`.
    public static let overlay = ScalarFunction(name: "overlay", resultType: .text, isStrict: true) {
        arguments, rowCount, _ throws(EngineError) in
        let text = arguments[0].byteBuffers
        let replacements = arguments[1].byteBuffers
        let starts = arguments[2].int32Values
        let counts = arguments.count > 3 ? arguments[3].int32Values : nil
        return try RowwiseKernels.text(arguments, rowCount: rowCount) { row, out throws(EngineError) in
            let characters = Array(String(decoding: Column.slice(text, row), as: UTF8.self))
            let replacement = Column.slice(replacements, row)
            let start = Int(starts[row])
            let count = counts.map { Int($0[row]) } ?? String(decoding: replacement, as: UTF8.self).count
            guard start >= 1 else { throw EngineError(.substringError, "negative substring length not allowed") }
            guard count >= 0 else { throw EngineError(.substringError, "negative substring length not allowed") }
            let head = min(start - 1, characters.count)
            let tail = min(characters.count, head + count)
            out.append(contentsOf: String(characters[..<head]).utf8)
            out.append(contentsOf: replacement)
            out.append(contentsOf: String(characters[tail...]).utf8)
            return true
        }
    }

    /// `repeat(text, n)`; n below 1 gives the empty string.
    public static let repeatText = ScalarFunction(name: "repeat", resultType: .text, isStrict: true) {
        arguments, rowCount, _ throws(EngineError) in
        let text = arguments[0].byteBuffers
        let counts = arguments[1].int32Values
        return try RowwiseKernels.text(arguments, rowCount: rowCount) { row, out throws(EngineError) in
            let value = Column.slice(text, row)
            guard Int(counts[row]) * value.count < 1 << 30 else {
                throw EngineError(.programLimitExceeded, "requested length too large")
            }
            for _ in 0..<max(0, Int(counts[row])) { out.append(contentsOf: value) }
            return true
        }
    }

    /// `reverse(text)`, by characters.
    public static let reverse = ScalarFunction(name: "reverse", resultType: .text, isStrict: true) {
        arguments, rowCount, _ throws(EngineError) in
        let text = arguments[0].byteBuffers
        return try RowwiseKernels.text(arguments, rowCount: rowCount) { row, out throws(EngineError) in
            for character in Column.slice(text, row).characters.reversed() { out.append(contentsOf: character) }
            return true
        }
    }

    /// `split_part(text, delimiter, n)`: the n-th field (negative counts from the end); empty when out of range.
    public static let splitPart = ScalarFunction(name: "split_part", resultType: .text, isStrict: true) {
        arguments, rowCount, _ throws(EngineError) in
        let text = arguments[0].byteBuffers
        let delimiters = arguments[1].byteBuffers
        let fields = arguments[2].int32Values
        return try RowwiseKernels.text(arguments, rowCount: rowCount) { row, out throws(EngineError) in
            guard fields[row] != 0 else { throw EngineError(.invalidParameterValue, "field position must not be zero") }
            let value = Column.slice(text, row)
            let delimiter = Column.slice(delimiters, row)
            let parts = value.isEmpty ? [] : delimiter.isEmpty ? [value] : value.fields(separatedBy: delimiter)
            let index = fields[row] > 0 ? Int(fields[row]) - 1 : parts.count + Int(fields[row])
            if parts.indices.contains(index) { out.append(contentsOf: parts[index]) }
            return true
        }
    }

    /// `starts_with(text, prefix)`.
    public static let startsWith = ScalarFunction(name: "starts_with", resultType: .boolean, isStrict: true) {
        arguments, rowCount, _ throws(EngineError) in
        let text = arguments[0].byteBuffers
        let prefixes = arguments[1].byteBuffers
        return RowwiseKernels.bool(arguments, rowCount: rowCount) { row in
            Column.slice(text, row).starts(with: Column.slice(prefixes, row))
        }
    }
}
