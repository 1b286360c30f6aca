import Engine
import Foundation

/// The optimizer's rules in the order they run. Each can be switched off for a session with
/// `SET weir.optimizer_disabled_rules = 'PushDownFilters, ReorderJoins'`, to compare a query's
/// answer with and without it (the SQL fuzzer does) or to work around a rule while it is fixed.
public enum OptimizerRule: String, CaseIterable, Sendable {
    case foldConstants = "FoldConstants"
    case narrowComparisons = "NarrowComparisons"
    case pushDownFilters = "PushDownFilters"
    case reorderJoins = "ReorderJoins"
    case pruneColumns = "PruneColumns"

    public static let disabledRulesSetting = "weir.optimizer_disabled_rules"

    /// The rules a `weir.optimizer_disabled_rules` value names (comma-separated, any case);
    /// 22023 for a name that is no rule.
    public static func named(in list: String) throws(EngineError) -> Set<OptimizerRule> {
        var rules: Set<OptimizerRule> = []
        for name in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            guard let rule = allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else {
                throw EngineError(
                    .invalidParameterValue, "invalid value for parameter \"\(disabledRulesSetting)\": \"\(name)\"",
                    detail: "The rules are \(allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            rules.insert(rule)
        }
        return rules
    }

    /// `plan` after every rule in order but those in `disabled`. The plans of the subqueries it
    /// runs are optimized first, each on its own.
    static func optimize(_ plan: LogicalPlan, disabled: Set<OptimizerRule> = []) -> LogicalPlan {
        func optimizingSubqueries(_ plan: LogicalPlan) -> LogicalPlan {
            plan.mappingInputs(optimizingSubqueries).mappingSubqueryPlans { optimize($0, disabled: disabled) }
        }
        return allCases.reduce(optimizingSubqueries(plan)) { plan, rule in
            disabled.contains(rule) ? plan : rule.apply(plan)
        }
    }

    /// `plan` after this rule.
    func apply(_ plan: LogicalPlan) -> LogicalPlan {
        switch self {
        case .foldConstants: return FoldConstants.apply(plan)
        case .narrowComparisons: return NarrowComparisons.apply(plan)
        case .pushDownFilters: return PushDownFilters.apply(plan)
        case .reorderJoins: return ReorderJoins.apply(plan)
        case .pruneColumns: return PruneColumns.apply(plan)
        }
    }
}
