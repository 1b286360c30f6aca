import Engine

/// Walks the pages of one flat column chunk — dictionary page, data pages v1 and v2 — and feeds
/// their values to a `ColumnValueSink`, collecting NULLs from the definition levels.
///
/// The pages need not be the whole chunk: a read that skips pages hands over the dictionary page
/// and the wanted data pages back to back, with `rowCount` the rows those pages hold. With
/// `dictionaryOnly`, the dictionary page's entries themselves are the rows decoded.
///
/// Decompressed pages, levels and dictionary indices live in scratch buffers reused from page to
/// page. Every length taken from the file is checked before bytes are read.
struct ColumnChunkDecoder {
    let column: ParquetColumn
    let codec: Int32
    let rowCount: Int
    let dictionaryOnly: Bool

    private let pageBuffer = ScratchBuffer()
    private let levelBuffer = ScratchBuffer()
    private let indexBuffer = ScratchBuffer()
    private let valueScratch = ScratchBuffer()
    private let pageTally = PageTally()

    init(column: ParquetColumn, codec: Int32, rowCount: Int, dictionaryOnly: Bool = false) {
        self.column = column
        self.codec = codec
        self.rowCount = rowCount
        self.dictionaryOnly = dictionaryOnly
    }

    /// Data pages decoded so far.
    var dataPagesDecoded: Int { pageTally.dataPages }

    /// Decodes every page of `chunk` into `sink`; returns the NULL bitmap, nil when no row is NULL.
    func decode<Sink: ColumnValueSink>(_ chunk: UnsafeRawBufferPointer, into sink: inout Sink) throws -> ValidityBitmap?
    {
        var validity: ValidityBitmap?
        var cursor = ByteCursor(chunk)
        var rowsDone = 0
        while rowsDone < rowCount {
            guard !cursor.isAtEnd else {
                throw ParquetFormatError("column chunk ends after \(rowsDone) of \(rowCount) rows")
            }
            var headerReader = ThriftCompactReader(chunk, position: cursor.position)
            let header = try PageHeader.decode(&headerReader)
            cursor = ByteCursor(chunk, position: headerReader.position)
            let body = try cursor.readBytes(header.compressedSize)
            switch header.kind {
            case .dictionary(let count, let encoding):
                guard encoding == ParquetEncoding.plain.rawValue || encoding == ParquetEncoding.plainDictionary.rawValue
                else {
                    throw LakehouseError.unsupported("Parquet dictionary page encoding \(encoding) is not supported")
                }
                guard sink.dictionaryCount == nil else {
                    throw ParquetFormatError("column chunk has a second dictionary page")
                }
                let entries = try decompress(body, size: header.uncompressedSize)
                if dictionaryOnly {
                    guard count == rowCount else {
                        throw ParquetFormatError("dictionary page holds \(count) values, expected \(rowCount)")
                    }
                    try sink.decode(entries, encoding: .plain, count: count, at: 0, scratch: valueScratch)
                    return nil
                }
                try sink.setDictionary(entries, count: count)
            case .data(let valueCount, let encoding, let levelEncoding):
                try checkValueCount(valueCount, rowsDone: rowsDone)
                pageTally.dataPages += 1
                var page = ByteCursor(try decompress(body, size: header.uncompressedSize))
                var nonNullCount = valueCount
                if column.maxDefinitionLevel > 0 {
                    guard levelEncoding == ParquetEncoding.rle.rawValue else {
                        throw LakehouseError.unsupported(
                            "Parquet definition level encoding \(levelEncoding) is not supported")
                    }
                    let length = Int(try page.readLittleEndian(UInt32.self))
                    nonNullCount = try decodeLevels(page.readBytes(length), count: valueCount)
                }
                try decodeValues(page.readRest(), encoding: encoding, count: nonNullCount, at: rowsDone, into: &sink)
                finishPage(
                    valueCount: valueCount, nonNullCount: nonNullCount, at: rowsDone, into: &sink, validity: &validity)
                rowsDone += valueCount
            case .dataV2(
                let valueCount, _, _, let encoding, let definitionLength, let repetitionLength, let isCompressed):
                try checkValueCount(valueCount, rowsDone: rowsDone)
                pageTally.dataPages += 1
                var page = ByteCursor(body)
                try page.skip(repetitionLength)
                let levels = try page.readBytes(definitionLength)
                var nonNullCount = valueCount
                if column.maxDefinitionLevel > 0 { nonNullCount = try decodeLevels(levels, count: valueCount) }
                var values = page.readRest()
                if isCompressed {
                    let size = header.uncompressedSize - repetitionLength - definitionLength
                    guard size >= 0 else { throw ParquetFormatError("data page v2 levels are longer than the page") }
                    values = try decompress(values, size: size)
                }
                try decodeValues(values, encoding: encoding, count: nonNullCount, at: rowsDone, into: &sink)
                finishPage(
                    valueCount: valueCount, nonNullCount: nonNullCount, at: rowsDone, into: &sink, validity: &validity)
                rowsDone += valueCount
            case .other:
                continue
            }
        }
        return validity
    }

