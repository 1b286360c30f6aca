import Catalog
import Engine

/// The analyzer's policy pass: every table scan of a bound statement (in views, subqueries, WITH
/// queries and write sources alike, since by now they are all part of one plan) asks the session's
/// `AccessControl` how the user may read the table. An unrestricted table is left as it is; a
/// restricted one is read whole, filtered by its row filter, and projected with its masked
/// values in place of the columns the statement asked for; a refused one fails the statement.
///
/// It runs before the optimizer, so no predicate of the statement has reached the scan yet.
enum ApplyAccessControl {
    static func apply(_ plan: LogicalPlan, accessControl: any AccessControl, user: String) throws(BindError)
        -> LogicalPlan
    {
        try plan.transformingEveryNode { (node) throws(BindError) in
            guard case .scan(let table, let columns, let filter) = node else { return node }
            let policy: ReadPolicy
            do throws(EngineError) {
                policy = try accessControl.readPolicy(table: table, user: user)
            } catch {
                throw BindError(error, location: nil)
            }
            guard !policy.isUnrestricted else { return node }
            var protected = LogicalPlan.scan(table: table, columns: Array(table.columns.indices), filter: filter)
            if let rowFilter = policy.rowFilter { protected = .filter(protected, predicate: rowFilter) }
            let visible = columns.map { column in
                policy.columnMasks[column] ?? .column(index: column, type: table.columns[column].type)
            }
            return .project(protected, expressions: visible)
        }
    }
}
