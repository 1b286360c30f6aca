import Foundation

@testable import Lakehouse

/// Tables PyIceberg writes with `scripts/make-iceberg-fixtures.py`, and the facts PyIceberg
/// reports about them (`expected.json`), made once per test process in a temporary directory.
struct PyIcebergFixture: Sendable {
    let directory: String
    /// The bytes of expected.json.
    let expectedJSON: Data

    static let shared = Task<PyIcebergFixture, any Error> { try make() }

    /// The repository root, found from this file's path.
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    private static func make() throws -> PyIcebergFixture {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "weir-iceberg-\(UUID().uuidString)"
        )
        .path
        try runScript("make-iceberg-fixtures.py", arguments: [directory])
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/expected.json"))
        return PyIcebergFixture(directory: directory, expectedJSON: data)
    }

    /// Runs `scripts/<name>` with `$PYTHON` (default python3); its stderr becomes the error.
    static func runScript(_ name: String, arguments: [String]) throws {
        let run = try PythonRun.run([repositoryRoot.appendingPathComponent("scripts/\(name)").path] + arguments)
        guard run.succeeded else {
            throw LakehouseError(.systemError, "\(name) failed: \(run.errors)")
        }
    }

    var catalog: SQLCatalog {
        get throws { try SQLCatalog.embedded(dataDirectory: directory) }
    }

    /// What PyIceberg reported about `table`.
    func facts(_ table: String) -> [String: Any] {
        let all = (try? JSONSerialization.jsonObject(with: expectedJSON)) as? [String: Any]
        return all?[table] as? [String: Any] ?? [:]
    }

    /// The data files PyIceberg planned for each snapshot of `table`: snapshot id → sorted
    /// (path, record count, delete paths).
    func plannedFiles(_ table: String) -> [Int64: [PlannedFile]] {
        var result: [Int64: [PlannedFile]] = [:]
        for snapshot in facts(table)["snapshots"] as? [[String: Any]] ?? [] {
            let id = (snapshot["snapshot_id"] as? NSNumber)?.int64Value ?? -1
            result[id] = PlannedFile.list(snapshot["files"])
        }
        return result
    }
}

/// One file of a scan plan, reduced to what PyIceberg and Weir both report.
struct PlannedFile: Hashable, CustomStringConvertible {
    let path: String
    let recordCount: Int64
    let deletes: [String]

    static func list(_ json: Any?) -> [PlannedFile] {
        (json as? [[String: Any]] ?? []).map { file in
            PlannedFile(
                path: file["path"] as? String ?? "", recordCount: (file["record_count"] as? NSNumber)?.int64Value ?? -1,
                deletes: file["deletes"] as? [String] ?? [])
        }.sorted { $0.path < $1.path }
    }

    static func list(_ plan: ScanPlan) -> [PlannedFile] {
        plan.splits.map { split in
            PlannedFile(
                path: split.location, recordCount: split.dataFile.recordCount,
                deletes: (split.positionDeletes + split.equalityDeletes).map(\.filePath).sorted())
        }.sorted { $0.path < $1.path }
    }

    var description: String { "\(path) (\(recordCount) rows, deletes \(deletes))" }
}
