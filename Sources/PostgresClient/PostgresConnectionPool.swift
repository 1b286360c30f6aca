import Synchronization

/// Open connections to one PostgreSQL server, reused between operations: a lease hands one to a
/// single task and gives it back when released, if it is still usable and the pool has room.
public final class PostgresConnectionPool: Sendable {
    public let connectionString: String
    let password: String?
    /// At most this many idle connections are kept.
    public let maximumIdle: Int
    private let idle = Mutex<[PostgresClientConnection]>([])

    public init(connectionString: String, password: String?, maximumIdle: Int = 4) {
        self.connectionString = connectionString
        self.password = password
        self.maximumIdle = maximumIdle
    }

    /// An idle connection that still works, or a new one.
    public func lease() throws(PostgresClientError) -> PostgresLease {
        while let connection = idle.withLock({ $0.popLast() }) {
            if connection.isUsable { return PostgresLease(connection: connection, pool: self) }
        }
        let connection = try PostgresClientConnection(connectionString: connectionString, password: password)
        return PostgresLease(connection: connection, pool: self)
    }

    fileprivate func giveBack(_ connection: PostgresClientConnection) {
        guard connection.isUsable else { return }
        idle.withLock { idle in
            if idle.count < maximumIdle { idle.append(connection) }
        }
    }
}

/// A pooled connection for one operation; it goes back to its pool when released.
public final class PostgresLease {
    public let connection: PostgresClientConnection
    private let pool: PostgresConnectionPool

    fileprivate init(connection: PostgresClientConnection, pool: PostgresConnectionPool) {
        self.connection = connection
        self.pool = pool
    }

    deinit {
        pool.giveBack(connection)
    }
}
