/// The query phase of a connection (after authentication), as a pure value: for each message it
/// says what to do, and the connection does it and reports back whether an extended-protocol step
/// failed. It holds the protocol's rules, so tests script them without sockets:
///
/// - an error in an extended-protocol step (Parse, Bind, Describe, Execute, a function call) is
///   reported, and every message after it is skipped until Sync;
/// - Sync ends the implicit extended-protocol transaction: the unnamed portal goes away, and
///   ReadyForQuery (with the session's transaction status) is sent and flushed;
/// - output is written at Sync, Flush, the end of a simple query and after an error (a client that
///   sent Flush is waiting for it), so a pipelined Parse/Bind/Execute/Sync costs one write;
/// - CopyData, CopyDone and CopyFail outside COPY FROM are ignored, as PostgreSQL ignores them.
public struct QueryStateMachine {
    public enum Action: Equatable {
        /// Run a simple query (its statements and their ReadyForQuery), then flush.
        case runSimpleQuery(String)
        /// Run one extended-protocol step, then call `stepSucceeded` or `stepFailed`.
        case runStep(FrontendMessage)
        /// Forget a prepared statement or portal and send CloseComplete.
        case close(FrontendMessage.DescribeTarget)
        /// Drop the unnamed portal, send ReadyForQuery and flush.
        case sync
        /// Write what is buffered.
        case flush
        /// Nothing to do for this message.
        case ignore
        /// The client said goodbye: close the connection.
        case terminate
        /// A message that has no place in this phase: send this FATAL error and close.
        case fail(PostgresError)
    }

    private enum State: Equatable {
        /// Acting on each message.
        case ready
        /// An extended-protocol step is running.
        case runningStep
        /// A step failed: messages are skipped until Sync.
        case skippingUntilSync
    }

    private var state = State.ready

    public init() {}

    /// True while messages are skipped after an error.
    public var isSkippingUntilSync: Bool { state == .skippingUntilSync }

    public mutating func messageReceived(_ message: FrontendMessage) -> Action {
        if case .terminate = message { return .terminate }
        if state == .skippingUntilSync {
            guard case .sync = message else { return .ignore }
            state = .ready
            return .sync
        }
        precondition(state == .ready, "a message arrived while a step was running")
        switch message {
        case .query(let sql):
            return .runSimpleQuery(sql)
        case .parse, .bind, .describe, .execute, .functionCall:
            state = .runningStep
            return .runStep(message)
        case .close(let target):
            return .close(target)
        case .sync:
            return .sync
        case .flush:
            return .flush
        case .copyData, .copyDone, .copyFail:
            return .ignore
        case .terminate:
            return .terminate
        case .authenticationResponse, .startup, .sslRequest, .gssEncryptionRequest, .cancelRequest:
            return .fail(.protocolViolation("unexpected message during a session"))
        }
    }

    /// The step `messageReceived` asked for finished.
    public mutating func stepSucceeded() {
        precondition(state == .runningStep, "no step was running")
        state = .ready
    }

    /// The step failed with `error`: send it (and flush), then skip until Sync.
    public mutating func stepFailed() {
        precondition(state == .runningStep, "no step was running")
        state = .skippingUntilSync
    }
}
