import Testing

@testable import Engine

/// Expected texts are what PostgreSQL 15 prints for the same jsonb input, and its json errors.
@Suite struct JSONTextTests {
    func jsonb(_ text: String) throws -> String {
        String(decoding: try JSONText.normalized(Array(text.utf8)), as: UTF8.self)
    }

    @Test(arguments: [
        (
            #"{"b":1, "a": [1,2,{"y":null,"x":true}], "b":2.50, "aa": 1e2}"#,
            #"{"a": [1, 2, {"x": true, "y": null}], "b": 2.50, "aa": 100}"#
        ),
        (#" [ "\u00e9\n\"", -0, 1.5E-3, 12e-1 ] "#, #"["é\n\"", 0, 0.0015, 1.2]"#),
        ("{}", "{}"), ("[]", "[]"), ("true", "true"), (#""\ud83d\ude00""#, "\"😀\""), ("-12.50", "-12.50"),
    ])
    func normalForm(input: String, expected: String) throws {
        #expect(try jsonb(input) == expected)
    }

    @Test(arguments: [
        ("{bad", #"Token "bad" is invalid."#), ("[1,2", "The input string ended unexpectedly."),
        ("01", #"Token "01" is invalid."#), ("{1:2}", #"Expected string or "}", but found "1"."#),
        (#"{"a":1,}"#, #"Expected string, but found "}"."#), ("[1] x", #"Expected end of input, but found "x"."#),
        (#""\q""#, #"Escape sequence "\q" is invalid."#), ("1.", #"Token "1." is invalid."#),
    ])
    func invalidInput(input: String, detail: String) {
        #expect(throws: EngineError(.invalidTextRepresentation, "invalid input syntax for type json", detail: detail)) {
            try JSONText.validate(Array(input.utf8))
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: EngineError.self) { try JSONText.validate(Array(deep.utf8)) }
    }
}
