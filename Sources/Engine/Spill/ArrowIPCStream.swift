/// Batches in the Arrow IPC streaming format (a schema message, record batch messages, an
/// end-of-stream marker), as operators spill them to disk. Any Arrow reader can open the files:
/// numbers, dates, times, timestamps, intervals (month-day-nano), text and binary, lists, with
/// validity bitmaps; booleans are bit-packed on the way out and widened to bytes on the way in.
/// Values whose layout Arrow does not share (numerics with a per-value scale) travel as 16-byte
/// fixed-size binary.
enum ArrowIPCStream {
    /// `MetadataVersion.V5`.
    static let metadataVersion: Int16 = 4
    static let continuation: UInt32 = 0xFFFF_FFFF

    enum HeaderType: UInt8 { case schema = 1, recordBatch = 3 }

    /// The `Type` union's members Weir writes.
    enum TypeTag: UInt8 {
        case int = 2, floatingPoint = 3, binary = 4, utf8 = 5, bool = 6, decimal = 7, date = 8, time = 9, timestamp = 10
        case interval = 11, list = 12, fixedSizeBinary = 15
    }

    // MARK: Writing

    /// The schema message for columns of `types`.
    static func schemaMessage(_ types: [DataType]) -> [UInt8] {
        var builder = FlatBufferBuilder()
        let fields = types.enumerated().map { index, type in field(type, name: "c\(index)", in: &builder) }
        let fieldVector = builder.createOffsetVector(fields)
        builder.startTable()
        builder.addOffset(slot: 1, to: fieldVector)
        let schema = builder.endTable()
        return encapsulate(message(.schema, header: schema, bodyLength: 0, builder: &builder), body: [])
    }

    private static func field(_ type: DataType, name: String, in builder: inout FlatBufferBuilder) -> Int {
        let nameString = builder.createString(name)
        var children: Int?
        if case .array(let element) = type {
            children = builder.createOffsetVector([field(element, name: "item", in: &builder)])
        }
        let (tag, typeTable) = arrowType(type, in: &builder)
        builder.startTable()
        builder.addOffset(slot: 0, to: nameString)
        builder.add(slot: 1, UInt8(1))
        builder.add(slot: 2, tag.rawValue)
        builder.addOffset(slot: 3, to: typeTable)
        if let children { builder.addOffset(slot: 5, to: children) }
        return builder.endTable()
    }

    private static func arrowType(_ type: DataType, in builder: inout FlatBufferBuilder) -> (TypeTag, Int) {
        func table(_ tag: TypeTag, _ fields: (inout FlatBufferBuilder) -> Void = { _ in }) -> (TypeTag, Int) {
            builder.startTable()
            fields(&builder)
            return (tag, builder.endTable())
        }
        switch type.storageKind {
        case .bool: return table(.bool)
        case .int16:
            return table(.int) {
                $0.add(slot: 0, Int32(16)); $0.add(slot: 1, UInt8(1))
            }
        case .uint32:
            return table(.int) {
                $0.add(slot: 0, Int32(32)); $0.add(slot: 1, UInt8(0))
            }
        case .int32 where type == .date: return table(.date) { $0.add(slot: 0, Int16(0)) }
        case .int32:
            return table(.int) {
                $0.add(slot: 0, Int32(32)); $0.add(slot: 1, UInt8(1))
            }
        case .int64:
            switch type {
            case .time:
                return table(.time) {
                    $0.add(slot: 0, Int16(2)); $0.add(slot: 1, Int32(64))
                }
            case .timestamp: return table(.timestamp) { $0.add(slot: 0, Int16(2)) }
            case .timestamptz:
                let zone = builder.createString("UTC")
                return table(.timestamp) {
                    $0.add(slot: 0, Int16(2)); $0.addOffset(slot: 1, to: zone)
                }
            default:
                return table(.int) {
                    $0.add(slot: 0, Int32(64)); $0.add(slot: 1, UInt8(1))
                }
            }
        case .float32: return table(.floatingPoint) { $0.add(slot: 0, Int16(1)) }
        case .float64: return table(.floatingPoint) { $0.add(slot: 0, Int16(2)) }
        case .decimal:
            if case .numeric(let precision, let scale?) = type {
                return table(.decimal) {
                    $0.add(slot: 0, Int32(precision ?? 38))
                    $0.add(slot: 1, Int32(scale))
                    $0.add(slot: 2, Int32(128))
                }
            }
            return table(.fixedSizeBinary) { $0.add(slot: 0, Int32(16)) }
        case .interval: return table(.interval) { $0.add(slot: 0, Int16(2)) }
        case .bytes: return table(type == .bytea ? .binary : .utf8)
        case .array: return table(.list)
        }
    }

    private static func message(_ type: HeaderType, header: Int, bodyLength: Int, builder: inout FlatBufferBuilder)
        -> [UInt8]
    {
        builder.startTable()
        builder.add(slot: 3, Int64(bodyLength))
        builder.addOffset(slot: 2, to: header)
        builder.add(slot: 0, metadataVersion)
        builder.add(slot: 1, type.rawValue)
        let message = builder.endTable()
        return builder.finish(root: message)
    }

