import Foundation

/// One run of Python (`$PYTHON`, default `python3`) for the tests that check Weir's files with
/// pyarrow, DuckDB or PyIceberg: what it printed, what it complained about, and how it exited.
struct PythonRun {
    let status: Int32
    let output: Data
    let errors: String

    var succeeded: Bool { status == 0 }

    /// Runs Python with `arguments` (a script path or `-c` and code, then its arguments) to the end.
    static func run(_ arguments: [String]) throws -> PythonRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [ProcessInfo.processInfo.environment["PYTHON"] ?? "python3"] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return PythonRun(status: process.terminationStatus, output: printed, errors: errorText)
    }
}
