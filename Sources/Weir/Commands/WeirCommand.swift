import ArgumentParser

/// The `weir` command line.
@main
struct WeirCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weir",
        abstract: "A PostgreSQL-wire SQL gateway over Iceberg lakehouses.",
        subcommands: [ServeCommand.self, PasswdCommand.self, VersionCommand.self],
        defaultSubcommand: nil)

    static let version = "0.1.0"
}

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print Weir's version.")

    func run() {
        print("weir \(WeirCommand.version) (PostgreSQL 15 protocol)")
    }
}
