import Auth
import Engine
import Logging
import NIOCore
import NIOPosix
import Testing

@testable import WireProtocol

/// A client that connects and never authenticates is disconnected after the authentication timeout,
/// as PostgreSQL's `authentication_timeout` does, so stalled sockets cannot pile up.
@Suite struct AuthenticationTimeoutTests {
    /// Sessions are never made here: no client gets past authentication.
    struct NoSessions: PostgresSessionFactory {
        func makeSession(principal: Principal, startup: StartupMessage, processID: Int32) throws(PostgresError)
            -> UnreachableSession
        {
            throw PostgresError(.fatal, sqlState: .internalError, message: "no sessions in this test")
        }
    }

    /// The session type of `NoSessions`, which never makes one; there is no way to create it.
    final class UnreachableSession: PostgresSession {
        typealias Plan = Never

        private init() {}

        var reportedParameters: [(name: String, value: String)] { [] }
        func takeChangedParameters() -> [(name: String, value: String)] { [] }
        var transactionStatus: TransactionStatus { .idle }
        var textOutput: TextOutput { TextOutput() }
        var statementTimeout: Duration? { nil }
        func prepare(_ sql: String, parameterTypes: [DataType?]) async throws(PostgresError) -> [PreparedQuery<Never>] {
            []
        }
        func parseStatements(_ sql: String) throws(PostgresError) -> Int { 0 }
        func prepareStatement(_ sql: String, index: Int) async throws(PostgresError) -> PreparedQuery<Never> {
            PreparedQuery(text: sql, parameterTypes: [], resultColumns: nil, isEmpty: true, plan: nil)
        }
        func execute(_ query: PreparedQuery<Never>, parameters: [Value], cancellation: QueryCancellation)
            async throws(PostgresError) -> QueryResult
        { .command(tag: "") }
        func cursorColumns(_ name: String) -> [ResultColumn]? { nil }
        func preparedStatement(_ name: String) -> PreparedQuery<Never>? { nil }
        func setPreparedStatement(_ name: String, _ query: PreparedQuery<Never>?) {}
        func statementFailed() {}
        func close() {}
    }

    @Test(arguments: [false, true])
    func stalledClientIsDisconnected(sendsStartup: Bool) async throws {
        let users = UserDirectory(users: [
            UserDirectory.User(
                name: "demo", verifier: SCRAMVerifier(password: "demo", salt: Array(repeating: 7, count: 16)),
                allowedNetworks: [.loopback])
        ])
        let server = try WireServer(
            configuration: .init(host: "127.0.0.1", port: 0, authenticationTimeout: .seconds(1)), users: users,
            sessions: NoSessions(), logger: Logger(label: "test"))
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        let (stop, stopSink) = AsyncStream<Void>.makeStream()
        async let serving: Void = server.run(onBound: { portSink.yield($0) }, shutdown: { for await _ in stop {} })
        var portIterator = ports.makeAsyncIterator()
        let port = try #require(await portIterator.next())

        let clock = ContinuousClock()
        let start = clock.now
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(
            host: "127.0.0.1", port: port
        ).get()
        if sendsStartup {
            // A startup message, then silence where the SCRAM exchange should follow.
            var startup = ByteBuffer()
            startup.writeInteger(Int32(0))
            startup.writeInteger(Int32(196_608))
            startup.writeString("user\u{0}demo\u{0}\u{0}")
            startup.setInteger(Int32(startup.readableBytes), at: 0)
            do {
                try await channel.writeAndFlush(startup)
            } catch ChannelError.ioOnClosedChannel {
                // This task waited for a thread past the deadline (CI's busy cores): the server has
                // already closed the stalled connection, which is what is checked below.
            } catch is IOError {
                // The same, seen as a reset of the connection the server closed.
            }
        }
        // If the server never closes the connection, this closes it after 30 s and the check below fails.
        let guardTask = Task {
            try await Task.sleep(for: .seconds(30))
            try await channel.close()
        }
        // The close is timed on the event loop, where it happens, so a test task that waits for a thread
        // while other suites keep the cores busy does not count the wait against the server.
        let closedAt = try await channel.closeFuture.map { clock.now }.get()
        guardTask.cancel()
        let elapsed = closedAt - start
        // The deadline starts at accept, after `start`, so the close can never come early; late it may,
        // by as much as a busy machine delays the event loop.
        #expect(elapsed >= .seconds(0.95) && elapsed < .seconds(20), "closed after \(elapsed)")

        stopSink.finish()
        try await serving
    }
}
