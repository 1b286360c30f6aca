/// Page compression for new Parquet files.
public enum ParquetWriterCompression: Sendable, Equatable {
    case uncompressed
    case snappy
    case gzip
    case zstd

    /// The codec as the footer records it.
    var codec: ParquetCompressionCodec {
        switch self {
        case .uncompressed: return .uncompressed
        case .snappy: return .snappy
        case .gzip: return .gzip
        case .zstd: return .zstd
        }
    }
}

/// Options for new Parquet files.
public struct ParquetWriterOptions: Sendable {
    /// How every page is compressed.
    public var compression: ParquetWriterCompression = .zstd
    /// The zstd level (1 fast ... 19 small) when `compression` is `.zstd`.
    public var zstdLevel: Int32 = 3
    /// Target uncompressed bytes per row group; a row group is closed once its pages reach this.
    public var rowGroupBytes: Int = 128 << 20
    /// Target uncompressed bytes per data page.
    public var pageBytes: Int = 1 << 20
    /// Dictionary-encode columns while the dictionary pays: a column chunk falls back to PLAIN when
    /// its dictionary grows past `dictionaryPageBytes` or does not shrink its first page.
    public var dictionary: Bool = true

    /// Largest dictionary page (PLAIN-encoded entries) before the column falls back to PLAIN.
    var dictionaryPageBytes: Int = 1 << 20
    /// Rows per data page at most, whatever their bytes: a page of dictionary indices for a column
    /// of few values would otherwise hold millions of rows, and the page index could skip nothing
    /// (parquet-mr and arrow-rs cut pages at 20 000 rows too).
    var maximumPageRows: Int = 20_000

    public init() {}
}
