/// The little of the FlatBuffers wire format Arrow IPC metadata needs: a builder that lays tables,
/// vectors and strings out back to front (so every offset points forward, as the format requires)
/// and a reader of tables and vectors by field slot.
struct FlatBufferBuilder {
    /// The buffer so far, last byte first: prepending is appending here.
    private var reversed: [UInt8] = []
    /// The strictest alignment anything in the buffer needs.
    private var minimumAlignment = 1
    /// Fields of the table being built: slot and position (distance from the buffer's end).
    private var tableFields: [(slot: Int, position: Int)] = []
    private var tableStart = 0

    /// Distance from the end of the buffer to the last thing written: how objects are addressed while building.
    var size: Int { reversed.count }

    /// Pads so that after `additional` more bytes the buffer is aligned to `alignment`.
    mutating func align(_ alignment: Int, additional: Int = 0) {
        minimumAlignment = max(minimumAlignment, alignment)
        let padding = (~(size + additional) + 1) & (alignment - 1)
        reversed.append(contentsOf: repeatElement(0, count: padding))
    }

    mutating func prepend<T: FixedWidthInteger>(_ value: T) {
        align(MemoryLayout<T>.size)
        appendRaw(value)
    }

    private mutating func appendRaw<T: FixedWidthInteger>(_ value: T) {
        let bytes = MemoryLayout<T>.size
        for index in stride(from: bytes - 1, through: 0, by: -1) {
            reversed.append(UInt8(truncatingIfNeeded: value.littleEndian >> (index * 8)))
        }
    }

    /// An offset from here to the object at `position`.
    mutating func prependOffset(to position: Int) {
        align(4)
        appendRaw(UInt32(size + 4 - position))
    }

    mutating func createString(_ text: String) -> Int {
        let bytes = Array(text.utf8)
        align(4, additional: bytes.count + 1)
        reversed.append(0)
        reversed.append(contentsOf: bytes.reversed())
        appendRaw(UInt32(bytes.count))
        return size
    }

    /// A vector of offsets to objects already built.
    mutating func createOffsetVector(_ positions: [Int]) -> Int {
        align(4, additional: 4 * positions.count)
        for position in positions.reversed() { prependOffset(to: position) }
        appendRaw(UInt32(positions.count))
        return size
    }

    /// A vector of structs made of 64-bit integers (Arrow's FieldNode and Buffer): `fields` per element.
    mutating func createInt64StructVector(_ elements: [[Int64]]) -> Int {
        let width = elements.first?.count ?? 0
        align(8, additional: 8 * width * elements.count)
        for element in elements.reversed() {
            for field in element.reversed() { appendRaw(field) }
        }
        align(4)
        appendRaw(UInt32(elements.count))
        return size
    }

    mutating func startTable() {
        tableFields = []
        tableStart = size
    }

    mutating func add<T: FixedWidthInteger>(slot: Int, _ value: T) {
        prepend(value)
        tableFields.append((slot, size))
    }

    mutating func addOffset(slot: Int, to position: Int) {
        prependOffset(to: position)
        tableFields.append((slot, size))
    }

    /// Closes the table with its vtable written just before it; returns the table's position.
    mutating func endTable() -> Int {
        align(4)
        appendRaw(Int32(0))
        let table = size
        let slots = (tableFields.map(\.slot).max() ?? -1) + 1
        var entries = [UInt16](repeating: 0, count: slots)
        for field in tableFields { entries[field.slot] = UInt16(table - field.position) }
        for entry in entries.reversed() { appendRaw(entry) }
        appendRaw(UInt16(table - tableStart))
        appendRaw(UInt16(4 + 2 * slots))
        let vtable = size
        // The table's first word: where its vtable is, as a signed distance back from the table.
        let distance = Int32(vtable - table)
        for index in 0..<4 { reversed[table - 1 - index] = UInt8(truncatingIfNeeded: distance >> (index * 8)) }
        return table
    }

    /// The finished buffer with `root` as its root table.
    mutating func finish(root: Int) -> [UInt8] {
        align(max(minimumAlignment, 8), additional: 4)
        prependOffset(to: root)
        return reversed.reversed()
    }
}

/// Reads tables and vectors of a FlatBuffer by position; out-of-bounds reads throw `XX001`.
struct FlatBufferReader {
    let bytes: [UInt8]
    let origin: String

    func corrupt(_ what: String) -> EngineError {
        EngineError(.dataCorrupted, "spill file \(origin) is damaged: \(what)")
    }

    func read<T: FixedWidthInteger>(_ type: T.Type, at position: Int) throws(EngineError) -> T {
        guard position >= 0, position + MemoryLayout<T>.size <= bytes.count else {
            throw corrupt("a read past the metadata's end")
        }
        var value: T = 0
        for index in 0..<MemoryLayout<T>.size { value |= T(truncatingIfNeeded: bytes[position + index]) << (index * 8) }
        return value
    }

    /// The root table's position.
    func root() throws(EngineError) -> Int { Int(try read(UInt32.self, at: 0)) }

    /// Where field `slot` of the table at `table` is, or nil when the field is absent.
    func field(_ slot: Int, of table: Int) throws(EngineError) -> Int? {
        let vtable = table - Int(try read(Int32.self, at: table))
        let vtableSize = Int(try read(UInt16.self, at: vtable))
        guard 4 + 2 * slot < vtableSize else { return nil }
        let offset = Int(try read(UInt16.self, at: vtable + 4 + 2 * slot))
        return offset == 0 ? nil : table + offset
    }

    func scalar<T: FixedWidthInteger>(_ slot: Int, of table: Int, default value: T) throws(EngineError) -> T {
        guard let position = try field(slot, of: table) else { return value }
        return try read(T.self, at: position)
    }

    /// The object an offset field points at.
    func target(_ slot: Int, of table: Int) throws(EngineError) -> Int? {
        guard let position = try field(slot, of: table) else { return nil }
        return position + Int(try read(UInt32.self, at: position))
    }

    /// A vector's element count and the position of its first element.
    func vector(_ slot: Int, of table: Int) throws(EngineError) -> (count: Int, start: Int)? {
        guard let position = try target(slot, of: table) else { return nil }
        return (Int(try read(UInt32.self, at: position)), position + 4)
    }
}
