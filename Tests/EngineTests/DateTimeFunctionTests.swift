import Testing

@testable import Engine

@Suite struct DateTimeFunctionTests {
    func micros(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0) -> Int64 {
        CivilDateTime(year: year, month: month, day: day, hour: hour).localMicroseconds
    }

    @Test func monthArithmeticClampsToMonthEnd() throws {
        let moved = try DateTimeArithmetic.add(Interval(months: 1), to: micros(2024, 1, 31), zone: nil)
        #expect(CivilDateTime(localMicroseconds: moved) == CivilDateTime(year: 2024, month: 2, day: 29))
        let back = try DateTimeArithmetic.add(Interval(months: -13), to: micros(2024, 3, 31), zone: nil)
        #expect(CivilDateTime(localMicroseconds: back) == CivilDateTime(year: 2023, month: 2, day: 28))
    }

    @Test func intervalScalingSpillsFractions() {
        #expect(
            DateTimeArithmetic.scale(Interval(days: 1, microseconds: 7_200_000_000), by: 2.5)
                == Interval(days: 2, microseconds: 61_200_000_000))
        #expect(DateTimeArithmetic.scale(Interval(months: 1), by: 1.5) == Interval(months: 1, days: 15))
    }

    @Test func ageBorrowsLikePostgreSQL() {
        let a = CivilDateTime(year: 2024, month: 3, day: 1)
        let b = CivilDateTime(year: 2023, month: 1, day: 31, hour: 12)
        #expect(
            DateTimeFormatting.age(a, b, negative: false) == Interval(months: 13, days: 0, microseconds: 43_200_000_000)
        )
    }

    @Test func isoWeeksAndWeekdays() {
        let date = CivilDateTime(year: 2024, month: 12, day: 30)
        #expect(date.isoWeek == (2025, 1))
        #expect(date.dayOfWeek == 1)
    }

    @Test func toCharAndBack() throws {
        let time = CivilDateTime(year: 2024, month: 3, day: 5, hour: 14, minute: 7, second: 9, microsecond: 123_456)
        var text = ""
        DateTimeFormat("FMDay, DD Mon YYYY HH12:MI:SS.MS PM").format(time, zone: nil, into: &text)
        #expect(text == "Tuesday, 05 Mar 2024 02:07:09.123 PM")
        let parsed = try DateTimeFormat("DD Mon YYYY HH12:MI:SS PM").parse("05 Mar 2024 02:07:09 PM")
        #expect(parsed == CivilDateTime(year: 2024, month: 3, day: 5, hour: 14, minute: 7, second: 9))
        #expect(throws: EngineError.self) { try DateTimeFormat("YYYY-MM-DD").parse("2024-02-30") }
    }
}
