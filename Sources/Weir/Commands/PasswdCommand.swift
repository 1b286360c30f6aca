import ArgumentParser
import Auth
import Foundation

/// `weir passwd`: prints a SCRAM-SHA-256 verifier for the `users[].scram_verifier` config key.
struct PasswdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passwd",
        abstract: "Print a SCRAM-SHA-256 verifier for a password (read from standard input).")

    @Option(help: "PBKDF2 iterations (PostgreSQL uses 4096).")
    var iterations = 4096

    func run() throws {
        guard iterations >= 4096 else { throw ValidationError("--iterations must be at least 4096") }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw ValidationError("no password on standard input")
        }
        print(SCRAMVerifier.generate(password: line, iterations: iterations))
    }
}
