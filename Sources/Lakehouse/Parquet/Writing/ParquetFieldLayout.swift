import Engine

/// How one top-level Iceberg field is stored as a Parquet leaf column: its schema element (physical
/// type, annotations, repetition, field id) and the writer that encodes its values.
///
/// The mapping is the Iceberg spec's "Parquet" appendix. Time and timestamps are micro- or
/// nanosecond INT64 values not adjusted to UTC except `timestamptz`; the engine holds every
/// timestamp in microseconds, so `timestamp_ns` columns are written by multiplying by 1000 (and fail
/// with 22008 outside the years 1677–2262 that nanoseconds in an INT64 reach).
struct ParquetFieldLayout {
    let field: NestedField
    let element: SchemaElement
    /// The engine type the field's column must have (its storage is what the writer reads).
    let dataType: DataType
    let writer: any ColumnChunkWriting

    /// The layout of `field`; `0A000` for struct, list and map fields and for types Parquet cannot hold.
    init(_ field: NestedField, options: ParquetWriterOptions, compressor: PageCompressor) throws {
        guard let dataType = field.type.dataType else {
            throw LakehouseError.unsupported(
                "column \"\(field.name)\" has nested type \(field.type), which the Parquet writer does not handle yet")
        }
        var element = SchemaElement()
        element.name = field.name
        element.fieldID = field.id
        element.repetition = field.required ? .required : .optional
        let isOptional = !field.required

        func writer<Encoder: ColumnValueEncoder>(_ physicalType: ParquetPhysicalType, _ encoder: Encoder)
            -> any ColumnChunkWriting
        {
            element.type = physicalType
            return ColumnChunkWriter(
                name: field.name, physicalType: physicalType, isOptional: isOptional, encoder: encoder,
                options: options,
                compressor: compressor)
        }

        let columnWriter: any ColumnChunkWriting
        switch field.type {
        case .boolean: columnWriter = writer(.boolean, BooleanEncoder())
        case .int: columnWriter = writer(.int32, NumberEncoder<Int32>(.identity))
        case .long: columnWriter = writer(.int64, NumberEncoder<Int64>(.identity))
        case .float: columnWriter = writer(.float, NumberEncoder<Float>(.identity))
        case .double: columnWriter = writer(.double, NumberEncoder<Double>(.identity))
        case .decimal(let precision, let scale):
            guard (1...38).contains(precision), (0...precision).contains(scale) else {
                throw LakehouseError.unsupported(
                    "column \"\(field.name)\" has type decimal(\(precision),\(scale)), outside what Parquet stores")
            }
            element.logicalType = .decimal(precision: precision, scale: scale)
            element.convertedType = .decimal
            element.precision = precision
            element.scale = scale
            if precision <= 9 {
                columnWriter = writer(.int32, NumberEncoder<Int32>(.decimal(precision: precision)))
            } else if precision <= 18 {
                columnWriter = writer(.int64, NumberEncoder<Int64>(.decimal(precision: precision)))
            } else {
                let width = DecimalLayout.byteWidth(precision: precision)
                element.typeLength = width
                columnWriter = writer(
                    .fixedLenByteArray, FixedBytesEncoder(.decimal(precision: precision), width: width))
            }
        case .date:
            element.logicalType = .date
            element.convertedType = .date
            columnWriter = writer(.int32, NumberEncoder<Int32>(.identity))
        case .time:
            element.logicalType = .time(isAdjustedToUTC: false, unit: .micros)
            columnWriter = writer(.int64, NumberEncoder<Int64>(.identity))
        case .timestamp, .timestamptz:
            let isAdjustedToUTC = field.type == .timestamptz
            element.logicalType = .timestamp(isAdjustedToUTC: isAdjustedToUTC, unit: .micros)
            // The legacy annotation means "adjusted to UTC", so only timestamptz carries it.
            if isAdjustedToUTC { element.convertedType = .timestampMicros }
            columnWriter = writer(.int64, NumberEncoder<Int64>(.identity))
        case .timestampNanos, .timestamptzNanos:
            element.logicalType = .timestamp(isAdjustedToUTC: field.type == .timestamptzNanos, unit: .nanos)
            columnWriter = writer(.int64, NumberEncoder<Int64>(.microsToNanos))
        case .string:
            element.logicalType = .string
            element.convertedType = .utf8
            columnWriter = writer(.byteArray, ByteArrayEncoder())
        case .uuid:
            element.logicalType = .uuid
            element.typeLength = 16
            columnWriter = writer(.fixedLenByteArray, FixedBytesEncoder(.uuidText, width: 16))
        case .fixed(let length):
            guard length > 0 else {
                throw LakehouseError.unsupported(
                    "column \"\(field.name)\" has type fixed[\(length)], which Parquet cannot store")
            }
            element.typeLength = length
            columnWriter = writer(.fixedLenByteArray, FixedBytesEncoder(.fixed, width: length))
        case .binary:
            columnWriter = writer(.byteArray, ByteArrayEncoder())
        case .structType, .list, .map:
            preconditionFailure("nested types have no engine type and were rejected above")
        }
        self.field = field
        self.element = element
        self.dataType = dataType
        self.writer = columnWriter
    }

    /// Checks that `column` has the storage this field's writer reads: the storage kind of the
    /// field's engine type and, for decimals, the same scale.
    func check(_ column: Column) throws {
        guard column.type.storageKind == dataType.storageKind else {
            throw LakehouseError.storageMismatch(field.name, column)
        }
        if case .numeric(_, let scale) = dataType {
            guard case .numeric(_, let columnScale) = column.type, columnScale == scale else {
                throw LakehouseError.storageMismatch(field.name, column)
            }
        }
    }
}
