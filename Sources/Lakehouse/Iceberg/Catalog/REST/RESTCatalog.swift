import Foundation
import NIOHTTP1
import Synchronization

/// An Iceberg REST catalog (the Iceberg project's REST catalog OpenAPI specification), as served
/// by Polaris, Nessie, Lakekeeper, Gravitino, Unity Catalog and others.
///
/// On first use the client asks `GET /v1/config` for the catalog's settings (its `prefix`, a
/// different `uri`, FileIO defaults such as `s3.endpoint`). Tables are loaded with the
/// `vended-credentials` access delegation, and the storage credentials the catalog sends with a
/// table are used for that table's files (`VendedCredentialsObjectStore`). The catalog writes
/// metadata files itself: a commit sends the requirements and updates that `TableChanges` finds
/// between the loaded metadata and the new one, and the catalog answers 409 when another writer
/// got there first.
public final class RESTCatalog: IcebergCatalog {
    public var name: String { client.configuration.name }
    /// The store for this catalog's tables' files: vended credentials where the catalog gave
    /// them, the configured store elsewhere.
    public let store: VendedCredentialsObjectStore
    let client: RESTClient
    private let session = Mutex<Session?>(nil)

    /// What `GET /v1/config` said.
    struct Session {
        /// `<uri>/v1[/<prefix>]`, which every resource path follows.
        var root: String
        /// The catalog's properties: its defaults, Weir's settings, its overrides.
        var properties: [String: String]
        /// Whether the catalog lists the view endpoints (or lists no endpoints at all).
        var servesViews: Bool
    }

    /// A catalog reached as `configuration` says, whose tables' files are read through `store`
    /// unless the catalog vends credentials for them. `22023` for an invalid configuration.
    public init(configuration: RESTCatalogConfiguration, store: SchemeDispatchingObjectStore) throws(LakehouseError) {
        client = try RESTClient(configuration: configuration)
        self.store = VendedCredentialsObjectStore(fallback: store)
    }

    // MARK: Configuration

    private func resolvedSession() async throws -> Session {
        if let session = session.withLock({ $0 }) { return session }
        let configuration = client.configuration
        var url = RESTClient.trimmed(configuration.uri) + "/v1/config"
        if let warehouse = configuration.warehouse { url += "?warehouse=" + RESTPaths.encodeComponent(warehouse) }
        let object = try await client.send(.init(method: .GET, url: url, subject: "its configuration")).object(
            from: url)
        let defaults = object.has("defaults") ? try object.stringMap("defaults") : [:]
        let overrides = object.has("overrides") ? try object.stringMap("overrides") : [:]
        var properties = defaults
        if let warehouse = configuration.warehouse { properties["warehouse"] = warehouse }
        properties.merge(overrides) { _, override in override }
        let base = RESTClient.trimmed(properties["uri"] ?? configuration.uri) + "/v1"
        let prefix = properties["prefix"].flatMap { $0.isEmpty ? nil : $0 }
        let endpoints = object.has("endpoints") ? try object.stringArray("endpoints") : nil
        let resolved = Session(
            root: base
                + (prefix.map {
                    "/" + $0.split(separator: "/").map { RESTPaths.encodeComponent(String($0)) }.joined(separator: "/")
                } ?? ""),
            properties: properties,
            servesViews: endpoints.map { $0.contains("GET /v1/{prefix}/namespaces/{namespace}/views/{view}") } ?? true)
        store.catalogProperties = properties.filter { $0.key.hasPrefix("s3.") || $0.key == "client.region" }
        return session.withLock { current in
            if let current { return current }
            current = resolved
            return resolved
        }
    }

    private func namespaceURL(_ namespace: [String]) async throws -> String {
        try await resolvedSession().root + "/namespaces/" + RESTPaths.namespace(namespace)
    }

    private func tableURL(_ identifier: TableIdentifier) async throws -> String {
        try await namespaceURL(identifier.namespace) + "/tables/" + RESTPaths.encodeComponent(identifier.name)
    }

    private func viewURL(_ identifier: TableIdentifier) async throws -> String {
        try await namespaceURL(identifier.namespace) + "/views/" + RESTPaths.encodeComponent(identifier.name)
    }

    private static func subject(_ namespace: [String]) -> String { "schema \"\(namespace.joined(separator: "."))\"" }

