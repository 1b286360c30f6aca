import Catalog
import Foundation
import Engine
import Planner

/// The session's configuration parameters (PostgreSQL's GUCs): defaults, SET/RESET, SET LOCAL
/// scoping, validation of the values Weir acts on, and which ones are reported to the client.
struct SessionSettings {
    struct Definition: Sendable {
        let name: String
        let defaultValue: String
        /// Sent in ParameterStatus at startup and whenever it changes.
        let reported: Bool
        /// Fixed by the server; SET fails with 55P02 / 42501.
        let readOnly: Bool
        /// Checks and canonicalizes a new value; nil means any text is fine.
        let normalize: (@Sendable (String) throws(EngineError) -> String)?
    }

    /// The parameters Weir knows, by lowercased name.
    static let definitions: [String: Definition] = {
        func define(
            _ name: String, _ value: String, reported: Bool = false, readOnly: Bool = false,
            normalize: (@Sendable (String) throws(EngineError) -> String)? = nil
        ) -> (String, Definition) {
            (
                name.lowercased(),
                Definition(
                    name: name, defaultValue: value, reported: reported, readOnly: readOnly, normalize: normalize)
            )
        }
        return Dictionary(uniqueKeysWithValues: [
            define("server_version", "15.8", reported: true, readOnly: true),
            define("server_version_num", "150008", readOnly: true),
            define("server_encoding", "UTF8", reported: true, readOnly: true),
            define("client_encoding", "UTF8", reported: true, normalize: normalizeEncoding),
            define("DateStyle", "ISO, MDY", reported: true, normalize: normalizeDateStyle),
            define("IntervalStyle", "postgres", reported: true, normalize: normalizeIntervalStyle),
            define("TimeZone", "UTC", reported: true, normalize: normalizeTimeZone),
            define("integer_datetimes", "on", reported: true, readOnly: true),
            define(
                "standard_conforming_strings", "on", reported: true,
                normalize: { value throws(EngineError) in
                    guard normalizeBoolean(value) == "on" else {
                        throw EngineError(.featureNotSupported, "standard_conforming_strings = off is not supported")
                    }
                    return "on"
                }),
            define("application_name", "", reported: true),
            define("is_superuser", "off", reported: true, readOnly: true),
            define("session_authorization", "", reported: true, readOnly: true),
            define("default_transaction_read_only", "off", reported: true, normalize: booleanSetting),
            define("in_hot_standby", "off", reported: true, readOnly: true),
            define("transaction_read_only", "off", normalize: booleanSetting),
            define("transaction_isolation", "read committed", normalize: normalizeIsolation),
            define("default_transaction_isolation", "read committed", normalize: normalizeIsolation),
            define(
                "extra_float_digits", "1",
                normalize: { value throws(EngineError) in
                    guard let digits = Int(value.trimmingCharacters(in: CharacterSet(charactersIn: " "))),
                        (-15...3).contains(digits)
                    else {
                        throw EngineError(
                            .invalidParameterValue,
                            "\(value) is outside the valid range for parameter \"extra_float_digits\" (-15 .. 3)")
                    }
                    return String(digits)
                }),
            define("search_path", "\"$user\", public"),
            define("statement_timeout", "0", normalize: normalizeMilliseconds),
            define("lock_timeout", "0", normalize: normalizeMilliseconds),
            define("idle_in_transaction_session_timeout", "0", normalize: normalizeMilliseconds),
            define("max_identifier_length", "63", readOnly: true),
            define("max_index_keys", "32", readOnly: true),
            define("block_size", "8192", readOnly: true),
            define("lc_collate", "C", readOnly: true),
            define("lc_ctype", "C", readOnly: true),
            define("lc_messages", "C"),
            define("lc_monetary", "C"),
            define("lc_numeric", "C"),
            define("lc_time", "C"),
            define("default_table_access_method", "heap"),
            define("jit", "off", normalize: booleanSetting),
            define("row_security", "on", normalize: booleanSetting),
            define(
                "bytea_output", "hex",
                normalize: { value throws(EngineError) in
                    guard value.lowercased() == "hex" else {
                        throw EngineError(.featureNotSupported, "bytea_output = \(value) is not supported")
                    }
                    return "hex"
                }),
            define("synchronous_commit", "on"),
            define("work_mem", "4MB"),
            define("timezone_abbreviations", "Default"),
            define("geqo", "on", normalize: booleanSetting),
            define("escape_string_warning", "on", normalize: booleanSetting),
            define("client_min_messages", "notice"),
            define("default_with_oids", "off", normalize: booleanSetting),
            define(
                OptimizerRule.disabledRulesSetting, "",
                normalize: { value throws(EngineError) in
                    OptimizerRule.allCases.filter(try OptimizerRule.named(in: value).contains).map(\.rawValue).joined(
                        separator: ", ")
                }),
        ])
    }()

