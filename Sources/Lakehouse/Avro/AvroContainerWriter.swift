/// Writes an Avro object container file in memory: the header (magic, metadata with `avro.schema`
/// and `avro.codec`, a random sync marker), then blocks of encoded values, each followed by the
/// marker. `AvroContainerReader` and other Avro readers read the result.
///
/// Values are encoded as they are appended; a block is closed once its uncompressed bytes reach
/// `blockSize`, and `finish()` closes the last one.
public struct AvroContainerWriter: Sendable {
    /// The schema every appended value is written with.
    public let schema: AvroSchema
    /// The caller's metadata entries, written beside `avro.schema` and `avro.codec`.
    public let metadata: [String: String]
    public let codec: AvroCodec
    /// The uncompressed size at which a block is closed and a new one started.
    public let blockSize: Int
    /// The 16 bytes written after the header and after every block.
    public let syncMarker: [UInt8]

    private var closedBlocks = AvroBinaryEncoder()
    private var openBlock = AvroBinaryEncoder()
    private var openBlockCount = 0

    /// A writer for values of `schema`.
    ///
    /// - Parameters:
    ///   - metadata: entries for the header, such as Iceberg's `format-version`; keys starting
    ///     with `avro.` are reserved and make `finish()` throw.
    ///   - blockSize: uncompressed bytes per block; the default suits manifests.
    public init(schema: AvroSchema, metadata: [String: String], codec: AvroCodec = .deflate, blockSize: Int = 64 * 1024)
    {
        self.schema = schema
        self.metadata = metadata
        self.codec = codec
        self.blockSize = max(1, blockSize)
        var generator = SystemRandomNumberGenerator()
        self.syncMarker = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// Encodes `value` into the open block; `22000` naming the part of `value` that does not fit
    /// the schema, in which case nothing is appended.
    public mutating func append(_ value: AvroValue) throws {
        try openBlock.write(value, as: schema)
        openBlockCount += 1
        if openBlock.bytes.count >= blockSize {
            try Self.writeBlock(
                openBlock.bytes, count: openBlockCount, codec: codec, sync: syncMarker, to: &closedBlocks)
            openBlock = AvroBinaryEncoder()
            openBlockCount = 0
        }
    }

    /// The complete file: header, the blocks closed so far and the open one.
    public func finish() throws -> [UInt8] {
        if let reserved = metadata.keys.sorted().first(where: { $0.hasPrefix("avro.") }) {
            throw LakehouseError.cannotWrite(
                "an Avro container file", "metadata key \"\(reserved)\" is reserved for the Avro format")
        }
        var file = AvroBinaryEncoder()
        file.writeRaw(AvroContainerReader.magic)
        var entries = metadata.mapValues { Array($0.utf8) }
        entries["avro.schema"] = try AvroSchemaWriter.json(schema)
        entries["avro.codec"] = Array(codec.rawValue.utf8)
        file.writeLong(Int64(entries.count))
        for key in entries.keys.sorted() {
            file.writeString(key)
            file.writeByteArray(entries[key]!)
        }
        file.writeLong(0)
        file.writeRaw(syncMarker)
        file.writeRaw(closedBlocks.bytes)
        if openBlockCount > 0 {
            try Self.writeBlock(openBlock.bytes, count: openBlockCount, codec: codec, sync: syncMarker, to: &file)
        }
        return file.bytes
    }

    /// One block: the value count, the compressed byte size, the compressed values, the marker.
    private static func writeBlock(
        _ values: [UInt8], count: Int, codec: AvroCodec, sync: [UInt8], to output: inout AvroBinaryEncoder
    ) throws {
        let compressed = try codec.compress(values)
        output.writeLong(Int64(count))
        output.writeByteArray(compressed)
        output.writeRaw(sync)
    }
}
