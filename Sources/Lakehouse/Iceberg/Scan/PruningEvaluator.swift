import Engine

/// Decides, from metadata alone, whether a manifest or a data file may hold rows matching a
/// scan's predicate: at the manifest level from partition summaries, at the file level from the
/// partition tuple and the per-column lower/upper bounds and null counts. `mayMatch` is the test
/// every level shares; the row group and page levels (`RowGroupPruning`) feed it Parquet
/// statistics and column indexes.
///
/// Every answer is conservative: "false" only when no row can match.
struct PruningEvaluator {
    /// What metadata says about one column or partition field's values.
    struct ValueRange {
        var lower: Value?
        var upper: Value?
        /// False when the values are known to contain no null.
        var mayContainNull: Bool
        /// True when every value is known to be null.
        var allNull: Bool
        /// False when the values are known to contain no NaN (always, for types without NaN).
        /// Bounds leave NaN out, and PostgreSQL sorts NaN above every number.
        var mayContainNaN: Bool
    }

    let terms: [BoundTerm]

    init(predicate: ScanPredicate, schema: IcebergSchema) {
        terms = BoundTerm.bind(predicate, schema: schema)
    }

    var isTrivial: Bool { terms.isEmpty }

    /// Whether any file of a manifest written with `spec` may match, from its partition summaries.
    func manifestMayMatch(_ summaries: [PartitionFieldSummary], spec: PartitionSpec, types: [IcebergType?]) -> Bool {
        guard summaries.count == spec.fields.count else { return true }
        return partitionMayMatch(spec: spec) { position in
            let summary = summaries[position]
            guard let type = types[position] else { return nil }
            let lower = summary.lowerBound.flatMap { SingleValueSerialization.decode($0, as: type) }
            let upper = summary.upperBound.flatMap { SingleValueSerialization.decode($0, as: type) }
            let allNull = summary.containsNull && summary.lowerBound == nil && summary.upperBound == nil
            return ValueRange(
                lower: lower, upper: upper, mayContainNull: summary.containsNull, allNull: allNull,
                mayContainNaN: type.hasNaN && summary.containsNaN != false)
        }
    }

    /// Whether a data file may match: its partition tuple first, then its column metrics.
    func fileMayMatch(_ file: DataFile, spec: PartitionSpec?) -> Bool {
        if let spec, spec.fields.count == file.partition.count {
            let partitionOK = partitionMayMatch(spec: spec) { position in
                let value = file.partition[position]
                guard !value.isNull else {
                    return ValueRange(lower: nil, upper: nil, mayContainNull: true, allNull: true, mayContainNaN: false)
                }
                return ValueRange(
                    lower: value, upper: value, mayContainNull: false, allNull: false, mayContainNaN: false)
            }
            if !partitionOK { return false }
        }
        return terms.allSatisfy { term in
            let id = term.field.id
            let valueCount = file.valueCounts[id]
            let nullCount = file.nullValueCounts[id]
            let range = ValueRange(
                lower: file.lowerBounds[id].flatMap { SingleValueSerialization.decode($0, as: term.field.type) },
                upper: file.upperBounds[id].flatMap { SingleValueSerialization.decode($0, as: term.field.type) },
                mayContainNull: nullCount.map { $0 > 0 } ?? true,
                allNull: valueCount != nil && nullCount == valueCount && file.nanValueCounts[id] ?? 0 == 0,
                mayContainNaN: term.field.type.hasNaN && file.nanValueCounts[id].map { $0 > 0 } ?? true)
            return Self.mayMatch(term.test, range)
        }
    }

    /// Projects each term through the spec's transforms onto partition fields and tests the
    /// projected terms against the ranges `rangeAt(position)` reports.
    private func partitionMayMatch(spec: PartitionSpec, rangeAt: (Int) -> ValueRange?) -> Bool {
        for term in terms {
            for (position, field) in spec.fields.enumerated() where field.sourceID == term.field.id {
                guard let projected = Self.project(term, through: field.transform), let range = rangeAt(position)
                else { continue }
                if !Self.mayMatch(projected, range) { return false }
            }
        }
        return true
    }

    /// The inclusive projection of a term onto a partition field: a test on partition values that
    /// every matching row's partition value passes. Nil when nothing useful follows.
    static func project(_ term: BoundTerm, through transform: PartitionTransform) -> BoundTerm.Test? {
        if transform == .void { return nil }
        switch term.test {
        case .isNull, .isNotNull:
            return term.test
        case .isIn(let values):
            var projected: [Value] = []
            for value in values {
                guard let partitionValue = transform.apply(value, source: term.field.type), !partitionValue.isNull
                else { return nil }
                projected.append(partitionValue)
            }
            return .isIn(projected)
        case .compare(let comparison, let constant):
            guard let projected = transform.apply(constant, source: term.field.type), !projected.isNull else {
                return nil
            }
            switch comparison {
            case .equal: return .compare(.equal, projected)
            case .notEqual: return transform == .identity ? .compare(.notEqual, projected) : nil
            case .less, .lessOrEqual:
                return transform.preservesOrder
                    ? .compare(transform == .identity ? comparison : .lessOrEqual, projected) : nil
            case .greater, .greaterOrEqual:
                return transform.preservesOrder
                    ? .compare(transform == .identity ? comparison : .greaterOrEqual, projected) : nil
            }
        }
    }

    /// Whether some value in `range` may pass `test`.
    static func mayMatch(_ test: BoundTerm.Test, _ range: ValueRange) -> Bool {
        switch test {
        case .isNull: return range.mayContainNull
        case .isNotNull: return !range.allNull
        case .isIn(let values):
            return values.contains { mayMatch(.compare(.equal, $0), range) }
        case .compare(let comparison, let constant):
            if range.allNull { return false }
            if range.mayContainNaN && [.greater, .greaterOrEqual, .notEqual].contains(comparison) { return true }
            func order(_ bound: Value?) -> Int? { bound.flatMap { ValueOrdering.compare($0, constant) } }
            let lower = order(range.lower)
            let upper = order(range.upper)
            switch comparison {
            case .equal: return !(lower.map { $0 > 0 } ?? false) && !(upper.map { $0 < 0 } ?? false)
            case .notEqual: return !(lower == 0 && upper == 0)
            case .less: return !(lower.map { $0 >= 0 } ?? false)
            case .lessOrEqual: return !(lower.map { $0 > 0 } ?? false)
            case .greater: return !(upper.map { $0 <= 0 } ?? false)
            case .greaterOrEqual: return !(upper.map { $0 < 0 } ?? false)
            }
        }
    }
}

extension IcebergType {
    /// True for the floating-point types, whose values may be NaN.
    var hasNaN: Bool { self == .float || self == .double }
}
