import Engine
import Synchronization

/// The `set_config` calls of one running statement. Each is checked and normalized at once against
/// a copy of the session's settings (so a bad name or value fails the statement with PostgreSQL's
/// error), and the session applies them when the statement has finished; a failed statement's
/// changes are dropped, as PostgreSQL rolls them back.
final class SettingChanges: SettingsWriter {
    struct Change {
        let name: String
        /// Nil resets the setting to its default.
        let value: String?
        let isLocal: Bool
    }

    private let state: Mutex<(settings: SessionSettings, changes: [Change])>

    init(settings: SessionSettings) {
        state = Mutex((settings, []))
    }

    func setConfig(_ name: String, _ value: String?, isLocal: Bool) throws(EngineError) -> String? {
        try state.withLock {
            (state: inout (settings: SessionSettings, changes: [Change])) throws(EngineError) -> String? in
            if let value {
                try state.settings.set(name, to: value, isLocal: isLocal)
            } else {
                try state.settings.reset(name)
            }
            state.changes.append(Change(name: name, value: value, isLocal: isLocal))
            return state.settings[name]
        }
    }

    /// The changes made so far, in order.
    var changes: [Change] { state.withLock { $0.changes } }
}
