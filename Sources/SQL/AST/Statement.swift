/// One SQL statement, converted from PostgreSQL's parse tree into Weir's own types.
public indirect enum Statement: Sendable, Equatable {
    case select(SelectStatement)
    case set(name: String, value: SetValue, isLocal: Bool)
    /// `RESET name`, or `RESET ALL` when `name` is nil.
    case reset(name: String?)
    /// `SHOW name`; `SHOW ALL` arrives as name `all`.
    case show(name: String)
    case transaction(TransactionCommand)
    /// `COPY (query) TO STDOUT WITH (...)`.
    case copyToStdout(query: SelectStatement, options: CopyOptions)
    /// `COPY table [(columns)] FROM STDIN WITH (...)`.
    case copyFromStdin(table: QualifiedName, columns: [String], options: CopyOptions)
    /// `PREPARE name [(types)] AS statement`.
    case prepare(name: String, parameterTypes: [TypeName], statement: Statement)
    case execute(name: String, arguments: [Expression])
    /// `DEALLOCATE name`, or `DEALLOCATE ALL` when nil.
    case deallocate(name: String?)
    case declareCursor(name: String, query: SelectStatement, withHold: Bool)
    case fetch(cursor: String, direction: FetchDirection, move: Bool)
    /// `CLOSE name`, or `CLOSE ALL` when nil.
    case closeCursor(name: String?)
    case discardAll
    /// `EXPLAIN [ANALYZE] query`.
    case explain(query: SelectStatement, analyze: Bool)
    /// `CREATE SCHEMA [IF NOT EXISTS] name`.
    case createSchema(name: String, ifNotExists: Bool)
    /// `DROP SCHEMA [IF EXISTS] name, ... [CASCADE | RESTRICT]`.
    case dropSchema(names: [String], ifExists: Bool, cascade: Bool)
    /// `CREATE [OR REPLACE] VIEW name [(columns)] AS query`.
    case createView(CreateView)
    /// `DROP VIEW [IF EXISTS] name, ... [CASCADE | RESTRICT]`.
    case dropView(names: [QualifiedName], ifExists: Bool, cascade: Bool)
    case createTable(CreateTable)
    case createTableAs(CreateTableAs)
    case insert(InsertStatement)
    case delete(DeleteStatement)
    /// `TRUNCATE [TABLE] name, ...`.
    case truncate(tables: [QualifiedName])
    /// `CALL procedure(argument, name => argument, ...)`.
    case call(procedure: QualifiedName, arguments: [CallArgument])
    case update(UpdateStatement)
    case merge(MergeStatement)
    /// `ALTER TABLE [IF EXISTS] name change, ...` and `ALTER TABLE name RENAME ...`.
    case alterTable(table: QualifiedName, ifExists: Bool, alterations: [TableAlteration])
    /// `DROP TABLE [IF EXISTS] name, ... [CASCADE | RESTRICT]`.
    case dropTable(names: [QualifiedName], ifExists: Bool, cascade: Bool)
    /// A statement Weir recognizes but does not implement; `feature` names it for the error.
    case unsupported(feature: String)
}

/// `CREATE [OR REPLACE] VIEW`: the view's name, its column names when listed, and its query both
/// parsed and as written (views store their text).
public struct CreateView: Sendable, Equatable {
    public var name: QualifiedName
    public var columnNames: [String]
    public var query: SelectStatement
    public var queryText: String
    public var replace: Bool

    public init(name: QualifiedName, columnNames: [String], query: SelectStatement, queryText: String, replace: Bool) {
        self.name = name
        self.columnNames = columnNames
        self.query = query
        self.queryText = queryText
        self.replace = replace
    }
}

/// The value side of `SET`.
public enum SetValue: Sendable, Equatable {
    case values([String])
    case `default`
}

public enum TransactionCommand: Sendable, Equatable {
    case begin
    /// `START TRANSACTION` (same as BEGIN, but its own command tag).
    case startTransaction
    case commit
    case rollback
    case savepoint(String)
    case release(String)
    case rollbackTo(String)
    case prepareTransaction, commitPrepared, rollbackPrepared
}

public enum FetchDirection: Sendable, Equatable {
    /// The next `count` rows (`FETCH n`, `FETCH NEXT`, `FETCH FORWARD n`).
    case forward(Int)
    /// Every remaining row (`FETCH ALL`).
    case all
    /// Any other direction (BACKWARD, PRIOR, ABSOLUTE ...): cursors are forward-only.
    case unsupported(String)
}

/// Options of `COPY ... TO STDOUT`.
public struct CopyOptions: Sendable, Equatable {
    public enum Format: String, Sendable { case text, csv, binary }
    public var format: Format = .text
    public var delimiter: String?
    public var null: String?
    public var header = false
    public var quote: String?
    public var escape: String?
    public var forceQuoteAll = false

    public init() {}
}
