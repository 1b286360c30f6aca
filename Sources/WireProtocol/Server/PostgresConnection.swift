import Auth
import Engine
import Logging
import NIOCore

/// One client connection, driven by one task: startup and authentication, then the simple and
/// extended query protocols. Output is gathered in a buffer and written at protocol boundaries
/// or when it grows large, so the socket's backpressure paces result streaming.
final class PostgresConnection<Sessions: PostgresSessionFactory> {
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private let channel: any Channel
    /// Closes the connection unless startup and authentication end first.
    private let authenticationDeadline: Scheduled<Void>
    private let environment: WireServer<Sessions>.Environment
    private let logger: Logger
    private var iterator: NIOAsyncChannelInboundStream<FrontendMessage>.AsyncIterator
    private var output: ByteBuffer

    private var processID: Int32 = 0
    private var session: Sessions.Session?
    private var portals: [String: Portal<Sessions.Session.Plan>] = [:]
    /// Set when output must be written before the next message is read (an error was reported).
    private var flushRequested = false

    /// Output beyond this many bytes is written before more is produced.
    static var flushThreshold: Int { 256 * 1024 }

    init(
        inbound: NIOAsyncChannelInboundStream<FrontendMessage>, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        channel: any Channel, authenticationDeadline: Scheduled<Void>, environment: WireServer<Sessions>.Environment,
        logger: Logger
    ) {
        self.iterator = inbound.makeAsyncIterator()
        self.authenticationDeadline = authenticationDeadline
        self.outbound = outbound
        self.channel = channel
        self.environment = environment
        self.logger = logger
        self.output = channel.allocator.buffer(capacity: 16 * 1024)
    }

    /// Serves the connection until the client leaves, an error ends it, or the server shuts down.
    func run() async {
        do {
            // A client that stalls before it is authenticated loses its connection when the deadline set
            // at accept passes, so idle sockets cannot pile up; the close ends the pending read below.
            let started: Bool
            do {
                started = try await startup()
            } catch {
                authenticationDeadline.cancel()
                throw error
            }
            authenticationDeadline.cancel()
            guard started else { return }
            defer {
                session?.close()
                environment.registry.unregister(processID: processID)
            }
            try await serve()
        } catch let error as PostgresError {
            await sendFatal(error)
        } catch {
            logger.debug("connection ended", metadata: ["error": "\(error)"])
        }
    }

    // MARK: Startup

    /// Runs the startup exchange; returns false when the connection ended (cancel request, auth failure).
    private func startup() async throws -> Bool {
        var machine = StartupStateMachine(users: environment.users, mockSecret: environment.mockSecret)
        guard let first = try await iterator.next() else { return false }
        let startupMessage: StartupMessage
        switch first {
        case .cancelRequest(let processID, let secretKey):
            environment.registry.cancel(processID: processID, secretKey: secretKey)
            return false
        case .startup(let message):
            startupMessage = message
        default:
            throw PostgresError.protocolViolation("expected a startup message")
        }
        if environment.registry.isShuttingDown {
            throw PostgresError(.fatal, sqlState: .cannotConnectNow, message: "the database system is shutting down")
        }
        let channelBinding = await environment.channelBinding(channel)
        var action = machine.startupReceived(
            startupMessage, clientAddress: clientAddressBytes(), channelBinding: channelBinding)
        while true {
            switch action {
            case .fail(let error):
                logger.info(
                    "authentication failed",
                    metadata: ["user": "\(startupMessage["user"] ?? "")", "reason": "\(error.message)"])
                await sendFatal(error)
                return false
            case .send(let messages):
                for message in messages { output.writeBackendMessage(message) }
                try await flush()
                guard let next = try await iterator.next() else { return false }
                guard case .authenticationResponse(let payload) = next else {
                    if case .terminate = next { return false }
                    throw PostgresError.protocolViolation("expected an authentication response")
                }
                action = machine.authenticationResponseReceived(payload)
            case .checkPassword(let user, let password):
                do throws(AuthError) {
                    action = machine.passwordChecked(
                        .success(try await environment.users.authenticate(user: user, password: password)))
                } catch {
                    action = machine.passwordChecked(.failure(error))
                }
            case .authenticated(let principal, let startup, let messages):
                for message in messages { output.writeBackendMessage(message) }
                let keys = environment.registry.register(channel: channel)
                processID = keys.processID
                do {
                    session = try environment.sessions.makeSession(
                        principal: principal, startup: startup, processID: keys.processID)
                } catch {
                    environment.registry.unregister(processID: processID)
                    throw error
                }
                for (name, value) in session!.reportedParameters {
                    output.writeBackendMessage(.parameterStatus(name: name, value: value))
                }
                output.writeBackendMessage(.backendKeyData(processID: keys.processID, secretKey: keys.secretKey))
                output.writeBackendMessage(.readyForQuery(.idle))
                try await flush()
                logger.debug("session started", metadata: ["user": "\(principal.user)", "pid": "\(keys.processID)"])
                return true
            }
        }
    }

