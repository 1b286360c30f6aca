import Catalog
import Engine

extension SystemCatalog {
    /// `pg_catalog.pg_settings`: a row per parameter with PostgreSQL's columns. Weir keeps no units,
    /// ranges or descriptions for its parameters, so those columns are NULL.
    var settingsTable: ComputedTable {
        ComputedTable(
            "pg_catalog.pg_settings",
            [
                ("name", .text), ("setting", .text), ("unit", .text), ("category", .text), ("short_desc", .text),
                ("extra_desc", .text), ("context", .text), ("vartype", .text), ("source", .text), ("min_val", .text),
                ("max_val", .text), ("enumvals", .array(.text)), ("boot_val", .text), ("reset_val", .text),
                ("sourcefile", .text), ("sourceline", .int32), ("pending_restart", .boolean),
            ]
        ) { [settings] () async throws(EngineError) in
            settings().map { setting in
                [
                    .text(setting.name), .text(setting.value), .null, .null, .null, .null,
                    .text(setting.readOnly ? "internal" : "user"), .text(Self.settingType(setting.defaultValue)),
                    .text(setting.value == setting.defaultValue ? "default" : "session"), .null, .null, .null,
                    .text(setting.defaultValue), .text(setting.defaultValue), .null, .null, .bool(false),
                ]
            }
        }
    }

    /// `pg_settings.vartype` judged from the default value.
    static func settingType(_ value: String) -> String {
        if value == "on" || value == "off" { return "bool" }
        if Int(value) != nil { return "integer" }
        if Double(value) != nil { return "real" }
        return "string"
    }
}
