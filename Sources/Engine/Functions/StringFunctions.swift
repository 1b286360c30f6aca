/// Text functions over UTF-8 byte columns.
public enum StringFunctions {
    /// An explicit cast to `varchar(n)` or `character(n)`: longer values are cut to `n` characters,
    /// and `character(n)` pads shorter ones with spaces.
    public static func fitLength(_ type: DataType) -> ScalarFunction {
        ScalarFunction(name: "fit_length", resultType: type, isImmutable: true, isStrict: true) {
            arguments, rowCount, _ throws(EngineError) in
            var length = Int.max
            var pads = false
            if case .varchar(let limit?) = type { length = limit }
            if case .bpchar(let limit?) = type { (length, pads) = (limit, true) }
            guard case .bytes(let offsets, let data) = arguments[0].storage else {
                preconditionFailure("fit_length on non-text")
            }
            var newOffsets: [Int32] = [0]
            newOffsets.reserveCapacity(rowCount + 1)
            var newData: [UInt8] = []
            for row in 0..<rowCount {
                var characters = 0
                var index = Int(offsets[row])
                let end = Int(offsets[row + 1])
                while index < end, characters < length {
                    // Copy one UTF-8 character: a lead byte and its continuation bytes.
                    newData.append(data[index])
                    index += 1
                    while index < end, data[index] & 0xC0 == 0x80 {
                        newData.append(data[index])
                        index += 1
                    }
                    characters += 1
                }
                if pads, !arguments[0].isNull(row), characters < length {
                    newData.append(contentsOf: repeatElement(UInt8(ascii: " "), count: length - characters))
                }
                newOffsets.append(Int32(newData.count))
            }
            return Column(
                type: type, count: rowCount, validity: arguments[0].validity,
                storage: .bytes(offsets: newOffsets, data: newData))
        }
    }

    /// A value's text as its type's output function writes it (`t` for a true boolean, unlike the
    /// `boolean::text` cast), as `concat()` and `format()` read their arguments.
    public static let outputText = ScalarFunction(name: "textout", resultType: .text, isStrict: true) {
        arguments, rowCount, context throws(EngineError) in
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(rowCount + 1)
        var data: [UInt8] = []
        for row in 0..<rowCount {
            if !arguments[0].isNull(row) { context.textOutput.append(arguments[0], at: row, to: &data) }
            offsets.append(Int32(data.count))
        }
        return Column(
            type: .text, count: rowCount, validity: arguments[0].validity, storage: .bytes(offsets: offsets, data: data)
        )
    }

    /// `a || b` on two text columns.
    public static let concatenate = ScalarFunction(
        name: "textcat", resultType: .text, isImmutable: true, isStrict: true
    ) { arguments, rowCount, _ throws(EngineError) in
        let validity = ValidityBitmap.intersect(arguments[0].validity, arguments[1].validity)
        guard case .bytes(let ao, let ad) = arguments[0].storage, case .bytes(let bo, let bd) = arguments[1].storage
        else {
            preconditionFailure("textcat on non-text")
        }
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(rowCount + 1)
        var data: [UInt8] = []
        data.reserveCapacity(ad.count + bd.count)
        for row in 0..<rowCount {
            if validity.map({ $0[row] }) ?? true {
                data.append(contentsOf: ad[Int(ao[row])..<Int(ao[row + 1])])
                data.append(contentsOf: bd[Int(bo[row])..<Int(bo[row + 1])])
            }
            offsets.append(Int32(data.count))
        }
        return Column(type: .text, count: rowCount, validity: validity, storage: .bytes(offsets: offsets, data: data))
    }

    /// `length(text)`: characters, not bytes.
    public static let length = ScalarFunction(name: "length", resultType: .int32, isStrict: true) {
        arguments, rowCount, _ throws(EngineError) in
        guard case .bytes(let offsets, let data) = arguments[0].storage else {
            preconditionFailure("length on non-text")
        }
        let counts = (0..<rowCount).map { row -> Int32 in
            var count: Int32 = 0
            for byte in data[Int(offsets[row])..<Int(offsets[row + 1])] where byte & 0xC0 != 0x80 { count += 1 }
            return count
        }
        return Column(type: .int32, count: rowCount, validity: arguments[0].validity, storage: .int32(counts))
    }

    /// `octet_length(text)`.
    public static let octetLength = ScalarFunction(name: "octet_length", resultType: .int32, isStrict: true) {
        arguments, rowCount, _ throws(EngineError) in
        guard case .bytes(let offsets, _) = arguments[0].storage else {
            preconditionFailure("octet_length on non-text")
        }
        let counts = (0..<rowCount).map { offsets[$0 + 1] - offsets[$0] }
        return Column(type: .int32, count: rowCount, validity: arguments[0].validity, storage: .int32(counts))
    }

    /// `upper(text)` / `lower(text)`: ASCII fast path, full Unicode case mapping otherwise.
    public static func caseMapping(upper: Bool) -> ScalarFunction {
        ScalarFunction(name: upper ? "upper" : "lower", resultType: .text, isStrict: true) {
            arguments, rowCount, _ throws(EngineError) in
            guard case .bytes(let offsets, let data) = arguments[0].storage else {
                preconditionFailure("case mapping on non-text")
            }
            if data.allSatisfy({ $0 < 0x80 }) {
                let mapped = data.map { byte -> UInt8 in
                    if upper, byte >= 0x61, byte <= 0x7A { return byte - 32 }
                    if !upper, byte >= 0x41, byte <= 0x5A { return byte + 32 }
                    return byte
                }
                return Column(
                    type: .text, count: rowCount, validity: arguments[0].validity,
                    storage: .bytes(offsets: offsets, data: mapped))
            }
            var newOffsets: [Int32] = [0]
            var newData: [UInt8] = []
            for row in 0..<rowCount {
                let text = String(decoding: data[Int(offsets[row])..<Int(offsets[row + 1])], as: UTF8.self)
                // One character at a time, as PostgreSQL's towupper/towlower do: a character whose
                // mapping is several characters (ß → SS) stays as it is.
                for scalar in text.unicodeScalars {
                    let mapped = upper ? scalar.properties.uppercaseMapping : scalar.properties.lowercaseMapping
                    newData.append(contentsOf: (mapped.unicodeScalars.count == 1 ? mapped : String(scalar)).utf8)
                }
                newOffsets.append(Int32(newData.count))
            }
            return Column(
                type: .text, count: rowCount, validity: arguments[0].validity,
                storage: .bytes(offsets: newOffsets, data: newData))
        }
    }
}