    private func clientAddressBytes() -> [UInt8] {
        guard let address = channel.remoteAddress else { return [] }
        switch address {
        case .v4(let v4):
            return withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
        case .v6(let v6):
            return withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
        default:
            return [127, 0, 0, 1]
        }
    }

    // MARK: Query phase

    private func serve() async throws {
        var machine = QueryStateMachine()
        while true {
            guard let message = try await iterator.next() else { return }
            switch machine.messageReceived(message) {
            case .runSimpleQuery(let sql):
                try await simpleQuery(sql)
                try await flush()
            case .runStep(let step):
                do {
                    try await run(step)
                    machine.stepSucceeded()
                } catch {
                    try reportOrRethrow(PostgresError(converting: error))
                    machine.stepFailed()
                }
            case .close(.statement(let name)):
                session?.setPreparedStatement(name, nil)
                output.writeBackendMessage(.closeComplete)
            case .close(.portal(let name)):
                portals.removeValue(forKey: name)
                output.writeBackendMessage(.closeComplete)
            case .sync:
                portals.removeValue(forKey: "")
                sendReadyForQuery()
                try await flush()
            case .flush:
                try await flush()
            case .ignore:
                continue
            case .terminate:
                return
            case .fail(let error):
                throw error
            }
            if flushRequested {
                flushRequested = false
                try await flush()
            }
            if environment.registry.isShuttingDown { throw PostgresError.adminShutdown() }
        }
    }

    /// Runs one extended-protocol step (`QueryStateMachine.Action.runStep`).
    private func run(_ step: FrontendMessage) async throws {
        switch step {
        case .parse(let parse): try await self.parse(parse)
        case .bind(let bind): try self.bind(bind)
        case .describe(let target): try describe(target)
        case .execute(let portal, let maxRows): try await execute(portalName: portal, maxRows: Int(maxRows))
        case .functionCall:
            throw PostgresError.featureNotSupported("the fast-path function call interface is not supported")
        default:
            preconditionFailure("\(step) is not an extended-protocol step")
        }
    }

    /// Writes an ErrorResponse; like PostgreSQL, errors are flushed at once, since a client that
    /// sent Flush (not Sync) is waiting for them.
    private func reportError(_ error: PostgresError) {
        session?.statementFailed()
        output.writeBackendMessage(.errorResponse(error))
        flushRequested = true
    }

    private func sendReadyForQuery() {
        writeParameterChanges()
        output.writeBackendMessage(.readyForQuery(session?.transactionStatus ?? .idle))
    }

    private func writeParameterChanges() {
        guard let session else { return }
        for (name, value) in session.takeChangedParameters() {
            output.writeBackendMessage(.parameterStatus(name: name, value: value))
        }
    }

    // MARK: Simple query

