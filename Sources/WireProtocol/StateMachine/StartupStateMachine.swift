import Foundation
import Auth
import NIOCore

/// The start of a connection, from StartupMessage to authentication success, as a pure value:
/// each input returns what to do, and the connection does it. No I/O here, so tests script it.
public struct StartupStateMachine {
    public enum Action: Equatable {
        /// Send these messages and wait for the client's next authentication message.
        case send([BackendMessage])
        /// Check this clear-text password (asynchronously), then call `passwordChecked`.
        case checkPassword(user: String, password: String)
        /// Authentication succeeded: send these, then open a session for the principal.
        case authenticated(Principal, StartupMessage, [BackendMessage])
        /// Send this FATAL error and close the connection.
        case fail(PostgresError)
    }

    private enum State {
        case awaitingStartup
        case awaitingSASLInitial(StartupMessage, UserDirectory.User?, SCRAMServerExchange)
        case awaitingSASLFinal(StartupMessage, UserDirectory.User?, SCRAMServerExchange)
        case awaitingPassword(StartupMessage)
        case checkingPassword(StartupMessage)
        case done
    }

    private let users: UserDirectory
    private let mockSecret: [UInt8]
    private var state: State = .awaitingStartup

    public init(users: UserDirectory, mockSecret: [UInt8]) {
        self.users = users
        self.mockSecret = mockSecret
    }

    /// The client's StartupMessage. `clientAddress` is the raw IP; `channelBinding` the TLS
    /// `tls-server-end-point` hash when the connection is encrypted.
    public mutating func startupReceived(_ startup: StartupMessage, clientAddress: [UInt8], channelBinding: [UInt8]?)
        -> Action
    {
        guard case .awaitingStartup = state else {
            return fail(PostgresError.protocolViolation("unexpected startup message"))
        }
        var preamble: [BackendMessage] = []
        let unrecognized = startup.parameters.map(\.0).filter { $0.hasPrefix("_pq_.") }
        if startup.protocolMinor > 0 || !unrecognized.isEmpty {
            preamble.append(.negotiateProtocolVersion(newestMinor: 0, unrecognizedOptions: unrecognized))
        }
        guard let userName = startup["user"], !userName.isEmpty else {
            return fail(
                PostgresError(
                    .fatal, sqlState: .invalidAuthorizationSpecification,
                    message: "no PostgreSQL user name specified in startup packet"))
        }
        if let encoding = startup["client_encoding"], !Self.isUTF8(encoding) {
            return fail(
                PostgresError(
                    .fatal, sqlState: .invalidParameterValue,
                    message: "invalid value for parameter \"client_encoding\": \"\(encoding)\"",
                    hint: "Weir serves UTF8 only; connect with client_encoding=UTF8."))
        }
        let user = users.user(named: userName)
        if let user, !user.allowedNetworks.isEmpty, !user.allowedNetworks.contains(where: { $0.matches(clientAddress) })
        {
            let database = startup["database"] ?? userName
            return fail(
                PostgresError(
                    .fatal, sqlState: .invalidAuthorizationSpecification,
                    message:
                        "no pg_hba.conf entry for host \"\(Self.describe(clientAddress))\", user \"\(userName)\", database \"\(database)\", \(channelBinding == nil ? "no encryption" : "SSL encryption")"
                ))
        }
        if let user, user.method == .password {
            guard channelBinding != nil || users.allowsCleartextWithoutTLS else {
                return fail(
                    PostgresError(
                        .fatal, sqlState: .invalidAuthorizationSpecification,
                        message: "password authentication for user \"\(userName)\" requires an encrypted connection",
                        hint:
                            "Connect with sslmode=require; Weir sends no password in clear text without TLS unless auth.allow_cleartext_without_tls is set."
                    ))
            }
            state = .awaitingPassword(startup)
            preamble.append(.authentication(.cleartextPassword))
            return .send(preamble)
        }
        let exchange = SCRAMServerExchange(
            user: userName, verifier: user?.verifier, mockSecret: mockSecret, channelBindingData: channelBinding)
        state = .awaitingSASLInitial(startup, user, exchange)
        preamble.append(
            .authentication(
                .sasl(mechanisms: SCRAMServerExchange.offeredMechanisms(channelBinding: channelBinding != nil))))
        return .send(preamble)
    }

    /// A 'p' message: SASLInitialResponse, then SASLResponse; or PasswordMessage.
    public mutating func authenticationResponseReceived(_ payload: ByteBuffer) -> Action {
        var payload = payload
        switch state {
        case .awaitingPassword(let startup):
            guard let password = try? payload.readCString(), payload.readableBytes == 0 else {
                return fail(PostgresError.protocolViolation("invalid password packet size"))
            }
            let user = startup["user"] ?? ""
            guard !password.isEmpty else { return failAuthentication(AuthError.passwordFailed(user: user)) }
            state = .checkingPassword(startup)
            return .checkPassword(user: user, password: password)
        case .awaitingSASLInitial(let startup, let user, var exchange):
            guard let mechanism = try? payload.readCString(), let length = payload.readInteger(as: Int32.self) else {
                return fail(PostgresError.protocolViolation("malformed SASL initial response"))
            }
            let data = length < 0 ? [] : payload.readBytes(length: Int(length))
            guard let data, payload.readableBytes == 0 else {
                return fail(PostgresError.protocolViolation("malformed SASL initial response"))
            }
            do {
                let serverFirst = try exchange.clientFirst(mechanism: mechanism, message: data)
                state = .awaitingSASLFinal(startup, user, exchange)
                return .send([.authentication(.saslContinue(serverFirst))])
            } catch {
                return failAuthentication(error)
            }
        case .awaitingSASLFinal(let startup, let user, var exchange):
            let data = payload.readBytes(length: payload.readableBytes) ?? []
            do {
                let serverFinal = try exchange.clientFinal(data)
                guard let user else { return failAuthentication(AuthError.passwordFailed(user: startup["user"] ?? "")) }
                state = .done
                return .authenticated(
                    users.principal(for: user), startup,
                    [.authentication(.saslFinal(serverFinal)), .authentication(.ok)])
            } catch {
                return failAuthentication(error)
            }
        case .awaitingStartup, .checkingPassword, .done:
            return fail(PostgresError.protocolViolation("unexpected authentication message"))
        }
    }

    /// The outcome of the `checkPassword` action.
    public mutating func passwordChecked(_ result: Result<Principal, AuthError>) -> Action {
        guard case .checkingPassword(let startup) = state else {
            return fail(PostgresError.protocolViolation("unexpected password check"))
        }
        switch result {
        case .success(let principal):
            state = .done
            return .authenticated(principal, startup, [.authentication(.ok)])
        case .failure(let error):
            return failAuthentication(error)
        }
    }

    private mutating func fail(_ error: PostgresError) -> Action {
        state = .done
        return .fail(error)
    }

    private mutating func failAuthentication(_ error: AuthError) -> Action {
        fail(PostgresError(converting: error, severity: .fatal))
    }

    static func isUTF8(_ encoding: String) -> Bool {
        ["utf8", "utf-8", "unicode"].contains(
            encoding.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "'\" ")))
    }

    static func describe(_ address: [UInt8]) -> String {
        if address.count == 4 { return address.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: address.count, by: 2).map {
            String(UInt16(address[$0]) << 8 | UInt16(address[$0 + 1]), radix: 16)
        }
        .joined(separator: ":")
    }
}
