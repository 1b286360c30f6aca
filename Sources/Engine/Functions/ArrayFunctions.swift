/// Functions and operators on one-dimensional arrays. Arrays are 1-based, as PostgreSQL's are
/// unless written with explicit bounds. They show up mostly in catalog queries, so these work
/// value by value rather than on raw buffers.
public enum ArrayFunctions {
    /// `ARRAY[a, b, ...]` over arguments already coerced to `element`.
    public static func constructor(element: DataType) -> ScalarFunction {
        ScalarFunction(name: "array", resultType: .array(element), isStrict: false) {
            arguments, rowCount, _ throws(EngineError) in
            var builder = ColumnBuilder(type: .array(element), capacity: rowCount)
            for row in 0..<rowCount { builder.append(.array(arguments.map { $0.value(at: row) })) }
            return builder.build()
        }
    }

    /// `a || b` over two arrays: NULL when both are NULL, else the elements of both in order.
    public static func concatenate(element: DataType) -> ScalarFunction {
        ScalarFunction(name: "array_cat", resultType: .array(element), isStrict: false) {
            arguments, rowCount, _ throws(EngineError) in
            var builder = ColumnBuilder(type: .array(element), capacity: rowCount)
            for row in 0..<rowCount {
                switch (arguments[0].value(at: row), arguments[1].value(at: row)) {
                case (.array(let a), .array(let b)): builder.append(.array(a + b))
                case (.array(let a), _): builder.append(.array(a))
                case (_, .array(let b)): builder.append(.array(b))
                default: builder.append(.null)
                }
            }
            return builder.build()
        }
    }

    /// `array[index]`: the element, or NULL when the index is NULL or outside the array.
    public static func element(of elementType: DataType) -> ScalarFunction {
        ScalarFunction(name: "array_element", resultType: elementType, isStrict: true) {
            arguments, rowCount, _ throws(EngineError) in
            var builder = ColumnBuilder(type: elementType, capacity: rowCount)
            for row in 0..<rowCount {
                guard case .array(let items) = arguments[0].value(at: row),
                    let index = integer(arguments[1].value(at: row)),
                    index >= 1, index <= items.count
                else {
                    builder.append(.null)
                    continue
                }
                builder.append(items[index - 1])
            }
            return builder.build()
        }
    }

    /// `x op ANY (array)` (`all` false) and `x op ALL (array)`: `comparison` reads column 0 (the left
    /// operand) and column 1 (an element) and is evaluated for every element at once. ANY is true
    /// when some comparison is, else NULL when some is NULL, else false; ALL the reverse.
    public static func quantified(_ comparison: Expression, all: Bool) -> ScalarFunction {
        ScalarFunction(name: all ? "all" : "any", resultType: .boolean, isStrict: false) {
            arguments, rowCount, context throws(EngineError) in
            var owners: [Int32] = []
            var elements: [Value] = []
            var results: [Value] = Array(repeating: .bool(all), count: rowCount)
            for row in 0..<rowCount {
                guard case .array(let items) = arguments[1].value(at: row) else {
                    results[row] = .null
                    continue
                }
                for item in items {
                    owners.append(Int32(row))
                    elements.append(item)
                }
            }
            if !owners.isEmpty {
                guard case .array(let elementType) = arguments[1].type else {
                    preconditionFailure("ANY/ALL over a non-array")
                }
                let pairs = Batch(
                    columns: [arguments[0].gather(owners), Column(type: elementType, values: elements)],
                    rowCount: owners.count)
                let outcomes = try ExpressionEvaluator(context: context).evaluate(comparison, on: pairs)
                let decisive = !all
                for (position, owner) in owners.enumerated() {
                    let row = Int(owner)
                    if case .bool(decisive) = results[row] { continue }
                    switch outcomes.value(at: position) {
                    case .bool(let outcome) where outcome == decisive: results[row] = .bool(decisive)
                    case .null: results[row] = .null
                    default: break
                    }
                }
            }
            return Column(type: .boolean, values: results)
        }
    }