    private func checkValueCount(_ valueCount: Int, rowsDone: Int) throws {
        guard !dictionaryOnly else { throw ParquetFormatError("column chunk does not start with a dictionary page") }
        guard valueCount <= rowCount - rowsDone else {
            throw ParquetFormatError("data page of \(valueCount) values overruns the row group's \(rowCount) rows")
        }
    }

    /// The page body as the codec left it, decompressed into the page buffer when needed.
    private func decompress(_ body: UnsafeRawBufferPointer, size: Int) throws -> UnsafeRawBufferPointer {
        if codec == ParquetCompressionCodec.uncompressed.rawValue {
            guard body.count == size else {
                throw ParquetFormatError("page is \(body.count) bytes, header says \(size)")
            }
            return body
        }
        // Codecs still wrap empty pages (an empty dictionary, say) in a frame; there is nothing to decode.
        if size == 0 { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let target = pageBuffer.reserve(size)
        try PageDecompressor.decompress(body, codec: codec, into: target)
        return UnsafeRawBufferPointer(target)
    }

    /// Decodes one page's definition levels (bit width 1 for flat columns) into the level buffer;
    /// returns how many values are not NULL.
    private func decodeLevels(_ bytes: UnsafeRawBufferPointer, count: Int) throws -> Int {
        let levels = levelBuffer.reserve(count, of: UInt8.self)
        var decoder = try RLEHybridDecoder(bytes, width: 1)
        try decoder.decode(count: count, into: levels)
        var nonNull = 0
        for index in 0..<count { nonNull &+= Int(levels[index]) }
        return nonNull
    }

    private func decodeValues<Sink: ColumnValueSink>(
        _ bytes: UnsafeRawBufferPointer, encoding rawEncoding: Int32, count: Int, at row: Int, into sink: inout Sink
    ) throws {
        guard count > 0 else { return }
        guard let encoding = ParquetEncoding(rawValue: rawEncoding) else {
            throw LakehouseError.unsupported("Parquet encoding \(rawEncoding) is not supported")
        }
        switch encoding {
        case .plainDictionary, .rleDictionary:
            guard let dictionaryCount = sink.dictionaryCount else {
                throw ParquetFormatError("dictionary-encoded page without a dictionary page")
            }
            var cursor = ByteCursor(bytes)
            let width = Int(try cursor.readByte())
            let indices = indexBuffer.reserve(count, of: UInt32.self)
            var decoder = try RLEHybridDecoder(cursor.readRest(), width: width)
            try decoder.decode(count: count, into: indices)
            var largest: UInt32 = 0
            for index in 0..<count { largest = max(largest, indices[index]) }
            guard Int(largest) < dictionaryCount else {
                throw ParquetFormatError("dictionary index \(largest) is out of range for \(dictionaryCount) entries")
            }
            try sink.gather(indices, count: count, at: row)
        default:
            try sink.decode(bytes, encoding: encoding, count: count, at: row, scratch: valueScratch)
        }
    }

    /// Moves a page's values to their rows and marks its NULL rows.
    private func finishPage<Sink: ColumnValueSink>(
        valueCount: Int, nonNullCount: Int, at row: Int, into sink: inout Sink, validity: inout ValidityBitmap?
    ) {
        guard nonNullCount < valueCount else { return }
        let levels = levelBuffer.reserve(valueCount, of: UInt8.self)
        sink.spread(at: row, valueCount: nonNullCount, rowCount: valueCount, levels: levels)
        if validity == nil { validity = ValidityBitmap(count: rowCount, allValid: true) }
        for index in 0..<valueCount where levels[index] == 0 { validity?[row + index] = false }
    }
}

/// How many data pages one decode call has decoded; owned by that call, like the scratch buffers.
private final class PageTally {
    var dataPages = 0
}
