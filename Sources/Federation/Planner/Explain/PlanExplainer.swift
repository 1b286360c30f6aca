import Engine

/// EXPLAIN's text: one line per plan node, children indented under their parent with `->`, each
/// with the optimizer's row estimate and, after EXPLAIN ANALYZE, the rows it produced and the time
/// it took (including its inputs).
public enum PlanExplainer {
    public static func lines(_ plan: QueryPlan, statistics: ExecutionStatistics? = nil) -> [String] {
        var lines: [String] = []
        describe(plan.root, path: [], depth: 0, statistics: statistics, into: &lines)
        for (index, initPlan) in plan.initPlans.enumerated() {
            lines.append("  InitPlan \(index + 1) (returns $\(index + 1))")
            describe(initPlan.plan, path: [-(index + 1)], depth: 2, statistics: nil, into: &lines)
        }
        lines += statistics?.scanLines ?? []
        return lines
    }

    private static func describe(
        _ plan: LogicalPlan, path: [Int], depth: Int, statistics: ExecutionStatistics?, into lines: inout [String]
    ) {
        // PostgreSQL's layout: each level six columns further right, children marked `->`.
        let indent = depth == 0 ? "" : String(repeating: " ", count: (depth - 1) * 6 + 2) + "->  "
        var line = indent + label(plan) + " (rows=\(Int(ReorderJoins.estimatedRows(plan).rounded())))"
        if let statistics {
            if let entry = statistics.entry(path) {
                let milliseconds = Double(entry.nanoseconds) / 1_000_000
                line += " (actual rows=\(entry.rows) time=\(formatMilliseconds(milliseconds)) ms)"
            } else {
                line += " (run inside a parallel or fused operator)"
            }
        }
        lines.append(line)
        // Subqueries run per outer row are planned afresh each time; their figures are not kept.
        var perRowFrom = Int.max
        if case .apply = plan { perRowFrom = 1 }
        if case .lateral = plan { perRowFrom = 1 }
        for (index, child) in children(plan).enumerated() {
            let childStatistics = index >= perRowFrom ? nil : statistics
            describe(child, path: path + [index], depth: depth + 1, statistics: childStatistics, into: &lines)
        }
    }

    static func label(_ plan: LogicalPlan) -> String {
        switch plan {
        case .singleRow: return "Result"
        case .values(let rows, _): return "Values Scan (\(rows.count) rows)"
        case .generateSeries: return "Function Scan on generate_series"
        case .unnest: return "Function Scan on unnest"
        case .recursiveUnion(_, _, let workTable, let distinct):
            return "Recursive Union\(distinct ? "" : " All") (work table \(workTable))"
        case .workTableScan(let workTable, _): return "WorkTable Scan (work table \(workTable))"
        case .scan(let table, let columns, let filter):
            let names = columns.map { table.columns[$0].name }.joined(separator: ", ")
            return "Seq Scan on \(table.displayName) [\(names)]" + (filter == nil ? "" : " with pruning filter")
        case .filter: return "Filter"
        case .project(_, let expressions): return "Project (\(expressions.count) columns)"
        case .limit: return "Limit"
        case .sort(_, let keys): return "Sort (\(keys.count) keys)"
        case .aggregate(_, let keys, let aggregates):
            if aggregates.isEmpty { return "HashAggregate (distinct on \(keys.count) columns)" }
            let calls = aggregates.map(\.function.rawValue).joined(separator: ", ")
            return keys.isEmpty ? "Aggregate (\(calls))" : "HashAggregate (\(keys.count) keys; \(calls))"
        case .window(_, let functions): return "WindowAgg (\(functions.map(\.function.name).joined(separator: ", ")))"
        case .union(let inputs): return "Append (\(inputs.count) inputs)"
        case .join(let left, _, let kind, let condition):
            let keys = JoinCondition(condition, leftWidth: left.outputTypes.count).probeKeys.count
            return keys > 0 ? "Hash Join (\(kind), \(keys) keys)" : "Nested Loop (\(kind))"
        case .projectSet(_, let calls): return "ProjectSet (\(calls.count) set-returning calls)"
        case .apply(_, let subqueries): return "SubPlan (\(subqueries.count) correlated subqueries, run per outer row)"
        case .lateral(_, _, _, let preservesInput):
            return "Nested Loop \(preservesInput ? "Left " : "")Lateral (subquery run per outer row)"
        }
    }

    static func children(_ plan: LogicalPlan) -> [LogicalPlan] {
        switch plan {
        case .singleRow, .values, .generateSeries, .unnest, .scan, .workTableScan: return []
        case .recursiveUnion(let anchor, let recursive, _, _): return [anchor, recursive]
        case .filter(let input, _), .project(let input, _), .limit(let input, _, _), .sort(let input, _),
            .aggregate(let input, _, _),
            .window(let input, _):
            return [input]
        case .union(let inputs): return inputs
        case .join(let left, let right, _, _): return [left, right]
        case .apply(let input, let subqueries): return [input] + subqueries.map(\.subquery.plan)
        case .lateral(let input, let subquery, _, _): return [input, subquery]
        case .projectSet(let input, _): return [input]
        }
    }

    private static func formatMilliseconds(_ value: Double) -> String {
        let thousandths = Int((value * 1000).rounded())
        let fraction = thousandths % 1000
        return "\(thousandths / 1000)." + String(repeating: "0", count: 3 - String(fraction).count) + "\(fraction)"
    }
}
