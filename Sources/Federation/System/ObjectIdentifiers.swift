import Synchronization

/// Hands out the OIDs system catalogs show for schemas and tables, stable for the life of the
/// process: the first time a name is seen it gets the next free OID (from 16384, PostgreSQL's
/// first user OID), and keeps it.
final class ObjectIdentifiers: Sendable {
    static let shared = ObjectIdentifiers()

    /// PostgreSQL's fixed OIDs, which clients sometimes hard-code.
    static let pgCatalogNamespace: UInt32 = 11
    static let publicNamespace: UInt32 = 2200
    static let informationSchemaNamespace: UInt32 = 13_000
    static let bootstrapSuperuser: UInt32 = 10

    private let assigned = Mutex<(next: UInt32, byName: [String: UInt32])>((16_384, [:]))

    /// The OID of the object with the fully qualified `name` (e.g. `namespace:lake.tpch`).
    func oid(_ name: String) -> UInt32 {
        assigned.withLock { state in
            if let oid = state.byName[name] { return oid }
            let oid = state.next
            state.next += 1
            state.byName[name] = oid
            return oid
        }
    }
}
