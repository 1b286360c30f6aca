import Synchronization

/// The object store of a REST catalog's tables: files under a location the catalog vended storage
/// credentials for go through an S3 client holding those credentials; everything else goes to the
/// configured store.
///
/// The catalog sends credentials (and sometimes endpoint or region) with each table it loads, as
/// Iceberg FileIO properties (`s3.access-key-id`, `s3.secret-access-key`, `s3.session-token`,
/// `s3.endpoint`, `s3.region`, `s3.path-style-access`); `use(_:for:)` records them for the table's
/// location, replacing what an earlier load gave, so a statement always uses the newest ones. S3
/// clients are shared between locations with the same settings.
public final class VendedCredentialsObjectStore: RoutingObjectStore {
    public let fallback: SchemeDispatchingObjectStore
    private let state = Mutex<State>(State())

    /// Properties every table starts from (the catalog's `/v1/config` answer), under the table's own.
    var catalogProperties: [String: String] {
        get { state.withLock { $0.catalogProperties } }
        set { state.withLock { $0.catalogProperties = newValue } }
    }

    private struct State {
        var catalogProperties: [String: String] = [:]
        /// Normalized location prefix → the store for it.
        var routes: [String: S3ObjectStore] = [:]
        /// Clients by their settings, so tables with the same credentials share connections.
        var clients: [(configuration: S3Configuration, store: S3ObjectStore)] = []
    }

    /// At most this many S3 clients are kept; the least recently added goes first.
    static let maximumClients = 32

    public init(fallback: SchemeDispatchingObjectStore) {
        self.fallback = fallback
    }

    /// Reads and writes under `prefix` with the S3 settings `properties` give (over the catalog's
    /// and the configured ones). Properties without S3 settings leave the prefix to the fallback.
    public func use(_ properties: [String: String], for prefix: String) throws(LakehouseError) {
        guard S3Location.isS3(prefix) else { return }
        let merged = catalogProperties.merging(properties) { _, table in table }
        guard merged.keys.contains(where: { $0.hasPrefix("s3.") || $0 == "client.region" }) else { return }
        let configuration = try Self.configuration(merged, over: fallback.s3?.configuration ?? S3Configuration())
        var key = Self.normalized(prefix)
        if !key.hasSuffix("/") { key += "/" }
        try state.withLock { state throws(LakehouseError) in
            if let existing = state.clients.first(where: { $0.configuration == configuration }) {
                state.routes[key] = existing.store
                return
            }
            let store = try S3ObjectStore(configuration: configuration)
            state.clients.append((configuration, store))
            if state.clients.count > Self.maximumClients { state.clients.removeFirst() }
            state.routes[key] = store
        }
    }

    /// `base` with the FileIO properties applied.
    static func configuration(_ properties: [String: String], over base: S3Configuration) throws(LakehouseError)
        -> S3Configuration
    {
        var configuration = base
        if let endpoint = properties["s3.endpoint"], !endpoint.isEmpty { configuration.endpoint = endpoint }
        if let region = properties["s3.region"] ?? properties["client.region"], !region.isEmpty {
            configuration.region = region
        }
        if let pathStyle = properties["s3.path-style-access"] {
            configuration.pathStyle = pathStyle.lowercased() == "true"
        }
        if let key = properties["s3.access-key-id"], let secret = properties["s3.secret-access-key"] {
            configuration.credentials = S3Credentials(
                accessKeyID: key, secretAccessKey: secret,
                sessionToken: properties["s3.session-token"].flatMap { $0.isEmpty ? nil : $0 })
        }
        try configuration.validate()
        return configuration
    }

    /// The store for `location`: the one registered for its longest prefix, else the fallback's.
    public func store(for location: String) throws(LakehouseError) -> any ObjectStore {
        if S3Location.isS3(location) {
            let key = Self.normalized(location)
            let routed = state.withLock { state in
                state.routes.filter { key.hasPrefix($0.key) }.max { $0.key.count < $1.key.count }?.value
            }
            if let routed { return routed }
        }
        return try fallback.store(for: location)
    }

    /// `s3://bucket/path` for every S3 scheme spelling (`s3a://`, `s3n://`).
    static func normalized(_ location: String) -> String {
        guard let colon = location.range(of: "://") else { return location }
        return "s3://" + location[colon.upperBound...]
    }
}
