import Engine
import Foundation
import Testing

@testable import Lakehouse

/// An Iceberg table PyIceberg writes to S3 (moto, signatures checked), read end to end through
/// the embedded SQL catalog and the scheme-dispatching store: metadata, manifest list, manifests
/// and Parquet files all come over S3, and the rows must be the ones PyIceberg's own scan returns.
@Suite(.enabled(if: S3TestService.isAvailable, "set WEIR_TEST_S3_CREDENTIALS (make test does)"))
struct S3IcebergTableTests {
    let service = S3TestService.current!

    @Test func readsAPyIcebergTableOnS3() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "weir-s3-iceberg-\(UUID().uuidString)"
        )
        .path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try PyIcebergFixture.runScript(
            "make-iceberg-s3-fixture.py",
            arguments: [service.credentialsFile, directory, "iceberg-\(UUID().uuidString.lowercased())"])
        let expected = try #require(
            JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/expected.json")))
                as? [String: Any])

        let store = SchemeDispatchingObjectStore(s3: try S3ObjectStore(configuration: service.configuration()))
        let catalog = try SQLCatalog.embedded(dataDirectory: directory, store: store)
        let table = try await catalog.loadTable(TableIdentifier(namespace: ["s3"], name: "trips"))
        #expect(table.metadataLocation == expected["metadata_location"] as? String)
        #expect(table.metadataLocation.hasPrefix("s3://\(service.bucket)/"))

        let plan = try await TableScan(table: table, store: store).plan()
        #expect(plan.splits.map(\.location).sorted() == expected["data_files"] as? [String])

        let fields = plan.schema.fields
        let columns = try fields.map { field in
            IcebergReadColumn(field: field, type: try #require(field.type.dataType))
        }
        let work = try await IcebergScanWork.open(
            splits: plan.splits, columns: columns, schema: plan.schema, store: store, tableName: "s3.trips")
        let stream = IcebergSplitStream(
            work: work, columns: columns, tableName: "s3.trips", context: EvaluationContext(),
            cancellation: QueryCancellation())
        var rows: [[Value]] = []
        while let batch = try await stream.next() {
            for row in 0..<batch.rowCount { rows.append(batch.columns.map { $0.value(at: row) }) }
        }
        rows.sort { Self.id($0) < Self.id($1) }

        let expectedRows = (expected["rows"] as? [[String: Any]] ?? []).map(Self.values)
        #expect(fields.map(\.name) == ["id", "city", "fare", "pickup"])
        #expect(rows.count == 100)
        #expect(rows == expectedRows)
    }

    private static func id(_ row: [Value]) -> Int64 {
        if case .int64(let id) = row[0] { return id }
        return .min
    }

    /// A row of expected.json as engine values: timestamps as microseconds since the epoch (UTC).
    private static func values(_ row: [String: Any]) -> [Value] {
        let city = (row["city"] as? String).map(Value.text) ?? .null
        let fare = (row["fare"] as? NSNumber).map { Value.float64($0.doubleValue) } ?? .null
        var pickup = Value.null
        if let text = row["pickup"] as? String {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate]
            formatter.timeZone = TimeZone(identifier: "UTC")
            if let date = formatter.date(from: text) { pickup = .int64(Int64(date.timeIntervalSince1970) * 1_000_000) }
        }
        return [.int64((row["id"] as? NSNumber)?.int64Value ?? -1), city, fare, pickup]
    }
}
