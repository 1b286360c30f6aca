import Auth
import Crypto
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// The PostgreSQL-protocol server: accepts connections and runs one `PostgresConnection` task each.
public final class WireServer<Sessions: PostgresSessionFactory>: Sendable {
    /// Settings for the listener.
    public struct Configuration: Sendable {
        /// Address to bind, e.g. `127.0.0.1`.
        public var host: String
        /// TCP port; 0 picks a free one (see `boundPort`).
        public var port: Int
        /// TLS certificate chain and key; nil answers SSLRequest with `N`.
        public var tls: TLSConfiguration?
        /// Largest frontend message accepted, in bytes.
        public var maximumMessageLength: Int
        /// How long a client may take from connecting to finishing authentication before the
        /// connection is closed (PostgreSQL's `authentication_timeout`).
        public var authenticationTimeout: Duration

        public init(
            host: String, port: Int, tls: TLSConfiguration? = nil, maximumMessageLength: Int = 1 << 30,
            authenticationTimeout: Duration = .seconds(60)
        ) {
            self.host = host
            self.port = port
            self.tls = tls
            self.maximumMessageLength = maximumMessageLength
            self.authenticationTimeout = authenticationTimeout
        }
    }

    /// What every connection shares.
    struct Environment: Sendable {
        let users: UserDirectory
        let sessions: Sessions
        let registry: ConnectionRegistry
        let mockSecret: [UInt8]
        /// SHA-256 of the server certificate (tls-server-end-point), when TLS is configured.
        let certificateHash: [UInt8]?

        /// The channel-binding data for a connection, if it negotiated TLS.
        func channelBinding(_ channel: any Channel) async -> [UInt8]? {
            guard let certificateHash,
                (try? await channel.pipeline.handler(type: NIOSSLServerHandler.self).get()) != nil
            else {
                return nil
            }
            return certificateHash
        }
    }

    private let configuration: Configuration
    private let environment: Environment
    private let logger: Logger

    public init(
        configuration: Configuration, users: UserDirectory, sessions: Sessions, logger: Logger
    ) throws {
        self.configuration = configuration
        var certificateHash: [UInt8]?
        if let tls = configuration.tls, let leaf = tls.certificateChain.first, case .certificate(let certificate) = leaf
        {
            certificateHash = Array(SHA256.hash(data: try certificate.toDERBytes()))
        }
        var generator = SystemRandomNumberGenerator()
        self.environment = Environment(
            users: users, sessions: sessions, registry: ConnectionRegistry(),
            mockSecret: (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) },
            certificateHash: certificateHash)
        self.logger = logger
    }

    /// Binds and serves until `shutdown` resolves; then stops accepting, ends running queries with
    /// 57P01, closes idle connections, and returns once every connection is gone.
    public func run(onBound: @Sendable (Int) -> Void = { _ in }, shutdown: @escaping @Sendable () async -> Void)
        async throws
    {
        let sslContext = try configuration.tls.map { try NIOSSLContext(configuration: $0) }
        let maximumMessageLength = configuration.maximumMessageLength
        let authenticationTimeout = TimeAmount(configuration.authenticationTimeout)
        let serverChannel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(SSLNegotiationHandler(sslContext: sslContext))
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(FrontendMessageDecoder(maximumMessageLength: maximumMessageLength)))
                    // The deadline starts at accept, on the event loop, so a stalled client is cut off on time
                    // even while the tasks serving connections wait for a thread.
                    let deadline = channel.eventLoop.scheduleTask(in: authenticationTimeout) {
                        channel.close(promise: nil)
                    }
                    return AcceptedConnection(
                        channel: try NIOAsyncChannel<FrontendMessage, ByteBuffer>(
                            wrappingChannelSynchronously: channel),
                        authenticationDeadline: deadline)
                }
            }
        onBound(serverChannel.channel.localAddress?.port ?? configuration.port)
        logger.info(
            "listening",
            metadata: ["host": "\(configuration.host)", "port": "\(serverChannel.channel.localAddress?.port ?? 0)"])
        let environment = self.environment
        let logger = self.logger
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask {
                await shutdown()
                logger.info("shutting down")
                try? await serverChannel.channel.close()
                for idle in environment.registry.beginShutdown() {
                    var buffer = idle.allocator.buffer(capacity: 128)
                    buffer.writeBackendMessage(.errorResponse(.adminShutdown()))
                    idle.writeAndFlush(buffer).whenComplete { _ in idle.close(promise: nil) }
                }
            }
            try await serverChannel.executeThenClose { connections in
                for try await connection in connections {
                    group.addTask(executorPreference: EventLoopTaskExecutor(connection.channel.channel.eventLoop)) {
                        try? await connection.channel.executeThenClose { inbound, outbound in
                            let handler = PostgresConnection<Sessions>(
                                inbound: inbound, outbound: outbound, channel: connection.channel.channel,
                                authenticationDeadline: connection.authenticationDeadline,
                                environment: environment, logger: logger)
                            await handler.run()
                        }
                    }
                }
            }
        }
    }
}

/// A connection as accepted: its channel, and the timer that closes it unless authentication ends first.
struct AcceptedConnection: Sendable {
    let channel: NIOAsyncChannel<FrontendMessage, ByteBuffer>
    let authenticationDeadline: Scheduled<Void>
}