    private func simpleQuery(_ sql: String) async throws {
        defer { sendReadyForQuery() }
        guard let session else { return }
        let count: Int
        do {
            count = try session.parseStatements(sql)
        } catch {
            try reportOrRethrow(error)
            return
        }
        if count == 0 {
            output.writeBackendMessage(.emptyQueryResponse)
            return
        }
        for index in 0..<count {
            do {
                let query = try await session.prepareStatement(sql, index: index)
                let formats = Array(repeating: Int16(0), count: query.resultColumns?.count ?? 0)
                var portal = Portal(query: query, parameters: [], resultFormats: formats)
                try await run(&portal, maxRows: 0, describeRows: true)
                writeParameterChanges()
            } catch {
                try reportOrRethrow(PostgresError(converting: error))
                return
            }
        }
    }

    /// Reports an ERROR to the client; a FATAL one ends the connection instead.
    private func reportOrRethrow(_ error: PostgresError) throws {
        if error.severity == .fatal { throw error }
        reportError(error)
    }

    // MARK: Extended query

    private func parse(_ parse: FrontendMessage.Parse) async throws {
        guard let session else { return }
        if !parse.statementName.isEmpty, session.preparedStatement(parse.statementName) != nil {
            throw PostgresError(
                sqlState: .duplicatePreparedStatement,
                message: "prepared statement \"\(parse.statementName)\" already exists")
        }
        let declared = parse.parameterTypeOIDs.map { oid -> DataType? in oid == 0 ? nil : DataType(postgresOID: oid) }
        for (index, oid) in parse.parameterTypeOIDs.enumerated() where oid != 0 && declared[index] == nil {
            throw PostgresError(sqlState: .undefinedObject, message: "type with OID \(oid) does not exist")
        }
        let queries = try await session.prepare(parse.query, parameterTypes: declared)
        guard queries.count <= 1 else {
            throw PostgresError(
                sqlState: .syntaxError, message: "cannot insert multiple commands into a prepared statement")
        }
        session.setPreparedStatement(
            parse.statementName,
            queries.first
                ?? PreparedQuery(text: parse.query, parameterTypes: [], resultColumns: nil, isEmpty: true, plan: nil))
        output.writeBackendMessage(.parseComplete)
    }

    private func bind(_ bind: FrontendMessage.Bind) throws {
        guard let query = session?.preparedStatement(bind.statementName) else {
            throw PostgresError(
                sqlState: .invalidSqlStatementName,
                message: "prepared statement \"\(bind.statementName)\" does not exist")
        }
        if !bind.portalName.isEmpty, portals[bind.portalName] != nil {
            throw PostgresError(sqlState: .duplicateCursor, message: "portal \"\(bind.portalName)\" already exists")
        }
        guard bind.parameters.count == query.parameterTypes.count else {
            throw PostgresError(
                sqlState: .protocolViolation,
                message:
                    "bind message supplies \(bind.parameters.count) parameters, but prepared statement \"\(bind.statementName)\" requires \(query.parameterTypes.count)"
            )
        }
        guard bind.parameterFormats.count <= 1 || bind.parameterFormats.count == bind.parameters.count else {
            throw PostgresError(
                sqlState: .protocolViolation,
                message:
                    "bind message has \(bind.parameterFormats.count) parameter formats but \(bind.parameters.count) parameters"
            )
        }
        var values: [Value] = []
        values.reserveCapacity(bind.parameters.count)
        for (index, parameter) in bind.parameters.enumerated() {
            guard let parameter else {
                values.append(.null)
                continue
            }
            let format =
                bind.parameterFormats.isEmpty ? 0 : bind.parameterFormats[bind.parameterFormats.count == 1 ? 0 : index]
            let type = query.parameterTypes[index]
            switch format {
            case 0:
                guard let text = parameter.getString(at: parameter.readerIndex, length: parameter.readableBytes),
                    String(validating: parameter.readableBytesView, as: UTF8.self) != nil
                else {
                    throw PostgresError(
                        sqlState: .characterNotInRepertoire, message: "invalid byte sequence for encoding \"UTF8\"")
                }
                do {
                    values.append(try TextInput.parse(text, as: type, session: session?.textOutput ?? TextOutput()))
                } catch {
                    throw PostgresError(converting: error)
                }
            case 1:
                values.append(try BinaryFormat.decode(parameter, as: type))
            default:
                throw PostgresError(sqlState: .protocolViolation, message: "unsupported format code: \(format)")
            }
        }
        let columnCount = query.resultColumns?.count ?? 0
        let formats: [Int16]
        switch bind.resultFormats.count {
        case 0: formats = Array(repeating: 0, count: columnCount)
        case 1: formats = Array(repeating: bind.resultFormats[0], count: columnCount)
        case columnCount: formats = bind.resultFormats
        default:
            throw PostgresError(
                sqlState: .protocolViolation,
                message:
                    "bind message has \(bind.resultFormats.count) result formats but query has \(columnCount) columns")
        }
        for format in formats where format != 0 && format != 1 {
            throw PostgresError(sqlState: .invalidParameterValue, message: "unsupported format code: \(format)")
        }
        portals[bind.portalName] = Portal(query: query, parameters: values, resultFormats: formats)
        output.writeBackendMessage(.bindComplete)
    }

