/// libpq connection strings (`postgresql://user:secret@host/db` URIs or `host=... password=...`
/// keywords) as messages may show them.
public enum ConnectionString {
    /// The connection string without its password.
    public static func redacted(_ connectionString: String) -> String {
        if connectionString.hasPrefix("postgres://") || connectionString.hasPrefix("postgresql://") {
            guard let schemeEnd = connectionString.range(of: "://"),
                let at = connectionString[schemeEnd.upperBound...].firstIndex(of: "@")
            else { return connectionString }
            let userInfo = connectionString[schemeEnd.upperBound..<at]
            let user = userInfo.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
            return connectionString[..<schemeEnd.upperBound] + user + connectionString[at...]
        }
        return connectionString.split(separator: " ").filter { !$0.lowercased().hasPrefix("password=") }
            .joined(separator: " ")
    }
}
