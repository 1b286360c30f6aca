import Testing

@testable import Engine

/// Expected texts are what PostgreSQL 15 prints for the same expressions.
@Suite struct ScaledDecimalTests {
    func parse(_ text: String) throws -> ScaledDecimal { try ScaledDecimal.parse(text) }

    @Test(arguments: [
        ("1.5", "1.5"), ("1.50", "1.50"), ("-0.001", "-0.001"), ("1e3", "1000"), ("1.5e-3", "0.0015"),
        ("1500e-2", "15.00"), (" 42 ", "42"), ("+7", "7"), ("0.000", "0.000"), (".5", "0.5"),
    ])
    func inputKeepsTheWrittenScale(text: String, expected: String) throws {
        #expect(try parse(text).text == expected)
    }

    @Test(arguments: [
        ("7.0", "2", "3.5000000000000000"), ("1", "3.0", "0.33333333333333333333"),
        ("100", "3.0", "33.3333333333333333"), ("1000000", "3.0", "333333.333333333333"),
        ("1", "300000.0", "0.000003333333333333333333"), ("2.50", "1", "2.5000000000000000"),
        ("-2", "3", "-0.66666666666666666667"),
        ("123456789012345678901234567890.0", "7", "17636684144620811271604938270.0"),
        ("1", "0.0000001", "10000000.000000000000"),
    ])
    func divisionPicksPostgresScale(dividend: String, divisor: String, expected: String) throws {
        #expect(try ScaledDecimal.divide(parse(dividend), parse(divisor)).text == expected)
    }

    @Test func arithmeticScales() throws {
        #expect(try ScaledDecimal.add(parse("1.250"), parse("1")).text == "2.250")
        #expect(try ScaledDecimal.add(parse("1.2"), parse("0.05"), subtracting: true).text == "1.15")
        #expect(try ScaledDecimal.multiply(parse("1.5"), parse("2.00")).text == "3.000")
        #expect(try ScaledDecimal.remainder(parse("-10.5"), parse("3")).text == "-1.5")
    }

    @Test func errorsInsteadOfSilentRounding() throws {
        #expect(throws: EngineError.divisionByZero()) { try ScaledDecimal.divide(parse("1.5"), parse("0.00")) }
        #expect(throws: EngineError.divisionByZero()) { try ScaledDecimal.remainder(parse("1"), parse("0")) }
        let big = try parse("99999999999999999999999999999999999")  // 35 digits: the most a value holds
        #expect(throws: EngineError.self) { try ScaledDecimal.add(big, parse("1")) }
        #expect(throws: EngineError.self) { try ScaledDecimal.multiply(big, big) }
        #expect(throws: EngineError.self) { try parse("123456789012345678901234567890123456") }
        #expect(throws: EngineError.self) { try parse("1.5x") }
    }

    /// Each text with its rank by value: equal ranks are equal numbers written with other scales.
    @Test func orderKeysOrderAndEquateValues() throws {
        let ranked: [(String, Int)] = [
            ("-1000", 0), ("-2.5", 1), ("-2.50", 1), ("-0.001", 2), ("0", 3), ("0.00", 3), ("0.0000001", 4),
            ("0.5", 5), ("0.50", 5), ("1", 6), ("1.000", 6), ("1.5", 7), ("10", 8), ("99.99", 9), ("1e30", 10),
        ]
        for (a, rankA) in ranked {
            for (b, rankB) in ranked {
                let (x, y) = (try parse(a).orderKey, try parse(b).orderKey)
                #expect((x < y) == (rankA < rankB) && (x == y) == (rankA == rankB), "\(a) vs \(b)")
            }
        }
    }

    @Test func roundingHalfAwayFromZero() throws {
        #expect(try parse("2.567").rounded(toScale: 2).text == "2.57")
        #expect(try parse("-2.5").rounded(toScale: 0).text == "-3")
        #expect(try parse("2.5").rounded(toScale: 3).text == "2.500")
    }

    @Test func floatConversionsFollowPostgres() throws {
        #expect(try ScaledDecimal(0.1).text == "0.1")
        #expect(try ScaledDecimal(1.0 / 3.0).text == "0.333333333333333")
        #expect(try ScaledDecimal(1e20).text == "100000000000000000000")
    }

    @Test func columnsOfMixedScalesPrintEachValuesScale() throws {
        let values = try ["1.5", "2.250", "-0.001"].map { Value.decimal(try parse($0).packed) }
        let column = Column(type: .variableScaleNumeric, values: values)
        #expect((0..<3).map { TextOutput().string(column, at: $0) } == ["1.5", "2.250", "-0.001"])
    }
}
