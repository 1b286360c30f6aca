import Engine

/// The rows of `COPY ... FROM STDIN` as a batch stream: each `next()` reads the client's CopyData
/// messages (through `receive`) until a batch of rows is decoded or the client sends CopyDone.
final class CopyInStream: BatchStream {
    /// What the client sent next during the copy.
    enum Message {
        case data([UInt8])
        case done
        case failed(String)
        /// A message that has no place in COPY; named for the error.
        case unexpected(String)
    }

    private var decoder: CopyInDecoder
    private let cancellation: QueryCancellation
    private let receive: () async throws(EngineError) -> Message
    /// True once CopyDone or CopyFail arrived, so nothing more of the copy is on the wire.
    private(set) var finished = false
    /// Rows per batch handed on.
    static let batchRows = 4096

    init(
        decoder: CopyInDecoder, cancellation: QueryCancellation,
        receive: @escaping () async throws(EngineError) -> Message
    ) {
        self.decoder = decoder
        self.cancellation = cancellation
        self.receive = receive
    }

    func next() async throws(EngineError) -> Batch? {
        while !finished, decoder.decodedRowCount < Self.batchRows {
            try cancellation.check()
            switch try await receive() {
            case .data(let bytes):
                try decoder.append(bytes)
            case .done:
                finished = true
                try decoder.finish()
            case .failed(let reason):
                finished = true
                throw EngineError(.queryCanceled, "COPY from stdin failed: \(reason)")
            case .unexpected(let message):
                throw EngineError(.protocolViolation, "unexpected message during COPY from stdin: \(message)")
            }
        }
        return decoder.takeBatch()
    }

    /// Reads and drops the rest of the client's copy data, up to CopyDone or CopyFail.
    func drain() async throws(EngineError) {
        while !finished {
            switch try await receive() {
            case .data: continue
            case .done, .failed: finished = true
            case .unexpected(let message):
                finished = true
                throw EngineError(.protocolViolation, "unexpected message during COPY from stdin: \(message)")
            }
        }
    }
}
