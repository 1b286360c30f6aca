import Engine
import Foundation

/// Writes the position delete files of a merge-on-read DELETE, UPDATE or MERGE: for the rows
/// removed from each data file, a Parquet file per partition listing `(file_path, pos)` sorted by
/// location then position, as the Iceberg spec asks. Each delete file carries the partition (and
/// spec) of the data files it names, so readers apply it only there; its column statistics bound
/// the locations it names.
public final class PositionDeleteWriter {
    private let store: any ObjectStore
    private let dataLocation: String
    private let options: ParquetWriterOptions
    /// A prefix shared by this write's file names, so concurrent writers never collide.
    private let writeID = UUID().uuidString.lowercased()
    private var written: [DataFile] = []

    /// Rows handed to the Parquet writer at once.
    private static let batchRows = 1 << 20

    static let schema = IcebergSchema(
        schemaID: 0, fields: [PositionDeleteFile.filePathField, PositionDeleteFile.positionField])

    /// `properties` are the table's: `write.data.path` and the `write.parquet.*` options apply.
    public init(tableLocation: String, properties: [String: String], store: any ObjectStore) throws {
        self.store = store
        self.dataLocation = DataFileWriter.dataLocation(tableLocation: tableLocation, properties: properties)
        self.options = try ParquetWriterOptions(tableProperties: properties)
    }

    /// Writes the delete files removing `positions` (ascending) from each data file; returns them.
    public func write(_ deletes: [(dataFile: DataFile, positions: [Int64])]) async throws -> [DataFile] {
        let groups = Dictionary(grouping: deletes.filter { !$0.positions.isEmpty }) {
            PartitionKey(specID: $0.dataFile.specID, partition: $0.dataFile.partition)
        }
        var files: [DataFile] = []
        for (key, group) in groups.sorted(by: { $0.key.description < $1.key.description }) {
            let sorted = group.sorted { $0.dataFile.filePath < $1.dataFile.filePath }
            let writer = try ParquetFileWriter(schema: Self.schema, options: options)
            // The location column as offsets and bytes, each location repeated for its positions,
            // in batches of at most a million rows.
            var offsets: [Int32] = [0]
            var bytes: [UInt8] = []
            var positions: [Int64] = []
            func flush() throws {
                guard !positions.isEmpty else { return }
                try writer.write(
                    Batch(
                        columns: [
                            Column(
                                type: .text, count: positions.count, validity: nil,
                                storage: .bytes(offsets: offsets, data: bytes)),
                            Column(type: .int64, count: positions.count, validity: nil, storage: .int64(positions)),
                        ], rowCount: positions.count))
                (offsets, bytes, positions) = ([0], [], [])
            }
            for (dataFile, filePositions) in sorted {
                let path = Array(dataFile.filePath.utf8)
                for position in filePositions {
                    bytes += path
                    offsets.append(Int32(bytes.count))
                    positions.append(position)
                    if positions.count == Self.batchRows { try flush() }
                }
            }
            try flush()
            let file = try writer.finish()
            let location =
                dataLocation + "/" + String(format: "%05d", written.count) + "-deletes-" + writeID + ".parquet"
            try await store.write(location, bytes: file.bytes)
            let deleteFile = DataFile(
                content: .positionDeletes, filePath: location, fileFormat: "PARQUET", specID: key.specID,
                partition: key.partition,
                recordCount: file.recordCount, fileSizeInBytes: Int64(file.bytes.count), columnSizes: file.columnSizes,
                valueCounts: file.valueCounts, nullValueCounts: file.nullValueCounts,
                nanValueCounts: file.nanValueCounts,
                lowerBounds: file.lowerBounds, upperBounds: file.upperBounds, splitOffsets: file.splitOffsets)
            written.append(deleteFile)
            files.append(deleteFile)
        }
        return files
    }

    /// Removes the files written so far (after a failed commit); best effort.
    public func abort() async {
        for file in written { try? await store.delete(file.filePath) }
        written = []
    }

    /// The partition a delete file belongs to.
    private struct PartitionKey: Hashable, CustomStringConvertible {
        let specID: Int
        let partition: [Value]
        var description: String { "\(specID)/\(partition)" }
    }
}
