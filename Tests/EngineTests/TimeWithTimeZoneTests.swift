import Testing

@testable import Engine

/// Expected texts and orderings are PostgreSQL 15's for the same timetz values.
@Suite struct TimeWithTimeZoneTests {
    func text(_ input: String) -> String? {
        guard let value = try? TimeWithTimeZone.parse(input, defaultOffset: { 0 }) else { return nil }
        return TextOutput().string(Column(type: .timetz, values: [.int64(value.packed)]), at: 0)
    }

    @Test(arguments: [
        ("12:00:00+02", "12:00:00+02"), ("12:00:00.5-05:30", "12:00:00.5-05:30"),
        ("23:59:59.999999+14:59:59", "23:59:59.999999+14:59:59"), ("12:00", "12:00:00+00"),
        ("12:00:00 UTC", "12:00:00+00"),
        ("12:00:00Z", "12:00:00+00"), ("24:00:00-01", "24:00:00-01"),
    ])
    func printsAsPostgres(input: String, expected: String) {
        #expect(text(input) == expected)
    }

    @Test(arguments: [
        ("25:00+01", "22007"), ("12:00+16", "22009"), ("12:60", "22007"), ("noon", "22007"), ("12:00+ab", "22007"),
    ])
    func rejectsBadInput(input: String, sqlState: String) {
        let error = #expect(throws: EngineError.self) { try TimeWithTimeZone.parse(input, defaultOffset: { 0 }) }
        #expect(error?.sqlState.code == sqlState)
    }

    @Test func packedValuesOrderByInstantThenOffset() throws {
        func packed(_ text: String) throws -> Int64 { try TimeWithTimeZone.parse(text, defaultOffset: { 0 }).packed }
        #expect(try packed("01:00+02") < packed("00:30+00"))  // 23:00 UTC before 00:30 UTC
        #expect(try packed("12:00+02") != packed("11:00+01"))  // the same instant, different offsets
        #expect(try packed("11:00+01") < packed("12:00+02"))
        #expect(
            try TimeWithTimeZone(packed: packed("23:59:59.999999-15:59:59"))
                == TimeWithTimeZone(time: 86_399_999_999, offsetSeconds: -57_599))
    }
}
