/// Text functions over UTF-8 byte columns.
public enum StringFunctions {
    /// `a || b` on two text columns.
    public static let concatenate = ScalarFunction(name: "textcat", resultType: .text) { arguments, rowCount, _ throws(EngineError) in
        let validity = ValidityBitmap.intersect(arguments[0].validity, arguments[1].validity)
        guard case .bytes(let ao, let ad) = arguments[0].storage, case .bytes(let bo, let bd) = arguments[1].storage else {
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
    public static let length = ScalarFunction(name: "length", resultType: .int32) { arguments, rowCount, _ throws(EngineError) in
        guard case .bytes(let offsets, let data) = arguments[0].storage else { preconditionFailure("length on non-text") }
        let counts = (0..<rowCount).map { row -> Int32 in
            var count: Int32 = 0
            for byte in data[Int(offsets[row])..<Int(offsets[row + 1])] where byte & 0xC0 != 0x80 { count += 1 }
            return count
        }
        return Column(type: .int32, count: rowCount, validity: arguments[0].validity, storage: .int32(counts))
    }

    /// `octet_length(text)`.
    public static let octetLength = ScalarFunction(name: "octet_length", resultType: .int32) { arguments, rowCount, _ throws(EngineError) in
        guard case .bytes(let offsets, _) = arguments[0].storage else { preconditionFailure("octet_length on non-text") }
        let counts = (0..<rowCount).map { offsets[$0 + 1] - offsets[$0] }
        return Column(type: .int32, count: rowCount, validity: arguments[0].validity, storage: .int32(counts))
    }

    /// `upper(text)` / `lower(text)`: ASCII fast path, full Unicode case mapping otherwise.
    public static func caseMapping(upper: Bool) -> ScalarFunction {
        ScalarFunction(name: upper ? "upper" : "lower", resultType: .text) { arguments, rowCount, _ throws(EngineError) in
            guard case .bytes(let offsets, let data) = arguments[0].storage else { preconditionFailure("case mapping on non-text") }
            if data.allSatisfy({ $0 < 0x80 }) {
                let mapped = data.map { byte -> UInt8 in
                    if upper, byte >= 0x61, byte <= 0x7A { return byte - 32 }
                    if !upper, byte >= 0x41, byte <= 0x5A { return byte + 32 }
                    return byte
                }
                return Column(type: .text, count: rowCount, validity: arguments[0].validity, storage: .bytes(offsets: offsets, data: mapped))
            }
            var newOffsets: [Int32] = [0]
            var newData: [UInt8] = []
            for row in 0..<rowCount {
                let text = String(decoding: data[Int(offsets[row])..<Int(offsets[row + 1])], as: UTF8.self)
                newData.append(contentsOf: (upper ? text.uppercased() : text.lowercased()).utf8)
                newOffsets.append(Int32(newData.count))
            }
            return Column(type: .text, count: rowCount, validity: arguments[0].validity, storage: .bytes(offsets: newOffsets, data: newData))
        }
    }
}
