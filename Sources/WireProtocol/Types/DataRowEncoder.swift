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
        buffer.writeRaw(capacity: payload + batch.rowCount * (7 + 4 * encoded.count)) { writer in
            for row in 0..<batch.rowCount {
                writer.byte(UInt8(ascii: "D"))
                let lengthOffset = writer.position
                writer.int32(0)
                writer.int16(columnCount)
                for column in encoded {
                    if column.isNull(row) {
                        writer.int32(-1)
                        continue
                    }
                    let start = Int(column.offsets[row])
                    let end = Int(column.offsets[row + 1])
                    writer.int32(Int32(end - start))
                    column.data.withUnsafeBytes { writer.bytes(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
                }
                writer.setInt32(Int32(writer.position - lengthOffset), at: lengthOffset)
            }
        }
    }

    /// One column's values as wire bytes in the given format.
    func encode(_ column: Column, binary: Bool) -> EncodedColumn {
        guard binary else { return textOutput.encodedColumn(column) }
        if case .bytes(let offsets, let data) = column.storage, BinaryFormat.sendsStoredBytes(column.type) {
            return EncodedColumn(offsets: offsets, data: data, validity: column.validity)
        }
        var offsets = [Int32](repeating: 0, count: column.count + 1)
        var data: [UInt8] = []
        data.reserveCapacity(column.count * 8)
        for row in 0..<column.count {
            if !column.isNull(row) { BinaryFormat.append(column, at: row, to: &data) }
            offsets[row + 1] = Int32(data.count)
        }
        return EncodedColumn(offsets: offsets, data: data, validity: column.validity)
    }
}
