/// Reads an Avro object container file held in memory: header, metadata, blocks and sync markers.
///
/// The whole file is decoded at once into `AvroValue`s, which suits manifests and manifest lists.
/// Corrupt or truncated input throws `XX001` naming `location`; an unknown codec throws `0A000`.
public struct AvroContainerReader: Sendable {
    /// The file's metadata map (`avro.schema`, `avro.codec` and writer entries such as Iceberg's
    /// `format-version` or `partition-spec`).
    public let metadata: [String: [UInt8]]
    /// The writer's schema from `avro.schema`.
    public let schema: AvroSchema
    public let codec: AvroCodec
    /// Every datum in the file, in order.
    public let values: [AvroValue]

    static let magic: [UInt8] = [0x4F, 0x62, 0x6A, 0x01]  // ascii: Obj\x01

    /// Decodes the container file `bytes` read from `location`.
    public init(bytes: [UInt8], location: String) throws {
        var decoder = AvroBinaryDecoder(bytes, location: location)
        guard bytes.count >= 4, Array(bytes[0..<4]) == Self.magic else {
            throw LakehouseError.corrupt(location, "not an Avro object container file (bad magic)")
        }
        _ = try decoder.readBytes(count: 4)
        var metadata: [String: [UInt8]] = [:]
        guard case .map(let entries) = try decoder.read(.map(.bytes(logicalType: nil))) else {
            throw decoder.corrupt("Avro header has no metadata map")
        }
        for (key, value) in entries { metadata[key] = value.byteArray ?? [] }
        let sync = try decoder.readBytes(count: 16)
        guard let schemaJSON = metadata["avro.schema"] else {
            throw LakehouseError.corrupt(location, "Avro header has no avro.schema")
        }
        let schema = try AvroSchemaParser.parse(schemaJSON, location: location)
        let codecName = metadata["avro.codec"].map { String(decoding: $0, as: UTF8.self) } ?? "null"
        let codec = try AvroCodec.named(codecName, location: location)

        var values: [AvroValue] = []
        while !decoder.isAtEnd {
            let count = try decoder.readLong()
            let size = try decoder.readLength()
            guard count >= 0 else { throw decoder.corrupt("negative Avro block count") }
            let block = try codec.decompress(try decoder.readBytes(count: size), location: location)
            var blockDecoder = AvroBinaryDecoder(block, location: location)
            for _ in 0..<count { values.append(try blockDecoder.read(schema)) }
            guard blockDecoder.isAtEnd else { throw blockDecoder.corrupt("Avro block has trailing bytes") }
            guard try decoder.readBytes(count: 16) == sync else { throw decoder.corrupt("Avro sync marker mismatch") }
        }
        self.metadata = metadata
        self.schema = schema
        self.codec = codec
        self.values = values
    }

    /// A metadata entry as UTF-8 text.
    public func metadataString(_ key: String) -> String? {
        metadata[key].map { String(decoding: $0, as: UTF8.self) }
    }
}
