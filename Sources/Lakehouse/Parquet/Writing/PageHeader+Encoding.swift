extension PageHeader {
    /// The header as Thrift compact bytes: a data page v1 (with RLE repetition levels declared, as
    /// the format requires, though flat columns have none) or a dictionary page.
    func encoded() -> [UInt8] {
        var writer = ThriftCompactWriter()
        writer.beginStruct()
        switch kind {
        case .data(let valueCount, let encoding, let definitionLevelEncoding):
            writer.field(1, i32: ParquetPageType.dataPage.rawValue)
            writeSizes(&writer)
            writer.structField(5)
            writer.field(1, i32: Int32(valueCount))
            writer.field(2, i32: encoding)
            writer.field(3, i32: definitionLevelEncoding)
            writer.field(4, i32: ParquetEncoding.rle.rawValue)
            writer.endStruct()
        case .dictionary(let valueCount, let encoding):
            writer.field(1, i32: ParquetPageType.dictionaryPage.rawValue)
            writeSizes(&writer)
            writer.structField(7)
            writer.field(1, i32: Int32(valueCount))
            writer.field(2, i32: encoding)
            writer.endStruct()
        case .dataV2, .other:
            preconditionFailure("the writer produces only data pages v1 and dictionary pages")
        }
        writer.endStruct()
        return writer.bytes
    }

    private func writeSizes(_ writer: inout ThriftCompactWriter) {
        writer.field(2, i32: Int32(uncompressedSize))
        writer.field(3, i32: Int32(compressedSize))
    }
}
