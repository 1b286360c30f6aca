import Testing

@testable import Engine

/// Expected texts are PostgreSQL 15's record_out output and record_in's errors.
@Suite struct RecordTextTests {
    func text(_ fields: [String?]) -> String {
        var out: [UInt8] = []
        RecordText.append(fields: fields.map { $0.map { ArraySlice($0.utf8) } }, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func fields(_ record: String, _ count: Int) throws -> [String?] {
        try RecordText.fields(of: Array(record.utf8), fieldCount: count).map {
            $0.map { String(decoding: $0, as: UTF8.self) }
        }
    }

    @Test func quotesWhatWouldBeAmbiguous() {
        #expect(
            text(["1", "a b", nil, "", "x\"y", "back\\slash", "(p)", "c,d"])
                == #"(1,"a b",,"","x""y","back\\slash","(p)","c,d")"#)
        #expect(text([]) == "()")
    }

    @Test func readsBackWhatItWrites() throws {
        let values: [String?] = ["1", "a b", nil, "", "x\"y", "back\\slash", "(p)", "c,d"]
        #expect(try fields(text(values), values.count) == values)
        #expect(try fields(" (1,\"two\")  ", 2) == ["1", "two"])
        #expect(try fields(#"(a\,b,c)"#, 2) == ["a,b", "c"])
    }

    @Test(arguments: [
        ("1,2)", 2, "Missing left parenthesis."), ("(1,2", 2, "Unexpected end of input."),
        ("(1)", 2, "Too few columns."),
        ("(1,2,3)", 2, "Too many columns."), ("(1,2) x", 2, "Junk after right parenthesis."),
        ("(\"1,2)", 2, "Unexpected end of input."),
    ])
    func malformedInput(record: String, count: Int, detail: String) {
        #expect(
            throws: EngineError(.invalidTextRepresentation, "malformed record literal: \"\(record)\"", detail: detail)
        ) {
            try RecordText.fields(of: Array(record.utf8), fieldCount: count)
        }
    }
}
