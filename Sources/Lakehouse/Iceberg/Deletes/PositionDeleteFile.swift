import Engine

/// The rows one position delete file deletes in the data files a scan reads: for each data file
/// location (as UTF-8 bytes, compared exactly), its row positions in the order the file lists them.
///
/// A position delete file (spec "Position Delete Files") has the columns `file_path` and `pos` and
/// may hold rows for many data files, sorted by path then position. Rows for data files the scan
/// does not read are dropped while loading, and row groups whose `file_path` statistics rule out
/// every wanted data file are not read at all.
struct PositionDeleteFile: Sendable {
    /// The reserved field of the data file's location.
    static let filePathField = NestedField(id: 2_147_483_546, name: "file_path", type: .string, required: true)
    /// The reserved field of the 0-based row position in the data file.
    static let positionField = NestedField(id: 2_147_483_545, name: "pos", type: .long, required: true)

    let positionsByDataFile: [[UInt8]: [Int64]]

    /// Reads the positions `file` deletes in the data files at `dataFiles` (locations as UTF-8).
    static func load(_ file: DataFile, for dataFiles: Set<[UInt8]>, store: any ObjectStore) async throws
        -> PositionDeleteFile
    {
        let parquet = try await ParquetFile.open(file.filePath, in: store)
        let leaves = parquet.schema.leafIndexes(of: [filePathField, positionField])
        guard let pathLeaf = leaves[0], let positionLeaf = leaves[1] else {
            throw LakehouseError.corrupt(
                file.filePath, "position delete file has no \(leaves[0] == nil ? "file_path" : "pos") column")
        }
        let reader = ParquetRowGroupReader(file: parquet, store: store)
        let wanted = Array(dataFiles)
        var positions: [[UInt8]: [Int64]] = [:]
        for rowGroup in 0..<parquet.rowGroupCount
        where mayHold(wanted, parquet.statistics(rowGroup: rowGroup, column: pathLeaf)) {
            let columns = try await reader.read(rowGroup: rowGroup, columns: [pathLeaf, positionLeaf])
            guard case .bytes(let offsets, let data) = columns[0].storage, case .int64(let rows) = columns[1].storage
            else {
                throw LakehouseError.corrupt(
                    file.filePath, "position delete file's file_path is not a string or its pos not a long")
            }
            guard !columns[0].hasNulls, !columns[1].hasNulls else {
                throw LakehouseError.corrupt(file.filePath, "position delete file has a NULL file_path or pos")
            }
            collect(offsets: offsets, data: data, rows: rows, wanted: dataFiles, into: &positions)
        }
        return PositionDeleteFile(positionsByDataFile: positions)
    }

    /// False when the row group's `file_path` bounds lie between two wanted paths (or outside all).
    private static func mayHold(_ wanted: [[UInt8]], _ statistics: ParquetColumnStatistics?) -> Bool {
        guard let statistics, let lower = statistics.min, let upper = statistics.max else { return true }
        return wanted.contains { path in
            (ValueOrdering.compare(.bytes(path), lower) ?? 0) >= 0
                && (ValueOrdering.compare(.bytes(path), upper) ?? 0) <= 0
        }
    }

    /// Appends the positions of each run of equal paths whose path is wanted, building one path
    /// key per run rather than per row.
    private static func collect(
        offsets: [Int32], data: [UInt8], rows: [Int64], wanted: Set<[UInt8]>, into positions: inout [[UInt8]: [Int64]]
    ) {
        let count = rows.count
        offsets.withUnsafeBufferPointer { offsets in
            data.withUnsafeBufferPointer { data in
                var runStart = 0
                while runStart < count {
                    let start = Int(offsets[runStart])
                    let end = Int(offsets[runStart + 1])
                    var runEnd = runStart + 1
                    while runEnd < count,
                        equal(data, start, end, Int(offsets[runEnd]), Int(offsets[runEnd + 1]))
                    {
                        runEnd += 1
                    }
                    let path = Array(UnsafeBufferPointer(rebasing: data[start..<end]))
                    if wanted.contains(path) { positions[path, default: []] += rows[runStart..<runEnd] }
                    runStart = runEnd
                }
            }
        }
    }

    @inline(__always)
    private static func equal(
        _ data: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ otherStart: Int, _ otherEnd: Int
    )
        -> Bool
    {
        let length = end - start
        guard length == otherEnd - otherStart else { return false }
        return length == 0 || memcmp(data.baseAddress! + start, data.baseAddress! + otherStart, length) == 0
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
