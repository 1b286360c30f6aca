/// A Parquet decoding failure before it knows which file it is in.
///
/// Decoders deep inside the reader throw this with the problem alone; `ParquetFile` and
/// `ParquetRowGroupReader` catch it and rethrow `LakehouseError.corrupt` naming the file and column.
struct ParquetFormatError: Error, Sendable {
    let problem: String

    init(_ problem: String) { self.problem = problem }
}

extension LakehouseError {
    /// A corrupt-data error for `location`, naming the column when one is known.
    static func corruptParquet(_ location: String, column: String?, _ problem: String) -> LakehouseError {
        guard let column else { return .corrupt(location, problem) }
        return .corrupt(location, "column \"\(column)\": \(problem)")
    }
}
