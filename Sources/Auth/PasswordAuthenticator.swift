/// How a user proves who they are, named as in PostgreSQL's `pg_hba.conf`.
public enum AuthenticationMethod: String, Sendable, CaseIterable {
    /// SCRAM-SHA-256 (with channel binding over TLS): the password never leaves the client.
    case scramSHA256 = "scram-sha-256"
    /// The client sends the password in clear text (PostgreSQL's `password` method), which the
    /// server checks; refused without TLS unless the configuration allows it.
    case password
}

/// Checks a password a client sent in clear text. Config users are checked against their SCRAM
/// verifier; directory services (LDAP) plug in here too.
public protocol PasswordAuthenticator: Sendable {
    /// The principal `user` signs in as, or `AuthError.passwordFailed` when the password is wrong.
    func authenticate(user: String, password: String) async throws(AuthError) -> Principal
}

extension UserDirectory: PasswordAuthenticator {
    public func authenticate(user name: String, password: String) async throws(AuthError) -> Principal {
        // PBKDF2 with thousands of rounds takes milliseconds: never on a connection's event loop.
        let verified = await withTaskExecutorPreference(globalConcurrentExecutor) { [self] in
            guard let user = user(named: name), user.verifier.verifies(password: password) else {
                return nil as Principal?
            }
            return principal(for: user)
        }
        guard let verified else { throw AuthError.passwordFailed(user: name) }
        return verified
    }
}
