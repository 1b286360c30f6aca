import Engine
import Foundation
import Testing

@testable import Lakehouse

/// The Parquet files `scripts/make-parquet-fixtures.py` writes, generated once per test process into
/// a temporary directory, with the values pyarrow says they hold.
enum ParquetFixtures {
    /// A value in the canonical form of `expected.json`.
    enum Expected: Equatable, CustomStringConvertible {
        case null
        case text(String)
        case number(Double)

        var description: String {
            switch self {
            case .null: return "NULL"
            case .text(let value): return "'\(value)'"
            case .number(let value): return "\(value)"
            }
        }

        init(json: Any) {
            switch json {
            case is NSNull: self = .null
            case let string as String where string.hasPrefix("f:"): self = .number(Double(string.dropFirst(2)) ?? .nan)
            case let string as String: self = .text(string)
            default: self = .text("\(json)")
            }
        }

        /// The canonical form of an engine value of `type`.
        init(_ value: Value, type: DataType) {
            switch value {
            case .null: self = .null
            case .bool(let value): self = .text(value ? "true" : "false")
            case .int16(let value): self = .text(String(value))
            case .int32(let value): self = .text(String(value))
            case .int64(let value): self = .text(String(value))
            case .uint32(let value): self = .text(String(value))
            case .decimal(let value): self = .text(String(value))
            case .float32(let value): self = .number(Double(value))
            case .float64(let value): self = .number(value)
            case .bytes(let bytes) where type == .bytea: self = .text(bytes.map { String(format: "%02x", $0) }.joined())
            case .bytes(let bytes): self = .text(String(decoding: bytes, as: UTF8.self))
            case .interval, .array: self = .text("\(value)")
            }
        }
    }

    struct Fixtures: @unchecked Sendable {
        let directory: URL
        /// The parsed `expected.json`; read-only after loading, which is why sharing it is safe.
        let expected: [String: Any]

        func location(_ file: String) -> String { directory.appendingPathComponent(file + ".parquet").path }

        func fileEntry(_ file: String) -> [String: Any] {
            (expected["files"] as? [String: Any])?[file] as? [String: Any] ?? [:]
        }

        func table(for file: String) -> [String: Any] {
            let name = fileEntry(file)["table"] as? String ?? ""
            return (expected["tables"] as? [String: Any])?[name] as? [String: Any] ?? [:]
        }
    }

    static let shared: Fixtures = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "weir-parquet-\(UUID().uuidString)")
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("scripts/make-parquet-fixtures.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, directory.path]
        do {
            try process.run()
            process.waitUntilExit()
        } catch {
            fatalError("could not run \(script.path): \(error)")
        }
        guard process.terminationStatus == 0,
            let data = FileManager.default.contents(atPath: directory.appendingPathComponent("expected.json").path),
            let expected = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { fatalError("\(script.path) failed with status \(process.terminationStatus)") }
        return Fixtures(directory: directory, expected: expected)
    }()

    /// Type names as the fixture script spells them.
    static func typeName(_ type: DataType) -> String {
        if case .numeric(let precision, let scale) = type { return "numeric(\(precision ?? 0),\(scale ?? 0))" }
        return "\(type)"
    }

    /// Every value of `column`, read across all row groups.
    static func readAll(_ file: ParquetFile, columns: [Int]) async throws -> [[Expected]] {
        let reader = ParquetRowGroupReader(file: file, store: LocalObjectStore())
        var values = Array(repeating: [Expected](), count: columns.count)
        for rowGroup in 0..<file.rowGroupCount {
            let decoded = try await reader.read(rowGroup: rowGroup, columns: columns)
            for (position, column) in decoded.enumerated() {
                #expect(column.count == file.rowGroupRowCounts[rowGroup])
                for row in 0..<column.count {
                    values[position].append(Expected(column.value(at: row), type: column.type))
                }
            }
        }
        return values
    }
}
