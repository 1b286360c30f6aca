import Foundation

/// Reads and writes view metadata JSON (Iceberg view spec, format version 1).
public enum ViewMetadataSerde {
    public static func parse(_ bytes: [UInt8], location: String) throws -> ViewMetadata {
        let root = try JSONObject.parse(bytes, location: location)
        let formatVersion = try root.int("format-version")
        guard formatVersion == 1 else {
            throw LakehouseError.unsupported(
                "view metadata format version \(formatVersion) in \"\(location)\" is not supported")
        }
        let versions = try root.objects("versions").map { version in
            ViewVersion(
                versionID: try version.int("version-id"),
                timestampMs: try version.int64("timestamp-ms"),
                schemaID: try version.int("schema-id"),
                summary: version.has("summary") ? try version.stringMap("summary") : [:],
                representations: try version.objects("representations").compactMap { representation in
                    // Only SQL representations exist in version 1; others are skipped, as the spec asks.
                    guard try representation.string("type").lowercased() == "sql" else { return nil }
                    return SQLRepresentation(
                        sql: try representation.string("sql"), dialect: try representation.string("dialect"))
                },
                defaultNamespace: try version.stringArray("default-namespace"),
                defaultCatalog: try version.optionalString("default-catalog"))
        }
        let metadata = ViewMetadata(
            viewUUID: try root.string("view-uuid"),
            formatVersion: formatVersion,
            location: try root.string("location"),
            schemas: try root.objects("schemas").map { try IcebergTypeParser.schema($0) },
            currentVersionID: try root.int("current-version-id"),
            versions: versions,
            versionLog: try root.objects("version-log").map { entry in
                (try entry.int("version-id"), try entry.int64("timestamp-ms"))
            },
            properties: root.has("properties") ? try root.stringMap("properties") : [:])
        guard metadata.currentVersion != nil, metadata.currentSchema != nil else {
            throw LakehouseError.corrupt(location, "view metadata names a current version or schema it does not hold")
        }
        return metadata
    }

    public static func serialize(_ metadata: ViewMetadata) throws -> [UInt8] {
        var root: [String: Any] = [
            "view-uuid": metadata.viewUUID,
            "format-version": metadata.formatVersion,
            "location": metadata.location,
            "schemas": metadata.schemas.map(IcebergSchemaJSON.schema),
            "current-version-id": metadata.currentVersionID,
            "versions": metadata.versions.map(versionJSON),
            "version-log": metadata.versionLog.map { ["version-id": $0.versionID, "timestamp-ms": $0.timestampMs] },
        ]
        if !metadata.properties.isEmpty { root["properties"] = metadata.properties }
        return Array(try JSONSerialization.data(withJSONObject: root, options: [.sortedKeys, .withoutEscapingSlashes]))
    }

    /// One view version as the metadata file (and a REST catalog) spells it.
    static func versionJSON(_ version: ViewVersion) -> [String: Any] {
        var object: [String: Any] = [
            "version-id": version.versionID,
            "timestamp-ms": version.timestampMs,
            "schema-id": version.schemaID,
            "summary": version.summary,
            "representations": version.representations.map { ["type": "sql", "sql": $0.sql, "dialect": $0.dialect] },
            "default-namespace": version.defaultNamespace,
        ]
        if let catalog = version.defaultCatalog { object["default-catalog"] = catalog }
        return object
    }
}