    private func describe(_ target: FrontendMessage.DescribeTarget) throws {
        switch target {
        case .statement(let name):
            guard let query = session?.preparedStatement(name) else {
                throw PostgresError(
                    sqlState: .invalidSqlStatementName, message: "prepared statement \"\(name)\" does not exist")
            }
            output.writeBackendMessage(.parameterDescription(query.parameterTypes.map(\.postgresOID)))
            if let columns = query.resultColumns {
                output.writeBackendMessage(
                    .rowDescription(Self.fields(columns, formats: Array(repeating: 0, count: columns.count))))
            } else {
                output.writeBackendMessage(.noData)
            }
        case .portal(let name):
            guard let portal = portals[name] else {
                if let columns = session?.cursorColumns(name) {
                    output.writeBackendMessage(
                        .rowDescription(Self.fields(columns, formats: Array(repeating: 0, count: columns.count))))
                    return
                }
                throw PostgresError(sqlState: .invalidCursorName, message: "portal \"\(name)\" does not exist")
            }
            if let columns = portal.query.resultColumns {
                output.writeBackendMessage(.rowDescription(Self.fields(columns, formats: portal.resultFormats)))
            } else {
                output.writeBackendMessage(.noData)
            }
        }
    }

    private func execute(portalName: String, maxRows: Int) async throws {
        guard var portal = portals[portalName] else {
            throw PostgresError(sqlState: .invalidCursorName, message: "portal \"\(portalName)\" does not exist")
        }
        defer { portals[portalName] = portal }
        do {
            try await run(&portal, maxRows: maxRows, describeRows: false)
        } catch {
            portal.state = .finished
            throw error
        }
    }

    // MARK: Running a portal

    /// Runs (or resumes) a portal, writing its rows, COPY data and completion. Statements that may
    /// take long run on the global executor, leaving the event loop to the other connections on it
    /// (and to the CancelRequest that may stop this one).
    private func run(_ portal: inout Portal<Sessions.Session.Plan>, maxRows: Int, describeRows: Bool) async throws {
        if portal.query.finishesQuickly {
            try await runOnCurrentExecutor(&portal, maxRows: maxRows, describeRows: describeRows)
        } else {
            try await withTaskExecutorPreference(globalConcurrentExecutor) {
                try await runOnCurrentExecutor(&portal, maxRows: maxRows, describeRows: describeRows)
            }
        }
    }

