/// `lag`, `lead`, `first_value`, `last_value` and `nth_value`: each row takes the value of another row
/// of its partition (or frame). Computed as one list of source positions per call and a single
/// gather, so values of every type move without being boxed.
enum WindowValueFunctions {
    /// `lag(value [, offset [, default]])` and `lead(...)` in window order. The offset and default
    /// are read at the current row; a NULL offset gives NULL, a row outside the partition the default.
    static func shifted(_ arguments: [Column], lag: Bool, _ partitioning: WindowPartitioning) -> Column {
        let values = arguments[0]
        let count = partitioning.rowCount
        var offsets: [Int32]?
        var offsetValidity: ValidityBitmap?
        if arguments.count > 1 {
            guard case .int32(let column) = arguments[1].storage else {
                preconditionFailure("lag/lead offset is an integer")
            }
            offsets = column
            offsetValidity = arguments[1].nullableValidity
        }
        let hasDefault = arguments.count > 2
        var sources = [Int32](repeating: -1, count: count)
        for partition in 0..<partitioning.partitionCount {
            let range = partitioning.partition(partition)
            for position in range {
                if let offsetValidity, !offsetValidity[position] { continue }
                let offset = Int(offsets?[position] ?? 1)
                let target = lag ? position - offset : position + offset
                if range.contains(target) {
                    sources[position] = Int32(target)
                } else if hasDefault {
                    sources[position] = Int32(count + position)
                }
            }
        }
        let candidates = hasDefault ? Column.concatenate([values, arguments[2]], type: values.type) : values
        return candidates.gatherOrNull(sources)
    }

    /// `first_value`, `last_value` and `nth_value(value, n)` over each row's frame; NULL where the
    /// frame is empty or shorter than `n`.
    static func framed(
        _ function: WindowFunction, _ arguments: [Column], _ frames: WindowFrameBounds
    ) throws(EngineError) -> Column {
        let count = frames.starts.count
        var sources = [Int32](repeating: -1, count: count)
        switch function {
        case .firstValue:
            for position in 0..<count where frames.starts[position] < frames.ends[position] {
                sources[position] = Int32(frames.starts[position])
            }
        case .lastValue:
            for position in 0..<count where frames.starts[position] < frames.ends[position] {
                sources[position] = Int32(frames.ends[position] - 1)
            }
        case .nthValue:
            guard case .int32(let ordinals) = arguments[1].storage else {
                preconditionFailure("nth_value takes an integer")
            }
            let validity = arguments[1].nullableValidity
            for position in 0..<count where validity?[position] ?? true {
                let ordinal = Int(ordinals[position])
                guard ordinal > 0 else {
                    throw EngineError(
                        .invalidArgumentForNthValueFunction, "argument of nth_value must be greater than zero")
                }
                if ordinal <= frames.ends[position] - frames.starts[position] {
                    sources[position] = Int32(frames.starts[position] + ordinal - 1)
                }
            }
        default:
            preconditionFailure("\(function.name) does not read a frame row")
        }
        return arguments[0].gatherOrNull(sources)
    }
}
