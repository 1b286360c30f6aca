import Engine

/// Writes one flat column's chunks: cuts appended rows into data pages v1 (definition levels for
/// optional columns, then PLAIN values or RLE_DICTIONARY indices) of about `pageBytes` and at most
/// `maximumPageRows`, compresses each page as it is cut, and at the end of a row group writes the
/// dictionary page and the buffered pages to the file, returning the chunk's page index with its
/// footer entry.
///
/// Dictionary encoding starts with every chunk (when enabled and the type allows it). The chunk
/// falls back to PLAIN for the rest of the row group when the dictionary grows past
/// `dictionaryPageBytes`, and drops the dictionary altogether when it does not make the first page
/// smaller than PLAIN would — many distinct values.
final class ColumnChunkWriter<Encoder: ColumnValueEncoder>: ColumnChunkWriting {
    let name: String
    let physicalType: ParquetPhysicalType
    let isOptional: Bool
    private let options: ParquetWriterOptions
    private let compressor: PageCompressor
    private var encoder: Encoder

    /// Parquet statistics leave out bounds longer than this (as Arrow does), to keep footers small.
    private static var maximumStatisticsBytes: Int { 4096 }

    // The staged batch.
    private var validity: ValidityBitmap?
    private var nextStaged = 0
    private var stagedRowBytes = 0

    // The open page.
    private var levels: [UInt8] = []
    private var plainPage = WriteBuffer()
    private var indices: [UInt32] = []
    private var pageRows = 0
    private var pageNulls = 0
    private var pagePlainSize = 0
    private var usesDictionary: Bool

    // The current chunk.
    private var chunkPages = WriteBuffer()
    private var chunkUncompressedSize = 0
    private var chunkRows = 0
    private var chunkNulls = 0
    private var dictionaryPageCount = 0
    private var plainPageCount = 0
    private var pageIndex = PageIndexBuilder(maximumBoundBytes: maximumStatisticsBytes)

    private var fileMetrics = ColumnMetrics()
    private var body = WriteBuffer()
    private var levelBytes = WriteBuffer()

    init(
        name: String, physicalType: ParquetPhysicalType, isOptional: Bool, encoder: Encoder,
        options: ParquetWriterOptions, compressor: PageCompressor
    ) {
        self.name = name
        self.physicalType = physicalType
        self.isOptional = isOptional
        self.encoder = encoder
        self.options = options
        self.compressor = compressor
        usesDictionary = options.dictionary && encoder.supportsDictionary
    }

    // MARK: - Batches

    func stage(_ column: Column) throws {
        let validity = column.nullableValidity
        try encoder.stage(column, validity: validity, name: name)
        self.validity = validity
        nextStaged = 0
        let staged = encoder.stagedCount
        stagedRowBytes = staged == 0 ? 0 : max(1, encoder.plainSize(0..<staged) / staged)
    }

    var typicalRowBytes: Int { stagedRowBytes + (isOptional ? 1 : 0) }

    func append(rows: Range<Int>) throws {
        var row = rows.lowerBound
        while row < rows.upperBound {
            let segment = row..<(row + min(rows.upperBound - row, segmentRows()))
            let nonNull = isOptional ? appendLevels(segment) : segment.count
            let values = nextStaged..<(nextStaged + nonNull)
            nextStaged += nonNull
            encoder.updateStatistics(values)
            pagePlainSize += encoder.plainSize(values)
            if usesDictionary {
                encoder.lookUp(values, into: &indices)
            } else {
                encoder.writePlain(values, into: &plainPage)
            }
            pageRows += segment.count
            pageNulls += segment.count - nonNull
            chunkRows += segment.count
            chunkNulls += segment.count - nonNull
            row = segment.upperBound
            if usesDictionary && encoder.dictionaryPlainSize > options.dictionaryPageBytes {
                try cutPage()
                usesDictionary = false
            } else if pageEstimate >= options.pageBytes || pageRows >= options.maximumPageRows {
                try cutPage()
            }
        }
    }

    /// Rows to add before checking the page size again: about what fills the page, at most 1024 and
    /// never past the page's row limit; with a dictionary, also about what fills the dictionary if
    /// every value were new (but at least 64), so it cannot overshoot its limit by much.
    private func segmentRows() -> Int {
        let pageBudget = max(options.pageBytes - pageEstimate, 1)
        let valueBytes = pageHoldsIndices ? max(1, indexBitWidth / 8) : max(1, stagedRowBytes)
        let rows = max(1, min(1024, pageBudget / valueBytes, options.maximumPageRows - pageRows))
        guard usesDictionary else { return rows }
        let dictionaryBudget =
            max(options.dictionaryPageBytes - encoder.dictionaryPlainSize, 0) / max(1, stagedRowBytes)
        return min(rows, max(64, dictionaryBudget))
    }