    private var values: [String: String] = [:]
    /// Values SET LOCAL replaced, restored when the transaction ends.
    private var localOverrides: [String: String?] = [:]
    /// Values as of the start of the transaction, restored by ROLLBACK.
    private var transactionSnapshot: [String: String]?

    init(startupOverrides: [(String, String)], isSuperuser: Bool, user: String) throws(EngineError) {
        values["is_superuser"] = isSuperuser ? "on" : "off"
        values["session_authorization"] = user
        for (name, value) in startupOverrides {
            try set(name, to: value, isLocal: false)
        }
    }

    static let reportedNames: [String] = definitions.values.filter(\.reported).map { $0.name.lowercased() }.sorted()

    /// The current value, or nil for an unknown setting.
    subscript(name: String) -> String? {
        let key = name.lowercased()
        if let value = values[key] { return value }
        return Self.definitions[key]?.defaultValue
    }

    /// The spelling PostgreSQL uses for the name (`DateStyle`, `TimeZone`).
    static func displayName(_ name: String) -> String { definitions[name.lowercased()]?.name ?? name.lowercased() }

    mutating func set(_ name: String, to value: String, isLocal: Bool) throws(EngineError) {
        let key = name.lowercased()
        guard let definition = Self.definitions[key] else {
            // Custom "prefix.name" settings are allowed, as PostgreSQL allows placeholder variables.
            guard key.contains(".") else {
                throw EngineError(.undefinedObject, "unrecognized configuration parameter \"\(name)\"")
            }
            record(key, value: value, isLocal: isLocal)
            return
        }
        if definition.readOnly {
            throw EngineError(.cantChangeRuntimeParam, "parameter \"\(key)\" cannot be changed")
        }
        let normalized = try definition.normalize?(value) ?? value
        record(key, value: normalized, isLocal: isLocal)
    }

    private mutating func record(_ key: String, value: String, isLocal: Bool) {
        if isLocal, localOverrides[key] == nil { localOverrides[key] = .some(values[key]) }
        values[key] = value
    }

    mutating func reset(_ name: String) throws(EngineError) {
        let key = name.lowercased()
        guard Self.definitions[key] != nil || key.contains(".") || values[key] != nil else {
            throw EngineError(.undefinedObject, "unrecognized configuration parameter \"\(name)\"")
        }
        if Self.definitions[key]?.readOnly == true {
            throw EngineError(.cantChangeRuntimeParam, "parameter \"\(key)\" cannot be changed")
        }
        values.removeValue(forKey: key)
    }

    mutating func resetAll() {
        for key in values.keys where Self.definitions[key]?.readOnly != true { values.removeValue(forKey: key) }
    }

    mutating func transactionStarted() { transactionSnapshot = values }

    /// Ends the transaction: SET LOCAL values revert; on rollback, plain SETs made inside it revert too.
    mutating func transactionEnded(committed: Bool) {
        if !committed, let snapshot = transactionSnapshot {
            values = snapshot
        } else {
            for (key, previous) in localOverrides {
                if let previous { values[key] = previous } else { values.removeValue(forKey: key) }
            }
        }
        localOverrides = [:]
        transactionSnapshot = nil
        values.removeValue(forKey: "transaction_isolation")
        values.removeValue(forKey: "transaction_read_only")
    }

    /// Every reported parameter with its value, for the startup ParameterStatus messages.
    var reported: [(name: String, value: String)] {
        Self.reportedNames.map { (Self.displayName($0), self[$0] ?? "") }
    }

    /// Reported parameters whose value differs from `previous` (keyed by lowercased name), which is updated.
    func reportedChanges(since previous: inout [String: String]) -> [(name: String, value: String)] {
        var changes: [(String, String)] = []
        for name in Self.reportedNames {
            let value = self[name] ?? ""
            if previous[name] != value {
                previous[name] = value
                changes.append((Self.displayName(name), value))
            }
        }
        return changes
    }

    /// Every setting with its default, for `pg_settings`.
    var described: [SessionSetting] {
        var names = Set(Self.definitions.keys)
        names.formUnion(values.keys)
        return names.sorted().map { name in
            let definition = Self.definitions[name]
            return SessionSetting(
                name: Self.displayName(name), value: self[name] ?? "", defaultValue: definition?.defaultValue ?? "",
                readOnly: definition?.readOnly ?? false)
        }
    }

