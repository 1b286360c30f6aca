import Auth
import Foundation
import NIOCore
import TestSupport
import Testing

@testable import WireProtocol

@Suite struct StartupStateMachineTests {
    let users = UserDirectory(users: [
        UserDirectory.User(
            name: "demo", verifier: SCRAMVerifier(password: "demo", salt: Array(repeating: 7, count: 16)),
            allowedNetworks: [.loopback])
    ])
    let loopback: [UInt8] = [127, 0, 0, 1]

    func saslInitial(_ mechanism: String, _ data: [UInt8]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeString(mechanism)
        buffer.writeInteger(UInt8(0))
        buffer.writeInteger(Int32(data.count))
        buffer.writeBytes(data)
        return buffer
    }

    @Test func scramExchangeAuthenticates() throws {
        var machine = StartupStateMachine(users: users, mockSecret: [1])
        let startup = StartupMessage(parameters: [("user", "demo"), ("database", "lake")])
        #expect(
            machine.startupReceived(startup, clientAddress: loopback, channelBinding: nil)
                == .send([.authentication(.sasl(mechanisms: ["SCRAM-SHA-256"]))]))
        let client = SCRAMClient(password: "demo")
        guard
            case .send(let messages) = machine.authenticationResponseReceived(
                saslInitial("SCRAM-SHA-256", client.clientFirst)),
            case .authentication(.saslContinue(let serverFirst)) = messages.first
        else {
            Issue.record("expected SASLContinue")
            return
        }
        let (final, expectedFinal) = client.clientFinal(serverFirst: serverFirst)
        let action = machine.authenticationResponseReceived(ByteBuffer(bytes: final))
        #expect(
            action
                == .authenticated(
                    Principal(user: "demo"), startup,
                    [.authentication(.saslFinal(Array(expectedFinal.utf8))), .authentication(.ok)]))
    }

    @Test func missingUserIsRejected() {
        var machine = StartupStateMachine(users: users, mockSecret: [1])
        guard
            case .fail(let error) = machine.startupReceived(
                StartupMessage(parameters: []), clientAddress: loopback, channelBinding: nil)
        else {
            Issue.record("expected failure")
            return
        }
        #expect(error.sqlState == .invalidAuthorizationSpecification)
    }

    @Test func nonLoopbackClientIsRejectedForLoopbackUser() {
        var machine = StartupStateMachine(users: users, mockSecret: [1])
        guard
            case .fail(let error) = machine.startupReceived(
                StartupMessage(parameters: [("user", "demo")]), clientAddress: [10, 1, 2, 3], channelBinding: nil)
        else {
            Issue.record("expected failure")
            return
        }
        #expect(
            error.message
                == "no pg_hba.conf entry for host \"10.1.2.3\", user \"demo\", database \"demo\", no encryption")
    }

    @Test func nonUTF8ClientEncodingIsRejected() {
        var machine = StartupStateMachine(users: users, mockSecret: [1])
        guard
            case .fail(let error) = machine.startupReceived(
                StartupMessage(parameters: [("user", "demo"), ("client_encoding", "LATIN1")]), clientAddress: loopback,
                channelBinding: nil)
        else {
            Issue.record("expected failure")
            return
        }
        #expect(error.sqlState == .invalidParameterValue)
    }

    @Test func newerMinorVersionIsNegotiated() {
        var machine = StartupStateMachine(users: users, mockSecret: [1])
        let action = machine.startupReceived(
            StartupMessage(
                protocolMajor: 3, protocolMinor: 2, parameters: [("user", "demo"), ("_pq_.compression", "on")]),
            clientAddress: loopback, channelBinding: nil)
        #expect(
            action
                == .send([
                    .negotiateProtocolVersion(newestMinor: 0, unrecognizedOptions: ["_pq_.compression"]),
                    .authentication(.sasl(mechanisms: ["SCRAM-SHA-256"])),
                ]))
    }

    @Test func wrongPasswordFailsWith28P01() throws {
        var machine = StartupStateMachine(users: users, mockSecret: [1])
        _ = machine.startupReceived(
            StartupMessage(parameters: [("user", "demo")]), clientAddress: loopback, channelBinding: nil)
        let client = SCRAMClient(password: "nope")
        guard
            case .send(let messages) = machine.authenticationResponseReceived(
                saslInitial("SCRAM-SHA-256", client.clientFirst)),
            case .authentication(.saslContinue(let serverFirst)) = messages.first
        else {
            Issue.record("expected SASLContinue")
            return
        }
        let action = machine.authenticationResponseReceived(
            ByteBuffer(bytes: client.clientFinal(serverFirst: serverFirst).message))
        #expect(
            action
                == .fail(
                    PostgresError(
                        .fatal, sqlState: .invalidPassword, message: "password authentication failed for user \"demo\"")
                ))
    }

    // MARK: Clear-text password method

    let clerk = UserDirectory.User(
        name: "clerk", verifier: SCRAMVerifier(password: "s3cret", salt: Array(repeating: 3, count: 16)),
        method: .password)

    func passwordMessage(_ password: String) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeString(password)
        buffer.writeInteger(UInt8(0))
        return buffer
    }

    @Test func passwordMethodAsksForTheClearTextPasswordOverTLS() async {
        let directory = UserDirectory(users: [clerk])
        var machine = StartupStateMachine(users: directory, mockSecret: [1])
        let startup = StartupMessage(parameters: [("user", "clerk")])
        #expect(
            machine.startupReceived(startup, clientAddress: loopback, channelBinding: [9])
                == .send([.authentication(.cleartextPassword)]))
        let action = machine.authenticationResponseReceived(passwordMessage("s3cret"))
        #expect(action == .checkPassword(user: "clerk", password: "s3cret"))
        let principal = try? await directory.authenticate(user: "clerk", password: "s3cret")
        #expect(principal == Principal(user: "clerk"))
        #expect(
            machine.passwordChecked(.success(Principal(user: "clerk")))
                == .authenticated(Principal(user: "clerk"), startup, [.authentication(.ok)]))
    }

    @Test func directoryRejectsWrongAndUnknownPasswordsAlike() async {
        let directory = UserDirectory(users: [clerk])
        for (user, password) in [("clerk", "S3cret"), ("clerk", "s3cret "), ("nobody", "s3cret")] {
            do {
                _ = try await directory.authenticate(user: user, password: password)
                Issue.record("\(user)/\(password) was accepted")
            } catch {
                #expect(error == AuthError.passwordFailed(user: user))
            }
        }
    }

    @Test func passwordMethodIsRefusedWithoutTLSUnlessAllowed() {
        var strict = StartupStateMachine(users: UserDirectory(users: [clerk]), mockSecret: [1])
        guard
            case .fail(let error) = strict.startupReceived(
                StartupMessage(parameters: [("user", "clerk")]), clientAddress: loopback, channelBinding: nil)
        else {
            Issue.record("expected the plain connection to be refused")
            return
        }
        #expect(error.sqlState == .invalidAuthorizationSpecification)
        #expect(error.message == "password authentication for user \"clerk\" requires an encrypted connection")

        var lenient = StartupStateMachine(
            users: UserDirectory(users: [clerk], allowsCleartextWithoutTLS: true), mockSecret: [1])
        #expect(
            lenient.startupReceived(
                StartupMessage(parameters: [("user", "clerk")]), clientAddress: loopback, channelBinding: nil)
                == .send([.authentication(.cleartextPassword)]))
    }

    @Test func emptyOrMalformedPasswordMessagesFail() {
        var machine = StartupStateMachine(users: UserDirectory(users: [clerk]), mockSecret: [1])
        _ = machine.startupReceived(
            StartupMessage(parameters: [("user", "clerk")]), clientAddress: loopback, channelBinding: [9])
        #expect(
            machine.authenticationResponseReceived(passwordMessage(""))
                == .fail(
                    PostgresError(
                        .fatal, sqlState: .invalidPassword, message: "password authentication failed for user \"clerk\""
                    )))

        var unterminated = StartupStateMachine(users: UserDirectory(users: [clerk]), mockSecret: [1])
        _ = unterminated.startupReceived(
            StartupMessage(parameters: [("user", "clerk")]), clientAddress: loopback, channelBinding: [9])
        guard case .fail(let error) = unterminated.authenticationResponseReceived(ByteBuffer(string: "s3cret")) else {
            Issue.record("expected a protocol violation")
            return
        }
        #expect(error.sqlState == .protocolViolation)
    }
}
