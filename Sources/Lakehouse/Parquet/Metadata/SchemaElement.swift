/// One node of the flattened schema tree in the footer (parquet.thrift `SchemaElement`).
///
/// Leaves have a physical `type`; groups have `numChildren`. The list is a depth-first walk with the
/// root first.
struct SchemaElement: Sendable {
    var type: ParquetPhysicalType?
    var typeLength: Int?
    var repetition: ParquetRepetition?
    var name: String = ""
    var numChildren: Int?
    var convertedType: ParquetConvertedType?
    var scale: Int?
    var precision: Int?
    var fieldID: Int?
    var logicalType: ParquetLogicalType?
    /// Set when the file names a physical type, repetition or converted type this reader does not know.
    var unknownAnnotation: String?

    static func decode(_ reader: inout ThriftCompactReader) throws -> SchemaElement {
        var element = SchemaElement()
        var hasName = false
        try reader.beginStruct()
        while let field = try reader.nextField() {
            switch field.id {
            case 1:
                let raw = try reader.readInt32(field.type)
                element.type = ParquetPhysicalType(rawValue: raw)
                if element.type == nil { element.unknownAnnotation = "physical type \(raw)" }
            case 2: element.typeLength = Int(try reader.readInt32(field.type))
            case 3:
                let raw = try reader.readInt32(field.type)
                element.repetition = ParquetRepetition(rawValue: raw)
                if element.repetition == nil { element.unknownAnnotation = "repetition \(raw)" }
            case 4:
                element.name = try reader.readString(field.type)
                hasName = true
            case 5: element.numChildren = Int(try reader.readInt32(field.type))
            case 6:
                let raw = try reader.readInt32(field.type)
                element.convertedType = ParquetConvertedType(rawValue: raw)
                if element.convertedType == nil { element.unknownAnnotation = "converted type \(raw)" }
            case 7: element.scale = Int(try reader.readInt32(field.type))
            case 8: element.precision = Int(try reader.readInt32(field.type))
            case 9: element.fieldID = Int(try reader.readInt32(field.type))
            case 10:
                guard field.type == .structure else { throw ParquetFormatError("logical type is not a struct") }
                element.logicalType = try ParquetLogicalType.decode(&reader)
            default: try reader.skip(field.type)
            }
        }
        guard hasName else { throw ParquetFormatError("schema element without a name") }
        return element
    }
}