    private func runOnCurrentExecutor(_ portal: inout Portal<Sessions.Session.Plan>, maxRows: Int, describeRows: Bool)
        async throws
    {
        guard let session else { return }
        if case .finished = portal.state {
            // Executing a completed portal again returns no rows, as PostgreSQL does.
            if portal.query.resultColumns != nil {
                output.writeBackendMessage(.commandComplete(Self.completionTag(portal.lastVerb, rows: 0)))
            }
            return
        }
        if portal.query.isEmpty {
            output.writeBackendMessage(.emptyQueryResponse)
            portal.state = .finished
            return
        }
        let cancellation: QueryCancellation
        if case .streaming(_, _, _, let existing) = portal.state {
            cancellation = existing
        } else {
            cancellation = QueryCancellation()
        }
        guard environment.registry.queryStarted(processID: processID, cancellation: cancellation) else {
            throw PostgresError.adminShutdown()
        }
        defer { environment.registry.queryFinished(processID: processID) }
        let timeout = session.statementTimeout.map { duration in
            Task {
                try await Task.sleep(for: duration)
                cancellation.cancel(.statementTimeout)
            }
        }
        defer { timeout?.cancel() }

        if case .notStarted = portal.state {
            var result = try await session.execute(
                portal.query, parameters: portal.parameters, cancellation: cancellation)
            while case .withNotices(let notices, let inner) = result {
                for notice in notices { output.writeBackendMessage(.noticeResponse(notice)) }
                result = inner
            }
            switch result {
            case .command(let tag):
                output.writeBackendMessage(.commandComplete(tag))
                portal.state = .finished
                return
            case .rows(let columns, let stream, let verb):
                if describeRows {
                    output.writeBackendMessage(.rowDescription(Self.fields(columns, formats: portal.resultFormats)))
                }
                let encoder = DataRowEncoder(formats: portal.resultFormats, textOutput: session.textOutput)
                portal.state = .streaming(stream: stream, encoder: encoder, pending: nil, cancellation: cancellation)
                portal.lastVerb = verb
            case .copyOut(let columns, let stream, let format):
                try await copyOut(
                    columns: columns, stream: stream, format: format, cancellation: cancellation,
                    textOutput: session.textOutput)
                portal.state = .finished
                return
            case .copyIn(let columns, let format, let load):
                try await copyIn(
                    columns: columns, format: format, load: load, cancellation: cancellation,
                    timeZone: session.textOutput.timeZone)
                portal.state = .finished
                return
            case .withNotices:
                preconditionFailure("notices unwrapped above")
            }
        }
        guard case .streaming(let stream, let encoder, var pending, _) = portal.state else { return }
        var sent = 0
        while maxRows == 0 || sent < maxRows {
            let batch: Batch
            if let waiting = pending {
                batch = waiting
                pending = nil
            } else {
                do {
                    try cancellation.check()
                    guard let next = try await stream.next() else {
                        output.writeBackendMessage(.commandComplete(Self.completionTag(portal.lastVerb, rows: sent)))
                        portal.state = .finished
                        return
                    }
                    batch = next
                } catch {
                    throw PostgresError(converting: error)
                }
            }
            var toSend = batch
            if maxRows > 0, sent + batch.rowCount > maxRows {
                let take = maxRows - sent
                toSend = batch.slice(0..<take)
                pending = batch.slice(take..<batch.rowCount)
            }
            encoder.write(toSend, into: &output)
            sent += toSend.rowCount
            if output.readableBytes >= Self.flushThreshold { try await flush() }
        }
        portal.state = .streaming(stream: stream, encoder: encoder, pending: pending, cancellation: cancellation)
        output.writeBackendMessage(.portalSuspended)
    }

    private func copyOut(
        columns: [ResultColumn], stream: any BatchStream, format: CopyOutFormat, cancellation: QueryCancellation,
        textOutput: TextOutput
    ) async throws {
        let encoder = CopyOutEncoder(format: format, textOutput: textOutput, columns: columns)
        let columnFormat: Int16 = format.kind == .binary ? 1 : 0
        output.writeBackendMessage(
            .copyOutResponse(
                binary: format.kind == .binary, columnFormats: Array(repeating: columnFormat, count: columns.count)))
        // PostgreSQL sends the binary header in the same CopyData as the first row; clients rely on it.
        var preamble = encoder.preamble()
        if format.kind != .binary, let header = preamble {
            output.writeBackendMessage(.copyData(header))
            preamble = nil
        }
        var rows = 0
        do {
            while true {
                try cancellation.check()
                guard let batch = try await stream.next() else { break }
                encoder.write(batch, into: &output, prefix: preamble)
                if batch.rowCount > 0 { preamble = nil }
                rows += batch.rowCount
                if output.readableBytes >= Self.flushThreshold { try await flush() }
            }
        } catch {
            throw PostgresError(converting: error)
        }
        if let header = preamble { output.writeBackendMessage(.copyData(header)) }
        if let trailer = encoder.trailer() { output.writeBackendMessage(.copyData(trailer)) }
        output.writeBackendMessage(.copyDone)
        output.writeBackendMessage(.commandComplete("COPY \(rows)"))
    }

