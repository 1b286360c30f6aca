import Foundation

/// A temporary Arrow IPC stream file an operator writes batches to when its state outgrows the
/// query's memory budget, then reads back in order. The file is removed when the object goes away.
public final class SpillFile: @unchecked Sendable {
    /// Where spill files go: a directory per server process under the system's temporary directory.
    static let directory: URL = FileManager.default.temporaryDirectory
        .appendingPathComponent("weir-spill-\(ProcessInfo.processInfo.processIdentifier)", isDirectory: true)

    public let url: URL
    let types: [DataType]
    private var handle: FileHandle?
    public private(set) var rowCount = 0
    public private(set) var byteCount = 0

    /// Creates the file and writes the stream's schema message.
    public init(types: [DataType]) throws(EngineError) {
        self.types = types
        url = Self.directory.appendingPathComponent("\(UUID().uuidString).arrows")
        do {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw EngineError(.diskFull, "could not create spill file \(url.path)")
            }
            handle = try FileHandle(forWritingTo: url)
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError(.diskFull, "could not create spill file \(url.path): \(error)")
        }
        try write(ArrowIPCStream.schemaMessage(types))
    }

    deinit {
        try? handle?.close()
        try? FileManager.default.removeItem(at: url)
    }

    private func write(_ bytes: [UInt8]) throws(EngineError) {
        guard let handle else { preconditionFailure("spill file written after it was finished") }
        do {
            try handle.write(contentsOf: bytes)
        } catch {
            throw EngineError(
                .diskFull, "could not write spill file \(url.path): \(error)",
                hint: "Free disk space in the temporary directory.")
        }
        byteCount += bytes.count
    }

    public func append(_ batch: Batch) throws(EngineError) {
        guard batch.rowCount > 0 else { return }
        try write(ArrowIPCStream.recordBatchMessage(batch))
        rowCount += batch.rowCount
    }

    /// Ends the stream; the file can be read from then on.
    public func finish() throws(EngineError) {
        try write(ArrowIPCStream.endOfStream)
        try? handle?.close()
        handle = nil
    }

    /// A stream of the file's batches, in the order they were written.
    public func reader() throws(EngineError) -> SpillFileReader {
        try SpillFileReader(file: self)
    }
}

/// Reads a finished `SpillFile` one record batch at a time.
public final class SpillFileReader: BatchStream {
    private let file: SpillFile
    private let handle: FileHandle

    init(file: SpillFile) throws(EngineError) {
        self.file = file
        do {
            handle = try FileHandle(forReadingFrom: file.url)
        } catch {
            throw EngineError(.ioError, "could not open spill file \(file.url.path): \(error)")
        }
    }

    deinit { try? handle.close() }

    private func read(_ count: Int) throws(EngineError) -> [UInt8] {
        guard count > 0 else { return [] }
        let data: Data?
        do {
            data = try handle.read(upToCount: count)
        } catch {
            throw EngineError(.ioError, "could not read spill file \(file.url.path): \(error)")
        }
        guard let data, data.count == count else {
            throw EngineError(.dataCorrupted, "spill file \(file.url.path) ends early")
        }
        return Array(data)
    }

    public func next() async throws(EngineError) -> Batch? {
        while true {
            let prefix = try read(8)
            let marker = UInt32(prefix[0]) | UInt32(prefix[1]) << 8 | UInt32(prefix[2]) << 16 | UInt32(prefix[3]) << 24
            let length = Int(
                UInt32(prefix[4]) | UInt32(prefix[5]) << 8 | UInt32(prefix[6]) << 16 | UInt32(prefix[7]) << 24)
            guard marker == ArrowIPCStream.continuation else {
                throw EngineError(.dataCorrupted, "spill file \(file.url.path) is damaged")
            }
            if length == 0 { return nil }
            let metadata = FlatBufferReader(bytes: try read(length), origin: file.url.path)
            let (kind, header, bodyLength) = try ArrowIPCStream.parseMessage(metadata)
            let body = try read(bodyLength)
            guard kind == .recordBatch else { continue }
            return try ArrowIPCStream.decodeRecordBatch(metadata, header: header, body: body, types: file.types)
        }
    }
}
