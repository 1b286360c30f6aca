import Catalog
import ArgumentParser
import Planner
import Foundation
import IcebergConnector
import Lakehouse
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Session
import SystemCatalog
import WireProtocol

/// `weir serve`: runs the gateway until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Serve the PostgreSQL protocol.")

    @Option(help: "YAML configuration file (default: the embedded configuration).")
    var config: String?

    @Option(help: "Address to listen on (overrides server.host).")
    var host: String?

    @Option(help: "Port to listen on (overrides server.port).")
    var port: Int?

    @Option(name: .customLong("data-dir"), help: "Data directory (overrides server.data_dir).")
    var dataDirectory: String?

    func run() async throws {
        MemoryAllocatorTuning.apply()
        var configuration = try config.map(WeirConfiguration.load(path:)) ?? WeirConfiguration()
        if let host { configuration.server.host = host }
        if let port { configuration.server.port = port }
        if let dataDirectory { configuration.server.dataDir = dataDirectory }
        try configuration.validate()

        let level = Logger.Level(rawValue: configuration.log.level) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "weir")
        try FileManager.default.createDirectory(atPath: configuration.server.dataDir, withIntermediateDirectories: true)

        var tls: TLSConfiguration?
        if let settings = configuration.tls {
            let chain = try NIOSSLCertificate.fromPEMFile(settings.certificate).map {
                NIOSSLCertificateSource.certificate($0)
            }
            let key = try NIOSSLPrivateKey(file: settings.privateKey, format: .pem)
            tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        }
        let dataDirectory = URL(fileURLWithPath: configuration.server.dataDir).standardizedFileURL.path
        let store = try configuration.storage.objectStore()
        let cache = try configuration.storage.byteRangeCache()
        func cached(_ store: any ObjectStore) -> any ObjectStore {
            cache.map { CachingObjectStore(base: store, cache: $0) } ?? store
        }
        let lakehouse = try SQLCatalog.embedded(dataDirectory: dataDirectory, store: cached(store))
        var catalogs: [String: any TableCatalog] = [
            lakehouse.name: IcebergTableCatalog(catalog: lakehouse, store: lakehouse.store)
        ]
        let environment = ProcessInfo.processInfo.environment
        for (index, entry) in configuration.catalogs.enumerated() {
            let key = "catalogs[\(index)]"
            if entry.type == "sql" {
                let (database, warehouse) = try entry.sqlDatabase(key: key, environment: environment)
                let sql = try SQLCatalog(
                    name: entry.name, database: database, warehouse: warehouse, store: cached(store))
                catalogs[sql.name] = IcebergTableCatalog(catalog: sql, store: sql.store)
            } else {
                let rest = try RESTCatalog(
                    configuration: try entry.restConfiguration(key: key, environment: environment), store: store)
                catalogs[rest.name] = IcebergTableCatalog(catalog: rest, store: cached(rest.store))
            }
        }
        let server = try WireServer(
            configuration: .init(
                host: configuration.server.host, port: configuration.server.port, tls: tls,
                maximumMessageLength: configuration.server.maxMessageBytes,
                authenticationTimeout: .milliseconds(Int64(configuration.server.authenticationTimeoutSeconds * 1000))),
            users: try configuration.userDirectory(),
            sessions: SQLSessionFactory(
                databases: configuration.databases, catalogs: catalogs, systemCatalogs: SystemCatalog.factory,
                accessControl: AllowEverything(), queryMemoryLimit: try configuration.engine.queryMemoryLimitBytes()),
            logger: logger)

        let (signals, signalSources) = Self.shutdownSignals()
        let host = configuration.server.host
        let database = configuration.server.databases[0]
        try await server.run(
            onBound: { port in
                logger.notice(
                    "ready", metadata: ["connect": "psql \"host=\(host) port=\(port) user=demo dbname=\(database)\""])
            },
            shutdown: {
                for await _ in signals { return }
            })
        withExtendedLifetime(signalSources) {}
        logger.notice("stopped")
    }

    /// A stream that yields when the process receives SIGTERM or SIGINT, and the sources feeding it.
    static func shutdownSignals() -> (AsyncStream<Void>, [any DispatchSourceSignal]) {
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        let sources = [SIGTERM, SIGINT].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { continuation.yield() }
            source.resume()
            return source
        }
        return (stream, sources)
    }
}
