import Auth
import Foundation
import NIOCore
import TestSupport
import Testing

@testable import WireProtocol

@Suite struct StartupStateMachineTests {
    let users = UserDirectory(users: [
        UserDirectory.User(name: "demo", verifier: SCRAMVerifier(password: "demo", salt: Array(repeating: 7, count: 16)), allowedNetworks: [.loopback])
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
        #expect(machine.startupReceived(startup, clientAddress: loopback, channelBinding: nil) == .send([.authentication(.sasl(mechanisms: ["SCRAM-SHA-256"]))]))
        let client = SCRAMClient(password: "demo")
        guard case .send(let messages) = machine.authenticationResponseReceived(saslInitial("SCRAM-SHA-256", client.clientFirst)),
            case .authentication(.saslContinue(let serverFirst)) = messages.first
        else {
            Issue.record("expected SASLContinue")
            return
        }
        let (final, expectedFinal) = client.clientFinal(serverFirst: serverFirst)
        let action = machine.authenticationResponseReceived(ByteBuffer(bytes: final))
        #expect(action == .authenticated(
            Principal(user: "demo"), startup, [.authentication(.saslFinal(Array(expectedFinal.utf8))), .authentication(.ok)]))
    }

    @Test func missingUserIsRejected() {
        var machine = StartupStateMachine(users: users, mockSecret: [1])
        guard case .fail(let error) = machine.startupReceived(StartupMessage(parameters: []), clientAddress: loopback, channelBinding: nil) else {
            Issue.record("expected failure")
            return
        }
        #expect(error.sqlState == "28000")
    }

    @Test func nonLoopbackClientIsRejectedForLoopbackUser() {
        var machine = StartupStateMachine(users: users, mockSecret: [1])
        guard case .fail(let error) = machine.startupReceived(
            StartupMessage(parameters: [("user", "demo")]), clientAddress: [10, 1, 2, 3], channelBinding: nil)
        else {
            Issue.record("expected failure")
            return
        }
        #expect(error.message == "no pg_hba.conf entry for host \"10.1.2.3\", user \"demo\", database \"demo\", no encryption")
    }

    @Test func nonUTF8ClientEncodingIsRejected() {
        var machine = StartupStateMachine(users: users, mockSecret: [1])
        guard case .fail(let error) = machine.startupReceived(
            StartupMessage(parameters: [("user", "demo"), ("client_encoding", "LATIN1")]), clientAddress: loopback, channelBinding: nil)
        else {
            Issue.record("expected failure")
            return
        }
        #expect(error.sqlState == "22023")
    }

    @Test func newerMinorVersionIsNegotiated() {
        var machine = StartupStateMachine(users: users, mockSecret: [1])
        let action = machine.startupReceived(
            StartupMessage(protocolMajor: 3, protocolMinor: 2, parameters: [("user", "demo"), ("_pq_.compression", "on")]),
            clientAddress: loopback, channelBinding: nil)
        #expect(action == .send([
            .negotiateProtocolVersion(newestMinor: 0, unrecognizedOptions: ["_pq_.compression"]),
            .authentication(.sasl(mechanisms: ["SCRAM-SHA-256"])),
        ]))
    }

    @Test func wrongPasswordFailsWith28P01() throws {
        var machine = StartupStateMachine(users: users, mockSecret: [1])
        _ = machine.startupReceived(StartupMessage(parameters: [("user", "demo")]), clientAddress: loopback, channelBinding: nil)
        let client = SCRAMClient(password: "nope")
        guard case .send(let messages) = machine.authenticationResponseReceived(saslInitial("SCRAM-SHA-256", client.clientFirst)),
            case .authentication(.saslContinue(let serverFirst)) = messages.first
        else {
            Issue.record("expected SASLContinue")
            return
        }
        let action = machine.authenticationResponseReceived(ByteBuffer(bytes: client.clientFinal(serverFirst: serverFirst).message))
        #expect(action == .fail(PostgresError(.fatal, sqlState: "28P01", message: "password authentication failed for user \"demo\"")))
    }
}

