/// A PostgreSQL SQLSTATE: five digits or upper-case letters, the first two naming its class.
///
/// Every error a client can see carries one. Code names them (`.undefinedTable`, as PostgreSQL's
/// `ERRCODE_UNDEFINED_TABLE`), so nothing compares codes as strings; `init?(code:)` takes a code
/// from elsewhere, such as a remote PostgreSQL's error.
public struct SQLState: Hashable, Sendable, CustomStringConvertible {
    /// The five characters, as they travel in the `C` field of ErrorResponse.
    public let code: String

    /// A well-formed code, or nil.
    public init?(code: String) {
        let bytes = Array(code.utf8)
        guard bytes.count == 5, bytes.allSatisfy({ (48...57).contains($0) || (65...90).contains($0) }) else {
            return nil
        }
        self.code = code
    }

    init(_ code: StaticString) {
        self.code = code.description
    }

    /// The class: the same first two characters followed by `000`, e.g. `22000` for `22012`.
    public var errorClass: SQLState { SQLState(unchecked: String(code.prefix(2)) + "000") }

    /// True when this code is `errorClass`'s class or one of its codes.
    public func belongs(to errorClass: SQLState) -> Bool { self.errorClass == errorClass.errorClass }

    public var description: String { code }

    private init(unchecked code: String) { self.code = code }
}
