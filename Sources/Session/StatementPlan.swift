import Catalog
import Planner
import SQL
import WireProtocol

/// What a statement will do, decided once at prepare time.
enum StatementPlan {
    case query(QueryPlan)
    case set(name: String, value: SetValue, isLocal: Bool)
    case reset(name: String?)
    case show(name: String)
    case transaction(TransactionCommand)
    case copyOut(QueryPlan, CopyOutFormat)
    case prepare(name: String, PreparedStatement)
    case execute(name: String, arguments: [SQL.Expression], sql: String)
    case deallocate(name: String?)
    case declareCursor(name: String, QueryPlan, withHold: Bool)
    case fetch(cursor: String, direction: FetchDirection, move: Bool)
    case closeCursor(name: String?)
    case discardAll
    case explain(QueryPlan, analyze: Bool)
    /// `CREATE [OR REPLACE] VIEW`, with the columns its query was bound to.
    case createView(CreateView, columns: [TableColumn])
    case dropView(names: [QualifiedName], ifExists: Bool, cascade: Bool)
    case createSchema(name: String, ifNotExists: Bool)
    case dropSchema(names: [String], ifExists: Bool, cascade: Bool)
    case createTable(CreateTable, columns: [TableColumn])
    /// `CREATE TABLE AS`, with its query's plan and the columns the table gets.
    case createTableAs(CreateTableAs, QueryPlan, columns: [TableColumn])
    case insert(WriteTarget, QueryPlan)
    /// `COPY table FROM STDIN`: the table's columns, the positions the client sends, and the format.
    case copyIn(WriteTarget, columns: [TableColumn], positions: [Int], CopyOutFormat)
    case dropTable(names: [QualifiedName], ifExists: Bool, cascade: Bool)
    /// `DELETE` or `UPDATE` of one table's rows.
    case changeRows(WriteTarget, RowChange)
    case truncate([WriteTarget])
    /// `CALL weir.<procedure>(...)`, with the plan computing its arguments.
    case call(TableProcedure, QueryPlan)
    /// `ALTER TABLE`: nil target when IF EXISTS found no table; notices for the changes skipped.
    case alterTable(WriteTarget?, [TableChange], notices: [PostgresError])

    /// True when running the statement takes microseconds, whatever its arguments, so it may run
    /// on the connection's event loop; anything that reads rows from a source that can be long
    /// (a table, a series, a cursor) runs on the shared executor instead.
    var finishesQuickly: Bool {
        switch self {
        case .query(let plan), .copyOut(let plan, _): return plan.finishesQuickly
        case .explain(let plan, let analyze): return !analyze || plan.finishesQuickly
        case .execute, .fetch, .createView, .dropView, .createSchema, .dropSchema, .createTable, .createTableAs,
            .insert, .dropTable, .copyIn,
            .changeRows, .alterTable, .call, .truncate:
            return false
        case .set, .reset, .show, .transaction, .prepare, .deallocate, .declareCursor, .closeCursor, .discardAll:
            return true
        }
    }

    /// Only these statements run in a failed transaction block (everything else gets 25P02).
    var allowedInFailedTransaction: Bool {
        switch self {
        case .transaction(.commit), .transaction(.rollback), .transaction(.rollbackTo): return true
        default: return false
        }
    }
}
