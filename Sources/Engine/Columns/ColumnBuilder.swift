/// Builds a `Column` value by value. For small results and constants; operators that produce
/// many rows fill buffers directly.
public struct ColumnBuilder {
    public let type: DataType
    private var values: [Value] = []

    public init(type: DataType, capacity: Int = 0) {
        self.type = type
        values.reserveCapacity(capacity)
    }

    public mutating func append(_ value: Value) { values.append(value) }

    public var count: Int { values.count }

    /// The finished column.
    public func build() -> Column { Column(type: type, values: values) }
}

extension Column {
    /// A column holding `values`, which must match `type`'s storage (or be `.null`).
    public init(type: DataType, values: [Value]) {
        let count = values.count
        var validity = ValidityBitmap(count: count, allValid: true)
        var anyNull = false
        for (index, value) in values.enumerated() where value.isNull {
            validity[index] = false
            anyNull = true
        }
        func fixed<T>(_ zero: T, _ extract: (Value) -> T?) -> [T] {
            values.map { extract($0) ?? zero }
        }
        let storage: Storage
        switch type.storageKind {
        case .bool: storage = .bool(fixed(0) { if case .bool(let v) = $0 { return v ? 1 : 0 } else { return nil } })
        case .int16: storage = .int16(fixed(0) { if case .int16(let v) = $0 { return v } else { return nil } })
        case .int32: storage = .int32(fixed(0) { if case .int32(let v) = $0 { return v } else { return nil } })
        case .uint32: storage = .uint32(fixed(0) { if case .uint32(let v) = $0 { return v } else { return nil } })
        case .int64: storage = .int64(fixed(0) { if case .int64(let v) = $0 { return v } else { return nil } })
        case .float32: storage = .float32(fixed(0) { if case .float32(let v) = $0 { return v } else { return nil } })
        case .float64: storage = .float64(fixed(0) { if case .float64(let v) = $0 { return v } else { return nil } })
        case .decimal: storage = .decimal(fixed(0) { if case .decimal(let v) = $0 { return v } else { return nil } })
        case .interval:
            storage = .interval(fixed(Interval()) { if case .interval(let v) = $0 { return v } else { return nil } })
        case .bytes:
            var offsets: [Int32] = [0]
            offsets.reserveCapacity(count + 1)
            var data: [UInt8] = []
            for value in values {
                if case .bytes(let bytes) = value { data.append(contentsOf: bytes) }
                offsets.append(Int32(data.count))
            }
            storage = .bytes(offsets: offsets, data: data)
        case .array:
            guard case .array(let elementType) = type else { preconditionFailure("array storage without array type") }
            var offsets: [Int32] = [0]
            var elements: [Value] = []
            for value in values {
                if case .array(let items) = value { elements.append(contentsOf: items) }
                offsets.append(Int32(elements.count))
            }
            storage = .array(offsets: offsets, elements: ColumnBox(Column(type: elementType, values: elements)))
        }
        self.init(type: type, count: count, validity: anyNull ? validity : nil, storage: storage)
    }

    /// A column of `count` copies of `value`, filled directly (constants are evaluated once per batch).
    public init(repeating value: Value, type: DataType, count: Int) {
        let storage: Storage
        switch value {
        case .null:
            self.init(type: type, values: Array(repeating: .null, count: count))
            return
        case .bool(let v): storage = .bool(Array(repeating: v ? 1 : 0, count: count))
        case .int16(let v): storage = .int16(Array(repeating: v, count: count))
        case .int32(let v): storage = .int32(Array(repeating: v, count: count))
        case .uint32(let v): storage = .uint32(Array(repeating: v, count: count))
        case .int64(let v): storage = .int64(Array(repeating: v, count: count))
        case .float32(let v): storage = .float32(Array(repeating: v, count: count))
        case .float64(let v): storage = .float64(Array(repeating: v, count: count))
        case .decimal(let v): storage = .decimal(Array(repeating: v, count: count))
        case .interval(let v): storage = .interval(Array(repeating: v, count: count))
        case .bytes(let bytes):
            var data: [UInt8] = []
            data.reserveCapacity(bytes.count * count)
            for _ in 0..<count { data.append(contentsOf: bytes) }
            storage = .bytes(offsets: (0...count).map { Int32($0 * bytes.count) }, data: data)
        case .array:
            self.init(type: type, values: Array(repeating: value, count: count))
            return
        }
        self.init(type: type, count: count, validity: nil, storage: storage)
    }

    /// The value at `index`, boxed. For tests and small results, not for hot loops.
    public func value(at index: Int) -> Value {
        if isNull(index) { return .null }
        switch storage {
        case .bool(let v): return .bool(v[index] != 0)
        case .int16(let v): return .int16(v[index])
        case .int32(let v): return .int32(v[index])
        case .uint32(let v): return .uint32(v[index])
        case .int64(let v): return .int64(v[index])
        case .float32(let v): return .float32(v[index])
        case .float64(let v): return .float64(v[index])
        case .decimal(let v): return .decimal(v[index])
        case .interval(let v): return .interval(v[index])
        case .bytes(let offsets, let data):
            return .bytes(Array(data[Int(offsets[index])..<Int(offsets[index + 1])]))
        case .array(let offsets, let elements):
            return .array((Int(offsets[index])..<Int(offsets[index + 1])).map { elements.column.value(at: $0) })
        }
    }
}
