/// Who a session runs as, once authentication succeeded.
public struct Principal: Sendable, Equatable {
    /// The user name as PostgreSQL's `current_user` reports it.
    public let user: String
    /// Roles and groups the user belongs to (from config, LDAP groups or OIDC claims).
    public let roles: [String]
    /// True for users allowed to change server-level settings.
    public let isSuperuser: Bool

    public init(user: String, roles: [String] = [], isSuperuser: Bool = false) {
        self.user = user
        self.roles = roles
        self.isSuperuser = isSuperuser
    }
}