    /// Appends definition levels (1 for a value, 0 for NULL); returns how many rows have a value.
    private func appendLevels(_ rows: Range<Int>) -> Int {
        guard let validity else {
            levels.append(contentsOf: repeatElement(1, count: rows.count))
            return rows.count
        }
        var nonNull = 0
        levels.reserveCapacity(levels.count + rows.count)
        for row in rows {
            let level: UInt8 = validity[row] ? 1 : 0
            levels.append(level)
            nonNull &+= Int(level)
        }
        return nonNull
    }

    // MARK: - Pages

    /// Bits per dictionary index: enough for the largest index, at least 1.
    private var indexBitWidth: Int {
        let count = encoder.dictionaryCount
        return count <= 1 ? 1 : Int.bitWidth - (count - 1).leadingZeroBitCount
    }

    /// Whether the open page will hold dictionary indices: the chunk uses a dictionary that has
    /// paid for itself on an earlier page. The first page is sized by its PLAIN bytes, since it is
    /// written PLAIN if the dictionary turns out not to pay.
    private var pageHoldsIndices: Bool { usesDictionary && dictionaryPageCount > 0 }

    /// Uncompressed bytes of the open page, estimated from its levels and values.
    private var pageEstimate: Int {
        let values = pageHoldsIndices ? (indices.count * indexBitWidth + 7) / 8 : pagePlainSize
        return levels.count / 8 + values
    }

    private var dictionaryBytes: Int { usesDictionary || dictionaryPageCount > 0 ? encoder.dictionaryPlainSize : 0 }

    var bufferedBytes: Int { chunkUncompressedSize + pageEstimate + dictionaryBytes }

    var estimatedChunkBytes: Int { chunkPages.count + pageEstimate + dictionaryBytes }

    /// Closes the open page: encodes its levels and values, compresses them and appends the page
    /// to the chunk.
    private func cutPage() throws {
        guard pageRows > 0 else { return }
        if usesDictionary && dictionaryPageCount == 0 && !dictionaryPays {
            plainPage.removeAll()
            indices.withUnsafeBufferPointer { encoder.writeEntries($0, into: &plainPage) }
            encoder.clearDictionary()
            indices.removeAll(keepingCapacity: true)
            usesDictionary = false
        }
        body.removeAll()
        if isOptional {
            levelBytes.removeAll()
            levels.withUnsafeBufferPointer { RLEHybridEncoder.encode($0, width: 1, into: &levelBytes) }
            body.append(littleEndian: UInt64(levelBytes.count), byteCount: 4)
            body.append(levelBytes)
        }
        let encoding: ParquetEncoding
        if usesDictionary {
            let width = indexBitWidth
            body.append(byte: UInt8(width))
            indices.withUnsafeBufferPointer { RLEHybridEncoder.encode($0, width: width, into: &body) }
            encoding = .rleDictionary
            dictionaryPageCount += 1
        } else {
            encoder.finishPlainPage(&plainPage)
            body.append(plainPage)
            encoding = .plain
            plainPageCount += 1
        }
        let kind = PageHeader.Kind.data(
            valueCount: pageRows, encoding: encoding.rawValue, definitionLevelEncoding: ParquetEncoding.rle.rawValue)
        let offset = chunkPages.count
        let sizes = try writePage(kind, into: &chunkPages)
        chunkUncompressedSize += sizes.uncompressed
        pageIndex.addPage(
            offset: offset, size: sizes.compressed, firstRow: chunkRows - pageRows, rowCount: pageRows,
            nullCount: pageNulls, bounds: encoder.takePageBounds())
        levels.removeAll(keepingCapacity: true)
        plainPage.removeAll()
        indices.removeAll(keepingCapacity: true)
        pageRows = 0
        pageNulls = 0
        pagePlainSize = 0
    }

    /// Whether the dictionary and the page's indices take fewer bytes than the page's values PLAIN.
    private var dictionaryPays: Bool {
        encoder.dictionaryPlainSize + (indices.count * indexBitWidth + 7) / 8 < pagePlainSize
    }

