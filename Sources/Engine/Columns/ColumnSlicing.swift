/// Row selection on columns: gather by index list and contiguous slices.
extension Column {
    /// The rows at `indices`, in that order.
    public func gather(_ indices: [Int32]) -> Column {
        var validity: ValidityBitmap?
        if let source = self.validity {
            var bits = ValidityBitmap(count: indices.count, allValid: true)
            for (position, index) in indices.enumerated() where !source[Int(index)] { bits[position] = false }
            validity = bits
        }
        func pick<T>(_ values: [T]) -> [T] {
            values.withUnsafeBufferPointer { values in indices.map { values[Int($0)] } }
        }
        let storage: Storage
        switch self.storage {
        case .bool(let v): storage = .bool(pick(v))
        case .int16(let v): storage = .int16(pick(v))
        case .int32(let v): storage = .int32(pick(v))
        case .uint32(let v): storage = .uint32(pick(v))
        case .int64(let v): storage = .int64(pick(v))
        case .float32(let v): storage = .float32(pick(v))
        case .float64(let v): storage = .float64(pick(v))
        case .decimal(let v): storage = .decimal(pick(v))
        case .interval(let v): storage = .interval(pick(v))
        case .bytes(let offsets, let data):
            var newOffsets: [Int32] = [0]
            newOffsets.reserveCapacity(indices.count + 1)
            var newData: [UInt8] = []
            for index in indices {
                newData.append(contentsOf: data[Int(offsets[Int(index)])..<Int(offsets[Int(index) + 1])])
                newOffsets.append(Int32(newData.count))
            }
            storage = .bytes(offsets: newOffsets, data: newData)
        case .array(let offsets, let elements):
            var newOffsets: [Int32] = [0]
            var elementIndices: [Int32] = []
            for index in indices {
                elementIndices.append(contentsOf: offsets[Int(index)]..<offsets[Int(index) + 1])
                newOffsets.append(Int32(elementIndices.count))
            }
            storage = .array(offsets: newOffsets, elements: ColumnBox(elements.column.gather(elementIndices)))
        }
        return Column(type: type, count: indices.count, validity: validity, storage: storage)
    }

    /// Rows `range` of this column, copied range by range (no per-row index list).
    public func slice(_ range: Range<Int>) -> Column {
        var sliced: ValidityBitmap?
        if let validity {
            var bits = ValidityBitmap(count: range.count, allValid: true)
            for (position, row) in range.enumerated() where !validity[row] { bits[position] = false }
            sliced = bits
        }
        let storage: Storage
        switch self.storage {
        case .bool(let v): storage = .bool(Array(v[range]))
        case .int16(let v): storage = .int16(Array(v[range]))
        case .int32(let v): storage = .int32(Array(v[range]))
        case .uint32(let v): storage = .uint32(Array(v[range]))
        case .int64(let v): storage = .int64(Array(v[range]))
        case .float32(let v): storage = .float32(Array(v[range]))
        case .float64(let v): storage = .float64(Array(v[range]))
        case .decimal(let v): storage = .decimal(Array(v[range]))
        case .interval(let v): storage = .interval(Array(v[range]))
        case .bytes(let offsets, let data):
            let base = offsets[range.lowerBound]
            storage = .bytes(
                offsets: offsets[range.lowerBound...range.upperBound].map { $0 - base },
                data: Array(data[Int(base)..<Int(offsets[range.upperBound])]))
        case .array(let offsets, let elements):
            let base = offsets[range.lowerBound]
            storage = .array(
                offsets: offsets[range.lowerBound...range.upperBound].map { $0 - base },
                elements: ColumnBox(elements.column.slice(Int(base)..<Int(offsets[range.upperBound]))))
        }
        return Column(type: type, count: range.count, validity: sliced, storage: storage)
    }
}

extension Batch {
    /// The rows at `indices` of every column.
    public func gather(_ indices: [Int32]) -> Batch {
        Batch(columns: columns.map { $0.gather(indices) }, rowCount: indices.count)
    }

    /// Rows `range` of every column.
    public func slice(_ range: Range<Int>) -> Batch {
        if range == 0..<rowCount { return self }
        return Batch(columns: columns.map { $0.slice(range) }, rowCount: range.count)
    }
}
