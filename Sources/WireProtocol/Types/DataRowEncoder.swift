import Engine
import NIOCore

/// Writes a batch's rows as DataRow messages, column by column.
///
/// Each column is first encoded into one contiguous byte run with per-row offsets (a tight loop per
/// type, no boxing); rows are then stitched together. Text values already in UTF-8 are not copied twice.
public struct DataRowEncoder: Sendable {
    /// 0 = text, 1 = binary, one per column.
    public let formats: [Int16]
    public let textOutput: TextOutput

    public init(formats: [Int16], textOutput: TextOutput) {
        self.formats = formats
        self.textOutput = textOutput
    }

    /// Appends one DataRow per row of `batch` to `buffer`.
    public func write(_ batch: Batch, into buffer: inout ByteBuffer) {
        let encoded = batch.columns.enumerated().map { index, column in
            encode(column, binary: formats[index] == 1)
        }
        let columnCount = Int16(encoded.count)
        let payload = encoded.reduce(0) { $0 + $1.data.count }
        buffer.reserveCapacity(minimumWritableBytes: payload + batch.rowCount * (7 + 4 * encoded.count))
        for row in 0..<batch.rowCount {
            buffer.writeInteger(UInt8(ascii: "D"))
            let lengthIndex = buffer.writerIndex
            buffer.writeInteger(Int32(0))
            buffer.writeInteger(columnCount)
            for column in encoded {
                if column.isNull(row) {
                    buffer.writeInteger(Int32(-1))
                } else {
                    let start = Int(column.offsets[row])
                    let end = Int(column.offsets[row + 1])
                    buffer.writeInteger(Int32(end - start))
                    column.data.withUnsafeBufferPointer { bytes in
                        buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[start..<end]))
                    }
                }
            }
            buffer.setInteger(Int32(buffer.writerIndex - lengthIndex), at: lengthIndex)
        }
    }

    /// One column's values as wire bytes.
    struct EncodedColumn {
        var offsets: [Int32]
        var data: [UInt8]
        var validity: ValidityBitmap?

        @inline(__always)
        func isNull(_ row: Int) -> Bool { validity.map { !$0[row] } ?? false }
    }

    func encode(_ column: Column, binary: Bool) -> EncodedColumn {
        if case .bytes(let offsets, let data) = column.storage, column.type != .bytea || binary,
            column.type != .uuid || !binary, column.type != .jsonb || !binary
        {
            return EncodedColumn(offsets: offsets, data: data, validity: column.validity)
        }
        var offsets = [Int32](repeating: 0, count: column.count + 1)
        var data: [UInt8] = []
        data.reserveCapacity(column.count * 8)
        if !binary, case .int64(let values) = column.storage, column.type == .int64 {
            for row in 0..<column.count {
                if !column.isNull(row) { TextOutput.appendInteger(values[row], to: &data) }
                offsets[row + 1] = Int32(data.count)
            }
        } else if !binary, case .int32(let values) = column.storage, column.type == .int32 {
            for row in 0..<column.count {
                if !column.isNull(row) { TextOutput.appendInteger(Int64(values[row]), to: &data) }
                offsets[row + 1] = Int32(data.count)
            }
        } else {
            for row in 0..<column.count {
                if !column.isNull(row) {
                    if binary {
                        BinaryFormat.append(column, at: row, to: &data)
                    } else {
                        textOutput.append(column, at: row, to: &data)
                    }
                }
                offsets[row + 1] = Int32(data.count)
            }
        }
        return EncodedColumn(offsets: offsets, data: data, validity: column.validity)
    }
}