    /// Continuation marker, metadata length, metadata padded to 8 bytes, then the body.
    private static func encapsulate(_ metadata: [UInt8], body: [UInt8]) -> [UInt8] {
        let padded = (metadata.count + 7) & ~7
        var out: [UInt8] = []
        out.reserveCapacity(8 + padded + body.count)
        appendLittleEndian(continuation, to: &out)
        appendLittleEndian(UInt32(padded), to: &out)
        out += metadata
        out += repeatElement(0, count: padded - metadata.count)
        out += body
        return out
    }

    /// The end-of-stream marker.
    static let endOfStream: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]

    /// One record batch message holding `batch`.
    static func recordBatchMessage(_ batch: Batch) -> [UInt8] {
        var nodes: [[Int64]] = []
        var buffers: [[Int64]] = []
        var body: [UInt8] = []
        func addBuffer(_ bytes: [UInt8]) {
            buffers.append([Int64(body.count), Int64(bytes.count)])
            body += bytes
            body += repeatElement(0, count: (8 - bytes.count % 8) % 8)
        }
        func addColumn(_ column: Column) {
            nodes.append([Int64(column.count), Int64(column.validity?.nullCount ?? 0)])
            if let validity = column.validity, validity.nullCount > 0 {
                var bytes = [UInt8](repeating: 0, count: (column.count + 7) / 8)
                for index in bytes.indices {
                    bytes[index] = UInt8(truncatingIfNeeded: validity.words[index / 8] >> (8 * (index % 8)))
                }
                addBuffer(bytes)
            } else {
                addBuffer([])
            }
            switch column.storage {
            case .bool(let values):
                var bits = [UInt8](repeating: 0, count: (values.count + 7) / 8)
                for (index, value) in values.enumerated() where value != 0 { bits[index / 8] |= 1 << (index % 8) }
                addBuffer(bits)
            case .int16(let values): addBuffer(rawBytes(values))
            case .int32(let values): addBuffer(rawBytes(values))
            case .uint32(let values): addBuffer(rawBytes(values))
            case .int64(let values): addBuffer(rawBytes(values))
            case .float32(let values): addBuffer(rawBytes(values))
            case .float64(let values): addBuffer(rawBytes(values))
            case .decimal(let values): addBuffer(rawBytes(values))
            case .interval(let values):
                var bytes: [UInt8] = []
                bytes.reserveCapacity(values.count * 16)
                for value in values {
                    appendLittleEndian(value.months, to: &bytes)
                    appendLittleEndian(value.days, to: &bytes)
                    appendLittleEndian(value.microseconds &* 1000, to: &bytes)
                }
                addBuffer(bytes)
            case .bytes(let offsets, let data):
                addBuffer(rawBytes(offsets))
                addBuffer(data)
            case .array(let offsets, let elements):
                addBuffer(rawBytes(offsets))
                addColumn(elements.column)
            }
        }
        for column in batch.columns { addColumn(column) }
        var builder = FlatBufferBuilder()
        let bufferVector = builder.createInt64StructVector(buffers)
        let nodeVector = builder.createInt64StructVector(nodes)
        builder.startTable()
        builder.add(slot: 0, Int64(batch.rowCount))
        builder.addOffset(slot: 1, to: nodeVector)
        builder.addOffset(slot: 2, to: bufferVector)
        let recordBatch = builder.endTable()
        return encapsulate(
            message(.recordBatch, header: recordBatch, bodyLength: body.count, builder: &builder), body: body)
    }

    static func rawBytes<T>(_ values: [T]) -> [UInt8] {
        values.withUnsafeBytes { Array($0) }
    }

    static func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        for index in 0..<MemoryLayout<T>.size {
            out.append(UInt8(truncatingIfNeeded: value.littleEndian >> (index * 8)))
        }
    }

    // MARK: Reading

    /// A message's header kind, the position of its header table, and its body length.
    static func parseMessage(_ reader: FlatBufferReader) throws(EngineError) -> (HeaderType?, Int, Int) {
        let message = try reader.root()
        let kind = HeaderType(rawValue: try reader.scalar(1, of: message, default: UInt8(0)))
        guard let header = try reader.target(2, of: message) else { throw reader.corrupt("a message without a header") }
        return (kind, header, Int(try reader.scalar(3, of: message, default: Int64(0))))
    }

    /// The batch a record batch message describes, given its body and the columns' types.
    static func decodeRecordBatch(_ reader: FlatBufferReader, header: Int, body: [UInt8], types: [DataType])
        throws(EngineError) -> Batch
    {
        let rowCount = Int(try reader.scalar(0, of: header, default: Int64(0)))
        guard let nodes = try reader.vector(1, of: header), let buffers = try reader.vector(2, of: header) else {
            throw reader.corrupt("a record batch without nodes or buffers")
        }
        var nodeIndex = 0
        var bufferIndex = 0
        func nextNode() throws(EngineError) -> Int {
            guard nodeIndex < nodes.count else { throw reader.corrupt("fewer field nodes than columns") }
            defer { nodeIndex += 1 }
            return Int(try reader.read(Int64.self, at: nodes.start + 16 * nodeIndex))
        }
        func nextBuffer() throws(EngineError) -> ArraySlice<UInt8> {
            guard bufferIndex < buffers.count else { throw reader.corrupt("fewer buffers than columns need") }
            defer { bufferIndex += 1 }
            let offset = Int(try reader.read(Int64.self, at: buffers.start + 16 * bufferIndex))
            let length = Int(try reader.read(Int64.self, at: buffers.start + 16 * bufferIndex + 8))
            guard offset >= 0, length >= 0, offset + length <= body.count else {
                throw reader.corrupt("a buffer past the body's end")
            }
            return body[offset..<offset + length]
        }
        func values<T>(_ bytes: ArraySlice<UInt8>, count: Int, as type: T.Type) throws(EngineError) -> [T] {
            guard bytes.count >= count * MemoryLayout<T>.stride else {
                throw reader.corrupt("a value buffer too short for its rows")
            }
            return bytes.withUnsafeBytes { raw in
                (0..<count).map { raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.stride, as: T.self) }
            }
        }
        func column(_ type: DataType) throws(EngineError) -> Column {
            let count = try nextNode()
            let validityBytes = try nextBuffer()
            var validity: ValidityBitmap?
            if !validityBytes.isEmpty {
                guard validityBytes.count >= (count + 7) / 8 else {
                    throw reader.corrupt("a validity bitmap too short")
                }
                var bitmap = ValidityBitmap(count: count, allValid: false)
                for (index, byte) in validityBytes.prefix((count + 7) / 8).enumerated() {
                    bitmap.words[index / 8] |= UInt64(byte) << (8 * (index % 8))
                }
                if count % 64 != 0, !bitmap.words.isEmpty {
                    bitmap.words[bitmap.words.count - 1] &= (1 << UInt64(count % 64)) - 1
                }
                validity = bitmap
            }
            let storage: Column.Storage
            switch type.storageKind {
            case .bool:
                let bits = try nextBuffer()
                guard bits.count >= (count + 7) / 8 else { throw reader.corrupt("a boolean buffer too short") }
                storage = .bool((0..<count).map { (bits[bits.startIndex + $0 / 8] >> ($0 % 8)) & 1 })
            case .int16: storage = .int16(try values(try nextBuffer(), count: count, as: Int16.self))
            case .int32: storage = .int32(try values(try nextBuffer(), count: count, as: Int32.self))
            case .uint32: storage = .uint32(try values(try nextBuffer(), count: count, as: UInt32.self))
            case .int64: storage = .int64(try values(try nextBuffer(), count: count, as: Int64.self))
            case .float32: storage = .float32(try values(try nextBuffer(), count: count, as: Float.self))
            case .float64: storage = .float64(try values(try nextBuffer(), count: count, as: Double.self))
            case .decimal: storage = .decimal(try values(try nextBuffer(), count: count, as: Int128.self))
            case .interval:
                let raw = try values(try nextBuffer(), count: count * 2, as: Int64.self)
                storage = .interval(
                    (0..<count).map { index in
                        let packed = UInt64(bitPattern: raw[2 * index])
                        return Interval(
                            months: Int32(truncatingIfNeeded: packed), days: Int32(truncatingIfNeeded: packed >> 32),
                            microseconds: raw[2 * index + 1] / 1000)
                    })
            case .bytes:
                let offsets = try values(try nextBuffer(), count: count + 1, as: Int32.self)
                let data = try nextBuffer()
                guard offsets.first == 0, let last = offsets.last, Int(last) <= data.count,
                    zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 })
                else { throw reader.corrupt("text offsets out of order or past the data") }
                storage = .bytes(offsets: offsets, data: Array(data.prefix(Int(last))))
            case .array:
                guard case .array(let element) = type else { throw reader.corrupt("a list column of a non-array type") }
                let offsets = try values(try nextBuffer(), count: count + 1, as: Int32.self)
                let elements = try column(element)
                guard offsets.first == 0, let last = offsets.last, Int(last) == elements.count else {
                    throw reader.corrupt("list offsets that do not match the list's elements")
                }
                storage = .array(offsets: offsets, elements: ColumnBox(elements))
            }
            return Column(type: type, count: count, validity: validity, storage: storage)
        }
        var columns: [Column] = []
        for type in types {
            let read = try column(type)
            guard read.count == rowCount else {
                throw reader.corrupt("a column of \(read.count) rows in a batch of \(rowCount)")
            }
            columns.append(read)
        }
        return Batch(columns: columns, rowCount: rowCount)
    }
}
