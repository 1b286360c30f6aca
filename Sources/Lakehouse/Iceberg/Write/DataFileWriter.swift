import Engine
import Foundation

/// Turns the rows of a write into Parquet data files under a table's `data/` folder: one open
/// file per partition, each rolled over at the target size, uploaded as it is finished. When the
/// open files together pass `openFilesBudget` bytes (a write touching many partitions), the
/// largest is finished early, so memory stays bounded at the cost of smaller files.
///
/// Rows arrive as engine batches whose columns follow the table schema's top-level fields. The
/// result is the `DataFile` entries a commit adds; files of a write that is abandoned are removed
/// by `abort()`.
public final class DataFileWriter {
    private let schema: IcebergSchema
    private let spec: PartitionSpec
    private let store: any ObjectStore
    private let dataLocation: String
    private let options: ParquetWriterOptions
    private let targetFileBytes: Int
    private let openFilesBudget: Int
    /// A prefix shared by this write's file names, so concurrent writers never collide.
    private let writeID = UUID().uuidString.lowercased()
    private var open: [[Value]: ParquetFileWriter] = [:]
    /// Each open file's size when last written to, and their sum.
    private var openSizes: [[Value]: Int] = [:]
    private var openBytes = 0
    private var written: [DataFile] = []
    private var fileCount = 0
    /// Per partition field: the index of its source column in the schema, and its source type.
    private let partitionSources: [(column: Int, type: IcebergType)]

    /// `tableLocation` is the table's base location; `properties` may set
    /// `write.target-file-size-bytes`, `write.parquet.compression-codec`,
    /// `write.parquet.compression-level`, `write.parquet.row-group-size-bytes` and
    /// `write.parquet.page-size-bytes` as Iceberg defines them.
    public init(
        schema: IcebergSchema, spec: PartitionSpec, tableLocation: String, properties: [String: String],
        store: any ObjectStore,
        openFilesBudget: Int = 512 << 20
    ) throws {
        self.openFilesBudget = openFilesBudget
        self.schema = schema
        self.spec = spec
        self.store = store
        self.dataLocation = Self.dataLocation(tableLocation: tableLocation, properties: properties)
        self.options = try ParquetWriterOptions(tableProperties: properties)
        self.targetFileBytes =
            properties["write.target-file-size-bytes"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil } ?? 128 << 20
        self.partitionSources = try spec.fields.map { field in
            guard let index = schema.fields.firstIndex(where: { $0.id == field.sourceID }) else {
                throw LakehouseError.unsupported(
                    "partition field \"\(field.name)\" reads field \(field.sourceID), which is not a top-level column")
            }
            return (index, schema.fields[index].type)
        }
    }

    /// Where a table's data (and delete) files go: `write.data.path`, or `data/` under the table.
    static func dataLocation(tableLocation: String, properties: [String: String]) -> String {
        let base = tableLocation.hasSuffix("/") ? String(tableLocation.dropLast()) : tableLocation
        return properties["write.data.path"] ?? base + "/data"
    }

    /// Adds rows to the files of their partitions.
    public func write(_ batch: Batch) async throws {
        guard batch.rowCount > 0 else { return }
        if spec.isUnpartitioned {
            try await append(batch, partition: [])
            return
        }
        let groups = try partitionGroups(of: batch)
        for group in groups {
            try await append(
                group.rows.count == batch.rowCount ? batch : batch.gather(group.rows), partition: group.partition)
        }
    }

    /// The batch's rows grouped by partition, groups in order of first appearance. Works field by
    /// field over whole columns: each row's transformed value becomes a small id among the field's
    /// distinct values, and the ids of all fields fold into one group id per row, so no row builds
    /// a partition tuple of its own.
    func partitionGroups(of batch: Batch) throws -> [(partition: [Value], rows: [Int32])] {
        let rowCount = batch.rowCount
        var groupOfRow = [Int](repeating: 0, count: rowCount)
        var groupCount = 1
        var distinctValues: [[Value]] = []
        var fieldIDs: [[Int32]] = []
        for (field, source) in zip(spec.fields, partitionSources) {
            let column = batch.columns[source.column]
            var idByValue: [Value: Int32] = [:]
            var values: [Value] = []
            var ids = [Int32](repeating: 0, count: rowCount)
            for row in 0..<rowCount {
                guard let partition = field.transform.apply(column.value(at: row), source: source.type) else {
                    throw LakehouseError.unsupported(
                        "partition transform \(field.transform) of a \(source.type) column (partition field \"\(field.name)\")"
                    )
                }
                if let id = idByValue[partition] {
                    ids[row] = id
                } else {
                    let id = Int32(values.count)
                    idByValue[partition] = id
                    values.append(partition)
                    ids[row] = id
                }
            }
            // Fold this field's ids into the group ids, renumbering densely so they stay below rowCount.
            var renumbered: [Int: Int] = [:]
            for row in 0..<rowCount {
                let combined = groupOfRow[row] * values.count + Int(ids[row])
                if let group = renumbered[combined] {
                    groupOfRow[row] = group
                } else {
                    let group = renumbered.count
                    renumbered[combined] = group
                    groupOfRow[row] = group
                }
            }
            groupCount = renumbered.count
            distinctValues.append(values)
            fieldIDs.append(ids)
        }
        var rowsOfGroup = [[Int32]](repeating: [], count: groupCount)
        for row in 0..<rowCount { rowsOfGroup[groupOfRow[row]].append(Int32(row)) }
        return rowsOfGroup.map { rows in
            let first = Int(rows[0])
            return (distinctValues.indices.map { distinctValues[$0][Int(fieldIDs[$0][first])] }, rows)
        }
    }