    /// Compresses `body` and appends it with its page header to `target`; returns the bytes the
    /// page takes, header included, compressed and uncompressed.
    private func writePage(_ kind: PageHeader.Kind, into target: inout WriteBuffer) throws -> (
        compressed: Int, uncompressed: Int
    ) {
        let compressor = self.compressor
        return try body.withUnsafeBytes { raw in
            let compressed = try compressor.compress(raw)
            guard raw.count <= Int(Int32.max), compressed.count <= Int(Int32.max) else {
                throw LakehouseError.unsupported("a Parquet page over 2 GiB in column \"\(name)\"")
            }
            let header = PageHeader(kind: kind, uncompressedSize: raw.count, compressedSize: compressed.count).encoded()
            target.append(header)
            target.append(compressed)
            return (header.count + compressed.count, header.count + raw.count)
        }
    }

    // MARK: - Chunks

    func finishChunk(into file: inout WriteBuffer) throws -> (ColumnChunkMetaData, ColumnChunkPageIndex) {
        try cutPage()
        let chunkStart = file.count
        var compressedSize = chunkPages.count
        var uncompressedSize = chunkUncompressedSize
        var chunk = ColumnChunkMetaData()
        if dictionaryPageCount > 0 {
            body.removeAll()
            encoder.writeDictionary(into: &body)
            let kind = PageHeader.Kind.dictionary(
                valueCount: encoder.dictionaryCount, encoding: ParquetEncoding.plain.rawValue)
            let sizes = try writePage(kind, into: &file)
            compressedSize += sizes.compressed
            uncompressedSize += sizes.uncompressed
            chunk.dictionaryPageOffset = Int64(chunkStart)
        }
        chunk.dataPageOffset = Int64(file.count)
        let chunkPageIndex = pageIndex.finish(dataPageOffset: file.count) { [encoder] in encoder.comparePlain($0, $1) }
        file.append(chunkPages)

        var encodings: Set<ParquetEncoding> = []
        if dictionaryPageCount > 0 { encodings.formUnion([.plain, .rleDictionary]) }
        if plainPageCount > 0 { encodings.insert(.plain) }
        if isOptional { encodings.insert(.rle) }
        chunk.encodings = encodings.map(\.rawValue).sorted()
        chunk.encodingStats = encodingStats
        chunk.physicalType = physicalType
        chunk.pathInSchema = [name]
        chunk.codec = compressor.compression.codec.rawValue
        chunk.valueCount = Int64(chunkRows)
        chunk.totalCompressedSize = Int64(compressedSize)
        chunk.totalUncompressedSize = Int64(uncompressedSize)
        var statistics = StatisticsMetaData()
        statistics.nullCount = Int64(chunkNulls)
        if let bounds = encoder.takeChunkBounds(),
            bounds.min.count <= Self.maximumStatisticsBytes, bounds.max.count <= Self.maximumStatisticsBytes
        {
            statistics.minValue = bounds.min
            statistics.maxValue = bounds.max
        }
        chunk.statistics = statistics

        fileMetrics.valueCount += Int64(chunkRows)
        fileMetrics.nullCount += Int64(chunkNulls)
        fileMetrics.compressedSize += Int64(compressedSize)

        chunkPages.removeAll()
        chunkUncompressedSize = 0
        chunkRows = 0
        chunkNulls = 0
        dictionaryPageCount = 0
        plainPageCount = 0
        encoder.clearDictionary()
        usesDictionary = options.dictionary && encoder.supportsDictionary
        return (chunk, chunkPageIndex)
    }

    /// What the chunk's pages are and how they are encoded, so readers know without reading them
    /// whether the dictionary holds every value (dictionary filtering needs that).
    private var encodingStats: [ColumnChunkMetaData.PageEncodingStats] {
        var stats: [ColumnChunkMetaData.PageEncodingStats] = []
        if dictionaryPageCount > 0 {
            stats.append(
                .init(
                    pageType: ParquetPageType.dictionaryPage.rawValue, encoding: ParquetEncoding.plain.rawValue,
                    count: 1))
            stats.append(
                .init(
                    pageType: ParquetPageType.dataPage.rawValue, encoding: ParquetEncoding.rleDictionary.rawValue,
                    count: Int32(clamping: dictionaryPageCount)))
        }
        if plainPageCount > 0 {
            stats.append(
                .init(
                    pageType: ParquetPageType.dataPage.rawValue, encoding: ParquetEncoding.plain.rawValue,
                    count: Int32(clamping: plainPageCount)))
        }
        return stats
    }

    var metrics: ColumnMetrics {
        var metrics = fileMetrics
        metrics.nanCount = Int64(encoder.nanCount)
        metrics.bounds = encoder.fileBounds
        return metrics
    }
}
