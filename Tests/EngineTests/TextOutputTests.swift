import Testing

@testable import Engine

@Suite struct TextOutputTests {
    func text(_ value: Value, _ type: DataType, _ output: TextOutput = TextOutput()) -> String? {
        output.string(Column(type: type, values: [value]), at: 0)
    }

    /// Expected strings are what PostgreSQL 15 prints with extra_float_digits = 1 (its default).
    @Test(arguments: [
        (1.5, "1.5"), (1.0, "1"), (0.1 + 0.2, "0.30000000000000004"), (1e20, "1e+20"), (1e15, "1e+15"),
        (123456789012345.0, "123456789012345"), (0.0001, "0.0001"), (0.00001, "1e-05"), (-2.5e-10, "-2.5e-10"),
        (Double.nan, "NaN"), (Double.infinity, "Infinity"), (-Double.infinity, "-Infinity"), (0.0, "0"),
        (-0.0, "-0"), (100.0, "100"), (1500000.0, "1500000"), (1.2345678901234568e17, "1.2345678901234568e+17"),
        (5e-324, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"), (-0.000123, "-0.000123"),
    ])
    func float8(value: Double, expected: String) {
        #expect(text(.float64(value), .float64) == expected)
    }

    @Test func float4PrintsItsOwnShortestDigits() {
        #expect(text(.float32(1.1), .float32) == "1.1")
        #expect(text(.float32(1e7), .float32) == "1e+07")
        #expect(text(.float32(123456.0), .float32) == "123456")
    }

    @Test func float8WithNegativeExtraDigits() {
        #expect(text(.float64(0.1 + 0.2), .float64, TextOutput(extraFloatDigits: 0)) == "0.3")
    }

    @Test func integersDatesAndTimes() {
        #expect(text(.int64(Int64.min), .int64) == "-9223372036854775808")
        #expect(text(.int32(0), .int32) == "0")
        #expect(text(.int32(Int32(CivilDate.days(year: 2024, month: 2, day: 29))), .date) == "2024-02-29")
        let micros = Int64(CivilDate.days(year: 2024, month: 1, day: 2)) * CivilDate.microsecondsPerDay + 3_723_000_500
        #expect(text(.int64(micros), .timestamp) == "2024-01-02 01:02:03.0005")
        #expect(text(.int64(micros), .timestamptz) == "2024-01-02 01:02:03.0005+00")
        let paris = TextOutput(timeZone: SessionTimeZone(named: "Europe/Paris")!)
        #expect(text(.int64(micros), .timestamptz, paris) == "2024-01-02 02:02:03.0005+01")
    }

    @Test func numericIntervalBoolAndBytea() {
        #expect(text(.decimal(-5), .numeric(precision: 10, scale: 2)) == "-0.05")
        #expect(text(.decimal(12345), .numeric(precision: nil, scale: 2)) == "123.45")
        #expect(
            text(.interval(Interval(months: 14, days: 3, microseconds: 14_706_700_000)), .interval)
                == "1 year 2 mons 3 days 04:05:06.7")
        #expect(text(.interval(Interval()), .interval) == "00:00:00")
        #expect(text(.bool(true), .boolean) == "t")
        #expect(text(.bytes([0xDE, 0xAD]), .bytea) == "\\xdead")
    }

    @Test func civilDateRoundTrips() {
        for days in [-719_528, -1, 0, 1, 10_957, 19_782, 2_932_896] {
            let (year, month, day) = CivilDate.components(days: days)
            #expect(CivilDate.days(year: year, month: month, day: day) == days)
        }
    }
}
