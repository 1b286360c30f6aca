import Engine
import Lakehouse

/// A table name as written in SQL, split into the Iceberg table and an optional suffix:
/// `orders@123` (snapshot id), `orders@2024-05-01 12:00:00` (as of a time, UTC unless the text
/// carries an offset), `orders@audit-branch` (branch or tag), `orders$snapshots` (metadata table).
struct IcebergTableReference {
    let table: String
    let metadataTable: String?
    let snapshotText: String?

    init(_ name: String) {
        if let dollar = name.firstIndex(of: "$") {
            table = String(name[..<dollar])
            metadataTable = String(name[name.index(after: dollar)...])
            snapshotText = nil
        } else if let at = name.firstIndex(of: "@") {
            table = String(name[..<at])
            metadataTable = nil
            snapshotText = String(name[name.index(after: at)...])
        } else {
            table = name
            metadataTable = nil
            snapshotText = nil
        }
    }

    func snapshotSelection() throws(EngineError) -> SnapshotSelection {
        guard let text = snapshotText else { return .current }
        if let id = Int64(text) { return .snapshotID(id) }
        if text.first?.isNumber == true,
            case .int64(let micros) = try? TextInput.parse(text, as: .timestamptz, timeZone: .utc)
        {
            return .asOfTimestampMs(micros.floorDividedAndRemainder(by: 1000).0)
        }
        guard !text.isEmpty else {
            throw EngineError(
                .undefinedTable, "relation \"\(table)@\" names no snapshot",
                hint: "Write \"table@<snapshot id>\", \"table@<timestamp>\" or \"table@<branch or tag>\".")
        }
        return .ref(text)
    }
}
