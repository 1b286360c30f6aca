import Testing

@testable import Engine

@Suite struct ArrayFunctionTests {
    @Test func arrayLiteralsParseLikePostgres() throws {
        #expect(try TextInput.parse("{1, 2 ,NULL}", as: .array(.int32)) == .array([.int32(1), .int32(2), .null]))
        #expect(
            try TextInput.parse(#"{"a b","c\"d",null,"NULL", e f }"#, as: .array(.text))
                == .array([.text("a b"), .text("c\"d"), .null, .text("NULL"), .text("e f")]))
        #expect(try TextInput.parse(" { } ", as: .array(.int64)) == .array([]))
        for bad in ["{1,,2}", "{1,2", "1,2}", "{1} x", "{\"a}", "{a\"b}"] {
            #expect(throws: EngineError.self, "\(bad)") { try TextInput.parse(bad, as: .array(.text)) }
        }
        #expect(throws: EngineError.self) { try TextInput.parse("{x}", as: .array(.int32)) }
    }

    @Test func quantifiedComparisonFollowsThreeValuedLogic() throws {
        let comparison = Expression.comparison(.equal, .column(index: 0, type: .int32), .column(index: 1, type: .int32))
        let lhs = Column(type: .int32, values: [.int32(2), .int32(3), .int32(3), .int32(1), .null])
        let arrays = Column(
            type: .array(.int32),
            values: [
                .array([.int32(1), .int32(2)]), .array([.int32(1), .null]), .array([]), .null, .array([.int32(1)]),
            ])
        let any = try ArrayFunctions.quantified(comparison, all: false).evaluate([lhs, arrays], 5, EvaluationContext())
        #expect((0..<5).map { any.value(at: $0) } == [.bool(true), .null, .bool(false), .null, .null])
        let all = try ArrayFunctions.quantified(comparison, all: true).evaluate([lhs, arrays], 5, EvaluationContext())
        #expect((0..<5).map { all.value(at: $0) } == [.bool(false), .bool(false), .bool(true), .null, .null])
    }

    @Test func arraysCompareElementByElementThenByLength() {
        let a = Column(
            type: .array(.int32),
            values: [.array([.int32(1), .int32(2)]), .array([.int32(1)]), .array([.int32(1), .null])])
        let b = Column(
            type: .array(.int32),
            values: [.array([.int32(1), .int32(3)]), .array([.int32(1), .int32(0)]), .array([.int32(1), .int32(5)])])
        let less = ComparisonKernels.compare(.less, a, b)
        #expect((0..<3).map { less.value(at: $0) } == [.bool(true), .bool(true), .bool(false)])
    }
}