    /// Follows `next-page-token` through every page of a listing, collecting `key`'s elements.
    private func pages(_ url: String, key: String, subject: String, namespace: [String]?) async throws -> [Any] {
        var elements: [Any] = []
        var token: String?
        repeat {
            var pageURL = url
            if let token {
                pageURL += (url.contains("?") ? "&" : "?") + "pageToken=" + RESTPaths.encodeComponent(token)
            }
            let response = try await client.send(
                .init(
                    method: .GET, url: pageURL, subject: subject, namespace: namespace,
                    notFound: namespace.map { LakehouseError.noSuchNamespace($0, catalog: name) }))
            let object = try response.object(from: pageURL)
            guard let page = object.fields[key] as? [Any] else { throw object.problem(key, "is not a list") }
            elements += page
            token = try object.optionalString("next-page-token").flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return elements
    }

    // MARK: Namespaces

    public func listNamespaces(parent: [String]) async throws -> [[String]] {
        var url = try await resolvedSession().root + "/namespaces"
        if !parent.isEmpty { url += "?parent=" + RESTPaths.namespace(parent) }
        let namespaces = try await pages(
            url, key: "namespaces", subject: "its schemas", namespace: parent.isEmpty ? nil : parent)
        return namespaces.compactMap { $0 as? [String] }.sorted {
            $0.joined(separator: ".") < $1.joined(separator: ".")
        }
    }

    public func namespaceExists(_ namespace: [String]) async throws -> Bool {
        let response = try await client.send(
            .init(method: .GET, url: try await namespaceURL(namespace), subject: Self.subject(namespace)),
            accepting: [404])
        return response.status != 404
    }

    public func createNamespaceIfMissing(_ namespace: [String]) async throws {
        let url = try await resolvedSession().root + "/namespaces"
        do {
            _ = try await client.send(
                .init(
                    method: .POST, url: url, json: ["namespace": namespace, "properties": [String: String]()],
                    isCommit: true,
                    subject: Self.subject(namespace)),
                accepting: [409])
        } catch let unknown as RESTClient.CommitOutcomeUnknown {
            throw LakehouseError(
                .ioError, "could not tell whether \(Self.subject(namespace)) was created: \(unknown.reason)")
        }
    }

    public func dropNamespace(_ namespace: [String]) async throws {
        _ = try await client.send(
            .init(
                method: .DELETE, url: try await namespaceURL(namespace), subject: Self.subject(namespace),
                namespace: namespace,
                notFound: .noSuchNamespace(namespace, catalog: name)))
    }

    // MARK: Tables

    public func listTables(namespace: [String]) async throws -> [TableIdentifier] {
        let identifiers = try await pages(
            try await namespaceURL(namespace) + "/tables", key: "identifiers", subject: Self.subject(namespace),
            namespace: namespace)
        return identifiers.compactMap { element in
            guard let object = element as? [String: Any], let name = object["name"] as? String else { return nil }
            return TableIdentifier(namespace: object["namespace"] as? [String] ?? namespace, name: name)
        }.sorted { $0.name < $1.name }
    }

    private func tableRequest(
        _ method: HTTPMethod, _ identifier: TableIdentifier, url: String, json: Any? = nil, isCommit: Bool = false
    )
        -> RESTClient.Request
    {
        var request = RESTClient.Request(
            method: method, url: url, json: json, isCommit: isCommit, subject: "table \"\(identifier)\"",
            namespace: identifier.namespace, notFound: .noSuchTable(identifier, catalog: name))
        if client.configuration.vendedCredentials {
            request.headers.append(("X-Iceberg-Access-Delegation", "vended-credentials"))
        }
        return request
    }

    public func loadTable(_ identifier: TableIdentifier) async throws -> IcebergTable {
        let url = try await tableURL(identifier)
        let response = try await client.send(tableRequest(.GET, identifier, url: url))
        return try await loadedTable(identifier, response.object(from: url))
    }

    /// The table a `LoadTableResult` (or `CommitTableResponse`) describes; its storage
    /// credentials, if any, are put to use for its files.
    private func loadedTable(_ identifier: TableIdentifier, _ object: JSONObject) async throws -> IcebergTable {
        guard let location = try object.optionalString("metadata-location") else {
            throw object.problem("metadata-location", "is missing: the table is staged, not created")
        }
        let document = try object.object("metadata")
        let metadata = try await IcebergFileCache.shared.value("metadata:" + location) {
            let bytes = Array(try JSONSerialization.data(withJSONObject: document.fields))
            return (try TableMetadataParser.parse(bytes, location: location), bytes.count)
        }
        if object.has("config") { try store.use(try object.stringMap("config"), for: metadata.location) }
        if object.has("storage-credentials") {
            for credential in try object.objects("storage-credentials") {
                try store.use(try credential.stringMap("config"), for: try credential.string("prefix"))
            }
        }
        return IcebergTable(identifier: identifier, metadataLocation: location, metadata: metadata)
    }

    public func commitTable(_ base: IcebergTable, metadata: TableMetadata) async throws -> IcebergTable {
        let changes = TableChanges(base: base.metadata, updated: metadata)
        guard !changes.isEmpty else { return base }
        let url = try await tableURL(base.identifier)
        do {
            let response = try await client.send(
                tableRequest(.POST, base.identifier, url: url, json: changes.body(for: base.identifier), isCommit: true)
            )
            return try await loadedTable(base.identifier, response.object(from: url))
        } catch let unknown as RESTClient.CommitOutcomeUnknown {
            throw LakehouseError.commitStateUnknown(base.identifier, unknown.reason)
        }
    }

    /// Creates the table from `metadata`'s current schema, default spec and sort order, and
    /// properties; an empty location lets the catalog place it.
    public func createTable(_ identifier: TableIdentifier, metadata: TableMetadata) async throws -> IcebergTable {
        var body: [String: Any] = [
            "name": identifier.name,
            "schema": IcebergSchemaJSON.schema(metadata.currentSchema ?? IcebergSchema(schemaID: 0, fields: [])),
            "stage-create": false,
            "properties": metadata.properties.merging(["format-version": String(metadata.formatVersion)]) { own, _ in
                own
            },
        ]
        if !metadata.location.isEmpty { body["location"] = metadata.location }
        if let spec = metadata.partitionSpec(id: metadata.defaultSpecID) {
            body["partition-spec"] = TableMetadataSerializer.specJSON(spec)
        }
        if let order = metadata.sortOrders.first(where: { $0.orderID == metadata.defaultSortOrderID }) {
            body["write-order"] = TableMetadataSerializer.sortOrderJSON(order)
        }
        let url = try await namespaceURL(identifier.namespace) + "/tables"
        var request = tableRequest(.POST, identifier, url: url, json: body, isCommit: true)
        request.notFound = .noSuchNamespace(identifier.namespace, catalog: name)
        do {
            let response = try await client.send(request)
            return try await loadedTable(identifier, response.object(from: url))
        } catch let error as LakehouseError where error.sqlState == .duplicateTable {
            throw LakehouseError.relationExists(identifier)
        } catch let unknown as RESTClient.CommitOutcomeUnknown {
            throw LakehouseError(
                .ioError, "could not tell whether table \"\(identifier)\" was created: \(unknown.reason)")
        }
    }

    /// Drops the table; with `purge` the catalog is asked to remove its files too.
    public func dropTable(_ identifier: TableIdentifier, purge: Bool) async throws {
        let url = try await tableURL(identifier) + (purge ? "?purgeRequested=true" : "")
        _ = try await client.send(tableRequest(.DELETE, identifier, url: url))
    }

    public func renameTable(_ identifier: TableIdentifier, to newIdentifier: TableIdentifier) async throws {
        let url = try await resolvedSession().root + "/tables/rename"
        let body: [String: Any] = [
            "source": ["namespace": identifier.namespace, "name": identifier.name],
            "destination": ["namespace": newIdentifier.namespace, "name": newIdentifier.name],
        ]
        do {
            _ = try await client.send(tableRequest(.POST, identifier, url: url, json: body, isCommit: true))
        } catch let error as LakehouseError where error.sqlState == .duplicateTable {
            throw LakehouseError.relationExists(newIdentifier)
        } catch let unknown as RESTClient.CommitOutcomeUnknown {
            throw LakehouseError(
                .ioError, "could not tell whether table \"\(identifier)\" was renamed: \(unknown.reason)")
        }
    }

    /// Nil: the catalog places new tables itself.
    public func defaultTableLocation(_ identifier: TableIdentifier) async throws -> String? { nil }

    // MARK: Views

    private func viewRequest(
        _ method: HTTPMethod, _ identifier: TableIdentifier, url: String, json: Any? = nil, isCommit: Bool = false
    )
        -> RESTClient.Request
    {
        RESTClient.Request(
            method: method, url: url, json: json, isCommit: isCommit, subject: "view \"\(identifier)\"",
            namespace: identifier.namespace, notFound: .noSuchView(identifier, catalog: name))
    }

    /// Views in `namespace`; none when the catalog does not serve views.
    public func listViews(namespace: [String]) async throws -> [TableIdentifier] {
        guard try await resolvedSession().servesViews else { return [] }
        let identifiers: [Any]
        do {
            identifiers = try await pages(
                try await namespaceURL(namespace) + "/views", key: "identifiers", subject: Self.subject(namespace),
                namespace: namespace)
        } catch let error as LakehouseError
            where error.sqlState == .featureNotSupported || error.sqlState == .undefinedTable
        {
            return []
        }
        return identifiers.compactMap { element in
            guard let object = element as? [String: Any], let name = object["name"] as? String else { return nil }
            return TableIdentifier(namespace: object["namespace"] as? [String] ?? namespace, name: name)
        }.sorted { $0.name < $1.name }
    }

    public func loadView(_ identifier: TableIdentifier) async throws -> IcebergView? {
        guard try await resolvedSession().servesViews else { return nil }
        let url = try await viewURL(identifier)
        let response = try await client.send(viewRequest(.GET, identifier, url: url), accepting: [404])
        guard response.status != 404 else { return nil }
        return try loadedView(identifier, response.object(from: url))
    }

    private func loadedView(_ identifier: TableIdentifier, _ object: JSONObject) throws -> IcebergView {
        let location = try object.string("metadata-location")
        let bytes = Array(try JSONSerialization.data(withJSONObject: try object.object("metadata").fields))
        return IcebergView(
            identifier: identifier, metadataLocation: location,
            metadata: try ViewMetadataSerde.parse(bytes, location: location))
    }

    public func createView(_ identifier: TableIdentifier, metadata: ViewMetadata) async throws -> IcebergView {
        guard try await resolvedSession().servesViews,
            let schema = metadata.currentSchema, let version = metadata.currentVersion
        else {
            throw LakehouseError.unsupported("REST catalog \"\(name)\" does not serve views")
        }
        var body: [String: Any] = [
            "name": identifier.name, "schema": IcebergSchemaJSON.schema(schema),
            "view-version": ViewMetadataSerde.versionJSON(version), "properties": metadata.properties,
        ]
        if !metadata.location.isEmpty { body["location"] = metadata.location }
        let url = try await namespaceURL(identifier.namespace) + "/views"
        var request = viewRequest(.POST, identifier, url: url, json: body, isCommit: true)
        request.notFound = .noSuchNamespace(identifier.namespace, catalog: name)
        do {
            return try loadedView(identifier, try await client.send(request).object(from: url))
        } catch let error as LakehouseError where error.sqlState == .duplicateTable {
            throw LakehouseError.relationExists(identifier)
        } catch let unknown as RESTClient.CommitOutcomeUnknown {
            throw LakehouseError(
                .ioError, "could not tell whether view \"\(identifier)\" was created: \(unknown.reason)")
        }
    }

    /// Commits `metadata`'s new schemas and versions and makes its current version current. The
    /// REST protocol checks only that the view is still the same view (its uuid).
    public func replaceView(_ identifier: TableIdentifier, expectedMetadataLocation: String, metadata: ViewMetadata)
        async throws
    {
        guard let current = try await loadView(identifier) else {
            throw LakehouseError.noSuchView(identifier, catalog: name)
        }
        guard current.metadataLocation == expectedMetadataLocation else {
            throw LakehouseError.commitConflict(identifier)
        }
        let knownSchemas = Set(current.metadata.schemas.map(\.schemaID))
        let knownVersions = Set(current.metadata.versions.map(\.versionID))
        var updates: [[String: Any]] = []
        for schema in metadata.schemas where !knownSchemas.contains(schema.schemaID) {
            updates.append(["action": "add-schema", "schema": IcebergSchemaJSON.schema(schema)])
        }
        for version in metadata.versions where !knownVersions.contains(version.versionID) {
            updates.append(["action": "add-view-version", "view-version": ViewMetadataSerde.versionJSON(version)])
        }
        let newVersion = !knownVersions.contains(metadata.currentVersionID)
        updates.append([
            "action": "set-current-view-version", "view-version-id": newVersion ? -1 : metadata.currentVersionID,
        ])
        let changed = metadata.properties.filter { current.metadata.properties[$0.key] != $0.value }
        if !changed.isEmpty { updates.append(["action": "set-properties", "updates": changed]) }
        let body: [String: Any] = [
            "identifier": ["namespace": identifier.namespace, "name": identifier.name],
            "requirements": [["type": "assert-view-uuid", "uuid": current.metadata.viewUUID]], "updates": updates,
        ]
        do {
            _ = try await client.send(
                viewRequest(.POST, identifier, url: try await viewURL(identifier), json: body, isCommit: true))
        } catch let unknown as RESTClient.CommitOutcomeUnknown {
            throw LakehouseError.commitStateUnknown(identifier, unknown.reason)
        }
    }

    public func dropView(_ identifier: TableIdentifier) async throws {
        _ = try await client.send(viewRequest(.DELETE, identifier, url: try await viewURL(identifier)))
    }

    /// Nil: the catalog places new views itself.
    public func defaultViewLocation(_ identifier: TableIdentifier) async throws -> String? { nil }
}

/// Path and form encoding for catalog URLs.
enum RESTPaths {
    /// RFC 3986 percent-encoding of everything but unreserved characters.
    static func encodeComponent(_ text: String) -> String { S3URIEncoding.encodeQueryComponent(text) }

    /// A namespace in a path or `parent` parameter: its levels encoded and joined by the unit
    /// separator (`%1F`), as the specification asks.
    static func namespace(_ levels: [String]) -> String { levels.map(encodeComponent).joined(separator: "%1F") }
}