    /// COPY FROM STDIN: CopyInResponse, then the client's CopyData read as `load` pulls rows. On
    /// an error the rest of the client's data is read and dropped up to its CopyDone or CopyFail,
    /// as PostgreSQL does, so the connection stays in step.
    private func copyIn(
        columns: [ResultColumn], format: CopyOutFormat, load: (any BatchStream) async throws -> Int,
        cancellation: QueryCancellation,
        timeZone: SessionTimeZone
    ) async throws {
        let columnFormat: Int16 = format.kind == .binary ? 1 : 0
        output.writeBackendMessage(
            .copyInResponse(
                binary: format.kind == .binary, columnFormats: Array(repeating: columnFormat, count: columns.count)))
        try await flush()
        let stream = CopyInStream(
            decoder: CopyInDecoder(format: format, columns: columns, timeZone: timeZone), cancellation: cancellation
        ) {
            [self] () async throws(EngineError) -> CopyInStream.Message in
            while true {
                let message: FrontendMessage?
                do {
                    message = try await iterator.next()
                } catch {
                    throw EngineError(.connectionFailure, "connection lost during COPY from stdin")
                }
                switch message {
                case .copyData(let buffer)?: return .data(Array(buffer.readableBytesView))
                case .copyDone?: return .done
                case .copyFail(let reason)?: return .failed(reason)
                case .flush?, .sync?: continue
                case nil: throw EngineError(.connectionFailure, "connection lost during COPY from stdin")
                case let other?: return .unexpected("\(other)".prefix(40).description)
                }
            }
        }
        let count: Int
        do {
            count = try await load(stream)
            try await stream.drain()
        } catch {
            try? await stream.drain()
            throw PostgresError(converting: error)
        }
        output.writeBackendMessage(.commandComplete("COPY \(count)"))
    }

    /// The CommandComplete tag: `SELECT 3`, `FETCH 10`; SHOW and EXPLAIN carry no count.
    static func completionTag(_ verb: String, rows: Int) -> String {
        verb == "SHOW" || verb == "EXPLAIN" ? verb : "\(verb) \(rows)"
    }

    static func fields(_ columns: [ResultColumn], formats: [Int16]) -> [FieldDescription] {
        columns.enumerated().map { index, column in
            FieldDescription(
                name: column.name, tableOID: column.tableOID, columnAttributeNumber: column.columnNumber,
                typeOID: column.type.postgresOID, typeSize: column.type.postgresLength,
                typeModifier: column.type.postgresTypeModifier, format: index < formats.count ? formats[index] : 0)
        }
    }

    // MARK: Output

    private func flush() async throws {
        guard output.readableBytes > 0 else { return }
        let chunk = output
        output = channel.allocator.buffer(capacity: 16 * 1024)
        try await outbound.write(chunk)
    }

    private func sendFatal(_ error: PostgresError) async {
        var fatal = error
        fatal.severity = .fatal
        output.writeBackendMessage(.errorResponse(fatal))
        try? await flush()
        outbound.finish()
    }
}

/// A bound statement and, once running, its result stream (kept across Execute calls with a row limit).
struct Portal<Plan> {
    enum State {
        case notStarted
        case streaming(
            stream: any BatchStream, encoder: DataRowEncoder, pending: Batch?, cancellation: QueryCancellation)
        case finished
    }

    let query: PreparedQuery<Plan>
    let parameters: [Value]
    let resultFormats: [Int16]
    var state: State = .notStarted
    var lastVerb = "SELECT"
}