    private func append(_ rows: Batch, partition: [Value]) async throws {
        let writer: ParquetFileWriter
        if let existing = open[partition] {
            writer = existing
        } else {
            writer = try ParquetFileWriter(schema: schema, options: options)
            open[partition] = writer
        }
        try writer.write(rows)
        let size = writer.estimatedSize
        openBytes += size - (openSizes[partition] ?? 0)
        openSizes[partition] = size
        if size >= targetFileBytes {
            try await finishEarly(partition)
        }
        while openBytes > openFilesBudget, open.count > 1, let largest = openSizes.max(by: { $0.value < $1.value })?.key
        {
            try await finishEarly(largest)
        }
    }

    /// Uploads the open file of `partition` now; its next rows start a new file.
    private func finishEarly(_ partition: [Value]) async throws {
        guard let writer = open.removeValue(forKey: partition) else { return }
        openBytes -= openSizes.removeValue(forKey: partition) ?? 0
        try await upload(writer, partition: partition)
    }

    /// Finishes every open file and returns all files written, in the order they were finished.
    public func finish() async throws -> [DataFile] {
        let remaining = open.sorted { $0.key.description < $1.key.description }
        open = [:]
        openSizes = [:]
        openBytes = 0
        for (partition, writer) in remaining { try await upload(writer, partition: partition) }
        return written
    }

    /// Removes the files written so far (after a failed write or commit); best effort.
    public func abort() async {
        open = [:]
        openSizes = [:]
        openBytes = 0
        for file in written { try? await store.delete(file.filePath) }
        written = []
    }

    private func upload(_ writer: ParquetFileWriter, partition: [Value]) async throws {
        let file = try writer.finish()
        guard file.recordCount > 0 else { return }
        let location =
            dataLocation + "/" + partitionPath(partition) + String(format: "%05d", fileCount) + "-0-" + writeID
            + ".parquet"
        fileCount += 1
        try await store.write(location, bytes: file.bytes)
        written.append(
            DataFile(
                content: .data, filePath: location, fileFormat: "PARQUET", specID: spec.specID, partition: partition,
                recordCount: file.recordCount, fileSizeInBytes: Int64(file.bytes.count), columnSizes: file.columnSizes,
                valueCounts: file.valueCounts, nullValueCounts: file.nullValueCounts,
                nanValueCounts: file.nanValueCounts,
                lowerBounds: file.lowerBounds, upperBounds: file.upperBounds, splitOffsets: file.splitOffsets))
    }

    /// `name=value/...` for a partitioned file, as Iceberg writers lay files out (values escaped).
    private func partitionPath(_ partition: [Value]) -> String {
        guard !partition.isEmpty else { return "" }
        return zip(spec.fields, zip(partition, partitionSources)).map { field, pair in
            let (value, source) = pair
            let text = Self.partitionText(
                value, type: field.transform.resultType(source: source.type), transform: field.transform)
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_.~"))
            let escaped = text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
            return field.name + "=" + escaped + "/"
        }.joined()
    }

    /// A partition value as Iceberg's human-readable form (`2024-03-01` for a day, `2024-03` for
    /// a month, `null` for NULL).
    public static func partitionText(_ value: Value, type: IcebergType, transform: PartitionTransform) -> String {
        switch (value, transform) {
        case (.null, _): return "null"
        case (.int32(let number), .year): return String(1970 + Int(number))
        case (.int32(let number), .month):
            let (years, month) = Int64(number).floorDividedAndRemainder(by: 12)
            return String(format: "%04d-%02d", 1970 + Int(years), Int(month) + 1)
        case (.int32(let number), .day): return civilDate(Int64(number))
        case (.int32(let number), .hour):
            let (days, hour) = Int64(number).floorDividedAndRemainder(by: 24)
            return civilDate(days) + String(format: "-%02d", Int(hour))
        case (.int32(let number), _):
            return type == .date ? civilDate(Int64(number)) : String(number)
        case (.int16(let number), _): return String(number)
        case (.int64(let number), _): return String(number)
        case (.bool(let flag), _): return flag ? "true" : "false"
        case (.bytes(let bytes), _):
            return type == .string
                ? String(decoding: bytes, as: UTF8.self) : bytes.map { String(format: "%02x", $0) }.joined()
        case (.decimal(let unscaled), _):
            guard case .decimal(_, let scale) = type, scale > 0 else { return String(unscaled) }
            let magnitude = String(unscaled.magnitude)
            let padded = String(repeating: "0", count: max(0, scale + 1 - magnitude.count)) + magnitude
            return (unscaled < 0 ? "-" : "") + padded.dropLast(scale) + "." + padded.suffix(scale)
        default: return String(describing: value)
        }
    }

    private static func civilDate(_ days: Int64) -> String {
        let date = CivilDate.components(days: Int(days))
        return String(format: "%04d-%02d-%02d", date.year, date.month, date.day)
    }
}

extension ParquetWriterOptions {
    /// The options a table's `write.parquet.*` properties ask for.
    init(tableProperties properties: [String: String]) throws {
        self.init()
        if let codec = properties["write.parquet.compression-codec"] {
            switch codec.lowercased() {
            case "zstd": compression = .zstd
            case "snappy": compression = .snappy
            case "gzip": compression = .gzip
            case "uncompressed", "none": compression = .uncompressed
            default: throw LakehouseError.unsupported("write.parquet.compression-codec \"\(codec)\"")
            }
        }
        if let level = properties["write.parquet.compression-level"].flatMap(Int32.init) { zstdLevel = level }
        if let bytes = properties["write.parquet.row-group-size-bytes"].flatMap(Int.init), bytes > 0 {
            rowGroupBytes = bytes
        }
        if let bytes = properties["write.parquet.page-size-bytes"].flatMap(Int.init), bytes > 0 { pageBytes = bytes }
    }
}
