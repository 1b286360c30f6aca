/// A column's values encoded as byte strings (PostgreSQL text form, or binary form on the wire):
/// value `i` is `data[offsets[i]..<offsets[i + 1]]`, empty for NULL rows, which `validity` marks.
public struct EncodedColumn: Sendable {
    public var offsets: [Int32]
    public var data: [UInt8]
    public var validity: ValidityBitmap?

    public init(offsets: [Int32], data: [UInt8], validity: ValidityBitmap?) {
        self.offsets = offsets
        self.data = data
        self.validity = validity
    }

    @inline(__always)
    public func isNull(_ row: Int) -> Bool {
        guard let validity else { return false }
        return !validity[row]
    }
}

extension TextOutput {
    /// Every value of `column` printed by its output function, one loop per type.
    ///
    /// Text columns are passed through without copying; numbers print without going through
    /// `String`. Wire encoders and casts to text both use this, so they agree byte for byte.
    public func encodedColumn(_ column: Column) -> EncodedColumn {
        if case .bytes(let offsets, let data) = column.storage, column.type != .bytea {
            return EncodedColumn(offsets: offsets, data: data, validity: column.validity)
        }
        var offsets = [Int32](repeating: 0, count: column.count + 1)
        var data: [UInt8] = []
        data.reserveCapacity(column.count * 8)
        func fill(_ appendRow: (Int, inout [UInt8]) -> Void) {
            offsets.withUnsafeMutableBufferPointer { offsets in
                for row in 0..<column.count {
                    if !column.isNull(row) { appendRow(row, &data) }
                    offsets[row + 1] = Int32(truncatingIfNeeded: data.count)
                }
            }
        }
        switch (column.storage, column.type) {
        case (.int64(let values), .int64):
            fill { row, out in Self.appendInteger(values[row], to: &out) }
        case (.int32(let values), .int32):
            fill { row, out in Self.appendInteger(Int64(values[row]), to: &out) }
        case (.int16(let values), _):
            fill { row, out in Self.appendInteger(Int64(values[row]), to: &out) }
        case (.bool(let values), _):
            fill { row, out in out.append(values[row] != 0 ? UInt8(ascii: "t") : UInt8(ascii: "f")) }
        case (.float64(let values), _):
            fill { row, out in
                appendFloat(values[row], significantDigits: 15, shortest: values[row].description, to: &out)
            }
        default:
            fill { row, out in append(column, at: row, to: &out) }
        }
        return EncodedColumn(offsets: offsets, data: data, validity: column.validity)
    }
}
