/// Joining columns end to end, and gathering with NULL for missing rows (outer-join null extension).
extension Column {
    /// The rows of `parts` one after another; `type` is used when `parts` is empty.
    public static func concatenate(_ parts: [Column], type: DataType) -> Column {
        if parts.count == 1 { return parts[0] }
        let count = parts.reduce(0) { $0 + $1.count }
        var validity: ValidityBitmap?
        if parts.contains(where: { $0.validity != nil }) {
            var bits = ValidityBitmap(count: count, allValid: true)
            var base = 0
            for part in parts {
                if let partValidity = part.validity {
                    for row in 0..<part.count where !partValidity[row] { bits[base + row] = false }
                }
                base += part.count
            }
            validity = bits
        }
        func join<T>(_ extract: (Storage) -> [T]) -> [T] {
            var values: [T] = []
            values.reserveCapacity(count)
            for part in parts { values.append(contentsOf: extract(part.storage)) }
            return values
        }
        let storage: Storage
        switch type.storageKind {
        case .bool: storage = .bool(join { if case .bool(let v) = $0 { v } else { [] } })
        case .int16: storage = .int16(join { if case .int16(let v) = $0 { v } else { [] } })
        case .int32: storage = .int32(join { if case .int32(let v) = $0 { v } else { [] } })
        case .uint32: storage = .uint32(join { if case .uint32(let v) = $0 { v } else { [] } })
        case .int64: storage = .int64(join { if case .int64(let v) = $0 { v } else { [] } })
        case .float32: storage = .float32(join { if case .float32(let v) = $0 { v } else { [] } })
        case .float64: storage = .float64(join { if case .float64(let v) = $0 { v } else { [] } })
        case .decimal: storage = .decimal(join { if case .decimal(let v) = $0 { v } else { [] } })
        case .interval: storage = .interval(join { if case .interval(let v) = $0 { v } else { [] } })
        case .bytes:
            var offsets: [Int32] = [0]
            offsets.reserveCapacity(count + 1)
            var data: [UInt8] = []
            for part in parts {
                guard part.count > 0, case .bytes(let partOffsets, let partData) = part.storage else { continue }
                let base = Int32(data.count) - partOffsets[0]
                data.append(contentsOf: partData[Int(partOffsets[0])..<Int(partOffsets[part.count])])
                for row in 1...part.count { offsets.append(partOffsets[row] + base) }
            }
            storage = .bytes(offsets: offsets, data: data)
        case .array:
            var offsets: [Int32] = [0]
            var elements: [Column] = []
            var total: Int32 = 0
            for part in parts {
                guard part.count > 0, case .array(let partOffsets, let partElements) = part.storage else { continue }
                let range = Int(partOffsets[0])..<Int(partOffsets[part.count])
                elements.append(partElements.column.slice(range))
                for row in 1...part.count { offsets.append(total + partOffsets[row] - partOffsets[0]) }
                total += Int32(range.count)
            }
            guard case .array(let elementType) = type else { preconditionFailure("array storage without array type") }
            storage = .array(offsets: offsets, elements: ColumnBox(concatenate(elements, type: elementType)))
        }
        return Column(type: type, count: count, validity: validity, storage: storage)
    }

    /// The rows at `indices`, with NULL wherever an index is negative.
    public func gatherOrNull(_ indices: [Int32]) -> Column {
        guard indices.contains(where: { $0 < 0 }) else { return gather(indices) }
        if count == 0 { return .nulls(type, count: indices.count) }
        var gathered = gather(indices.map { max($0, 0) })
        var bits = gathered.validity ?? ValidityBitmap(count: indices.count, allValid: true)
        for (position, index) in indices.enumerated() where index < 0 { bits[position] = false }
        gathered.validity = bits
        return gathered
    }
}

extension Batch {
    /// The rows of `batches` one after another, with one column per entry of `types`.
    public static func concatenate(_ batches: [Batch], types: [DataType]) -> Batch {
        if batches.count == 1 { return batches[0] }
        let columns = types.indices.map { index in
            Column.concatenate(batches.map { $0.columns[index] }, type: types[index])
        }
        return Batch(columns: columns, rowCount: batches.reduce(0) { $0 + $1.rowCount })
    }
}