    /// `string_to_array(text, delimiter [, null_string])`: the pieces of the text between
    /// delimiters, as PostgreSQL splits it: a NULL delimiter splits into characters, an empty one
    /// keeps the text whole, empty text gives an empty array, and pieces equal to `null_string`
    /// become NULL.
    public static let fromText = ScalarFunction(name: "string_to_array", resultType: .array(.text), isStrict: false) {
        arguments, rowCount, _ throws(EngineError) in
        var results: [Value] = []
        results.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            guard case .bytes(let text) = arguments[0].value(at: row) else {
                results.append(.null)
                continue
            }
            var nullText: [UInt8]?
            if arguments.count > 2, case .bytes(let bytes) = arguments[2].value(at: row) { nullText = bytes }
            var pieces: [[UInt8]] = []
            if !text.isEmpty {
                switch arguments[1].value(at: row) {
                case .bytes(let delimiter) where delimiter.isEmpty:
                    pieces = [text]
                case .bytes(let delimiter):
                    var start = 0
                    var index = 0
                    while index + delimiter.count <= text.count {
                        if text[index..<index + delimiter.count].elementsEqual(delimiter) {
                            pieces.append(Array(text[start..<index]))
                            index += delimiter.count
                            start = index
                        } else {
                            index += 1
                        }
                    }
                    pieces.append(Array(text[start...]))
                default:
                    pieces = String(decoding: text, as: UTF8.self).map { Array(String($0).utf8) }
                }
            }
            results.append(.array(pieces.map { piece in piece == nullText ? .null : .bytes(piece) }))
        }
        return Column(type: .array(.text), values: results)
    }

    /// `array_to_string(array, delimiter [, null_string])`: the elements' text joined; NULL
    /// elements are left out unless `null_string` is given.
    public static let toText = ScalarFunction(name: "array_to_string", resultType: .text, isStrict: false) {
        arguments, rowCount, context throws(EngineError) in
        var builder = ColumnBuilder(type: .text, capacity: rowCount)
        for row in 0..<rowCount {
            guard case .array(let offsets, let box) = arguments[0].storage, !arguments[0].isNull(row),
                case .bytes(let delimiter) = arguments[1].value(at: row)
            else {
                builder.append(.null)
                continue
            }
            let nullText = arguments.count > 2 ? arguments[2].value(at: row) : .null
            var out: [UInt8] = []
            var first = true
            for index in Int(offsets[row])..<Int(offsets[row + 1]) {
                var piece: [UInt8] = []
                if box.column.isNull(index) {
                    guard case .bytes(let text) = nullText else { continue }
                    piece = text
                } else {
                    context.textOutput.append(box.column, at: index, to: &piece)
                }
                if !first { out += delimiter }
                out += piece
                first = false
            }
            builder.append(.bytes(out))
        }
        return builder.build()
    }

    /// `array_length`, `array_upper`, `array_lower` and `cardinality`: NULL for an empty array or
    /// a dimension other than 1 (cardinality is 0 for an empty array).
    public static func dimension(_ name: String) -> ScalarFunction {
        ScalarFunction(name: name, resultType: .int32, isStrict: true) { arguments, rowCount, _ throws(EngineError) in
            var builder = ColumnBuilder(type: .int32, capacity: rowCount)
            for row in 0..<rowCount {
                guard case .array(let items) = arguments[0].value(at: row) else {
                    builder.append(.null)
                    continue
                }
                if name == "cardinality" {
                    builder.append(.int32(Int32(items.count)))
                    continue
                }
                guard integer(arguments[1].value(at: row)) == 1, !items.isEmpty else {
                    builder.append(.null)
                    continue
                }
                builder.append(.int32(name == "array_lower" ? 1 : Int32(items.count)))
            }
            return builder.build()
        }
    }

    private static func integer(_ value: Value) -> Int? {
        switch value {
        case .int16(let v): return Int(v)
        case .int32(let v): return Int(v)
        case .int64(let v): return Int(v)
        default: return nil
        }
    }
}
