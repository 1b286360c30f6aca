import Catalog
import Engine
import Foundation
import Lakehouse

/// Views as Iceberg views: the query is the version's SQL representation in the `postgres` dialect,
/// its default namespace the schema unqualified names resolve in, and the schema records each
/// column's PostgreSQL type in the field's `doc` (Iceberg has no interval, json or OID types).
extension IcebergTableCatalog: ViewCatalog {
    static let dialect = "postgres"
    /// The version summary key holding the creating session's search path (comma-separated).
    static let searchPathKey = "weir.search-path"

    public func view(schema: String, name: String) async throws(EngineError) -> ViewDefinition? {
        let identifier = TableIdentifier(namespace: [schema], name: name)
        let view: IcebergView?
        do {
            view = try await catalog.loadView(identifier)
        } catch {
            throw Self.engineError(error)
        }
        guard let view else { return nil }
        guard let version = view.metadata.currentVersion, let fields = view.metadata.currentSchema?.fields else {
            throw EngineError(.dataCorrupted, "view \"\(identifier)\" has no current version")
        }
        guard let query = version.sql(dialect: Self.dialect) else {
            let dialects = version.representations.map(\.dialect).joined(separator: ", ")
            throw EngineError(
                .featureNotSupported,
                "view \"\(identifier)\" has no query in the \(Self.dialect) dialect (it has: \(dialects))")
        }
        let columns = fields.map { field in
            TableColumn(
                name: field.name,
                type: field.doc.flatMap(DataType.init(recordedTypeName:)) ?? field.type.dataType ?? .text,
                isNullable: !field.required)
        }
        return ViewDefinition(
            schema: schema, name: name, query: query, defaultSchema: version.defaultNamespace.joined(separator: "."),
            searchPath: version.summary[Self.searchPathKey].map { $0.split(separator: ",").map(String.init) } ?? [],
            columns: columns)
    }

    public func viewNames(schema: String) async throws(EngineError) -> [String] {
        do {
            return try await catalog.listViews(namespace: [schema]).map(\.name).sorted()
        } catch {
            throw Self.engineError(error)
        }
    }

    public func createView(_ view: ViewDefinition) async throws(EngineError) {
        let identifier = TableIdentifier(namespace: [view.schema], name: view.name)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        do {
            let metadata = ViewMetadata(
                viewUUID: UUID().uuidString.lowercased(),
                location: try await catalog.defaultViewLocation(identifier) ?? "",
                schemas: [Self.schema(of: view, id: 0)], currentVersionID: 1,
                versions: [Self.version(of: view, id: 1, schemaID: 0, timestampMs: now, catalogName: catalog.name)],
                versionLog: [(1, now)])
            _ = try await catalog.createView(identifier, metadata: metadata)
        } catch {
            throw Self.engineError(error)
        }
    }

    public func replaceView(_ view: ViewDefinition) async throws(EngineError) {
        let identifier = TableIdentifier(namespace: [view.schema], name: view.name)
        do {
            guard let current = try await catalog.loadView(identifier) else {
                throw LakehouseError.noSuchView(identifier, catalog: catalog.name)
            }
            var metadata = current.metadata
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let schemaID = (metadata.schemas.map(\.schemaID).max() ?? -1) + 1
            let versionID = (metadata.versions.map(\.versionID).max() ?? 0) + 1
            metadata.schemas.append(Self.schema(of: view, id: schemaID))
            metadata.versions.append(
                Self.version(of: view, id: versionID, schemaID: schemaID, timestampMs: now, catalogName: catalog.name))
            metadata.versionLog.append((versionID, now))
            metadata.currentVersionID = versionID
            try await catalog.replaceView(
                identifier, expectedMetadataLocation: current.metadataLocation, metadata: metadata)
        } catch {
            throw Self.engineError(error)
        }
    }

    public func dropView(schema: String, name: String) async throws(EngineError) {
        do {
            try await catalog.dropView(TableIdentifier(namespace: [schema], name: name))
        } catch {
            throw Self.engineError(error)
        }
    }

    private static func version(
        of view: ViewDefinition, id: Int, schemaID: Int, timestampMs: Int64, catalogName: String
    ) -> ViewVersion {
        ViewVersion(
            versionID: id, timestampMs: timestampMs, schemaID: schemaID,
            summary: [
                "engine-name": "weir", "engine-version": "0.1.0", searchPathKey: view.searchPath.joined(separator: ","),
            ],
            representations: [SQLRepresentation(sql: view.query, dialect: dialect)],
            defaultNamespace: view.defaultSchema.split(separator: ".").map(String.init), defaultCatalog: catalogName)
    }

    /// The view's columns as an Iceberg schema, each field documenting its PostgreSQL type.
    private static func schema(of view: ViewDefinition, id: Int) -> IcebergSchema {
        var nextID = view.columns.count + 1
        let fields = view.columns.enumerated().map { index, column in
            NestedField(
                id: index + 1, name: column.name, type: icebergType(column.type, nextID: &nextID), required: false,
                doc: column.type.sqlName)
        }
        return IcebergSchema(schemaID: id, fields: fields)
    }

    /// The Iceberg type closest to a Weir type; text for types Iceberg lacks (the field's doc
    /// keeps the real one).
    static func icebergType(_ type: DataType, nextID: inout Int) -> IcebergType {
        if case .array(let element) = type {
            let elementID = nextID
            nextID += 1
            return .list(elementID: elementID, element: icebergType(element, nextID: &nextID), elementRequired: false)
        }
        return storedType(type) ?? .string
    }
}