    /// All settings for `SHOW ALL`: name, value, description.
    var all: [(String, String)] {
        var names = Set(Self.definitions.keys)
        names.formUnion(values.keys)
        return names.sorted().map { (Self.displayName($0), self[$0] ?? "") }
    }
}

// MARK: Validation

private func booleanSetting(_ value: String) throws(EngineError) -> String {
    guard let normalized = normalizeBoolean(value) else {
        throw EngineError(.invalidParameterValue, "parameter requires a Boolean value")
    }
    return normalized
}

func normalizeBoolean(_ value: String) -> String? {
    switch value.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: " ")) {
    case "on", "true", "yes", "1", "t", "y": return "on"
    case "off", "false", "no", "0", "f", "n": return "off"
    default: return nil
    }
}

private func normalizeEncoding(_ value: String) throws(EngineError) -> String {
    guard
        ["utf8", "utf-8", "unicode"].contains(
            value.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "'\" ")))
    else {
        throw EngineError(
            .invalidParameterValue, "invalid value for parameter \"client_encoding\": \"\(value)\"",
            hint: "Weir serves UTF8 only.")
    }
    return "UTF8"
}

/// Weir prints dates in ISO style only; it accepts DateStyle values that keep ISO output.
private func normalizeDateStyle(_ value: String) throws(EngineError) -> String {
    let parts = value.split(separator: ",").map {
        $0.trimmingCharacters(in: CharacterSet(charactersIn: " ")).lowercased()
    }
    var order = "MDY"
    for part in parts {
        switch part {
        case "iso": continue
        case "mdy", "us", "noneuropean": order = "MDY"
        case "dmy", "euro", "european": order = "DMY"
        case "ymd": order = "YMD"
        default:
            throw EngineError(
                .featureNotSupported, "DateStyle \"\(value)\" is not supported; Weir prints dates in ISO format",
                hint: "Use SET DateStyle = 'ISO, MDY'.")
        }
    }
    return "ISO, \(order)"
}

private func normalizeIntervalStyle(_ value: String) throws(EngineError) -> String {
    guard value.lowercased() == "postgres" else {
        throw EngineError(
            .featureNotSupported,
            "IntervalStyle \"\(value)\" is not supported yet; Weir prints intervals in postgres style")
    }
    return "postgres"
}

private func normalizeTimeZone(_ value: String) throws(EngineError) -> String {
    guard SessionTimeZone(named: value) != nil else {
        throw EngineError(.invalidParameterValue, "invalid value for parameter \"TimeZone\": \"\(value)\"")
    }
    return value.uppercased() == "UTC" ? "UTC" : value
}

private func normalizeIsolation(_ value: String) throws(EngineError) -> String {
    let lowered = value.lowercased()
    guard ["read uncommitted", "read committed", "repeatable read", "serializable"].contains(lowered) else {
        throw EngineError(.invalidParameterValue, "invalid value for parameter \"transaction_isolation\": \"\(value)\"")
    }
    return lowered
}

/// Parses `500`, `500ms`, `2s`, `1min`, `1h`, `1d` into milliseconds.
func parseMilliseconds(_ value: String) throws(EngineError) -> Int {
    let trimmed = value.trimmingCharacters(in: CharacterSet(charactersIn: " ")).lowercased()
    let digits = trimmed.prefix { $0.isNumber }
    let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: CharacterSet(charactersIn: " "))
    guard let amount = Int(digits) else {
        throw EngineError(.invalidParameterValue, "invalid value for parameter: \"\(value)\"")
    }
    switch unit {
    case "", "ms": return amount
    case "s": return amount * 1000
    case "min": return amount * 60_000
    case "h": return amount * 3_600_000
    case "d": return amount * 86_400_000
    default:
        throw EngineError(
            .invalidParameterValue, "invalid value for parameter: \"\(value)\"",
            hint: "Valid units for this parameter are \"ms\", \"s\", \"min\", \"h\", and \"d\".")
    }
}

/// Validates a duration setting and stores it as PostgreSQL shows it (`300ms`, `2s`, `1min`).
func normalizeMilliseconds(_ value: String) throws(EngineError) -> String {
    let milliseconds = try parseMilliseconds(value)
    if milliseconds == 0 { return "0" }
    for (suffix, size) in [("d", 86_400_000), ("h", 3_600_000), ("min", 60_000), ("s", 1000)]
    where milliseconds % size == 0 {
        return "\(milliseconds / size)\(suffix)"
    }
    return "\(milliseconds)ms"
}
