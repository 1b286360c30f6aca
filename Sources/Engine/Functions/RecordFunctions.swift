/// Building composite values and reading their fields: `ROW(a, b)` and `(record).field`.
public enum RecordFunctions {
    /// `ROW(...)`: one argument per field of `type` (a `.record`), each printed with its output function.
    public static func construct(_ type: DataType) -> ScalarFunction {
        ScalarFunction(name: "row", resultType: type, isStrict: false) {
            arguments, rowCount, context throws(EngineError) in
            let texts = arguments.map { context.textOutput.encodedColumn($0) }
            var writer = BytesColumnWriter(rowCount: rowCount)
            var record: [UInt8] = []
            for row in 0..<rowCount {
                record.removeAll(keepingCapacity: true)
                let fields = texts.map { text -> ArraySlice<UInt8>? in
                    if let validity = text.validity, !validity[row] { return nil }
                    return text.data[Int(text.offsets[row])..<Int(text.offsets[row + 1])]
                }
                RecordText.append(fields: fields, to: &record)
                writer.append(contentsOf: record)
                writer.endRow()
            }
            return writer.build(type: type)
        }
    }

    /// `(record).name`: field `index` of each record, read with the field type's input function.
    public static func field(_ index: Int, of type: DataType) -> ScalarFunction {
        guard case .record(let fields) = type else { preconditionFailure("field selection from \(type)") }
        let fieldType = fields[index].type
        return ScalarFunction(name: fields[index].name, resultType: fieldType, isStrict: true) {
            arguments, rowCount, context throws(EngineError) in
            let records = arguments[0]
            guard case .bytes(let offsets, let data) = records.storage else {
                preconditionFailure("record without bytes storage")
            }
            var builder = ColumnBuilder(type: fieldType, capacity: rowCount)
            for row in 0..<rowCount {
                guard !records.isNull(row),
                    let text = try RecordText.fields(
                        of: data[Int(offsets[row])..<Int(offsets[row + 1])], fieldCount: fields.count)[index]
                else {
                    builder.append(.null)
                    continue
                }
                builder.append(
                    try TextInput.parse(
                        String(decoding: text, as: UTF8.self), as: fieldType, session: context.textOutput))
            }
            return builder.build()
        }
    }
}
