import Engine
import SQL

extension DataType {
    /// The type a type name as written denotes (`int4`, `numeric(15,2)`, `text[]`): `42704` when
    /// it names no type Weir has, `22023` for a precision or scale out of range.
    public init(typeName: TypeName) throws(EngineError) {
        var names = typeName.names
        if names.count == 2, names[0] == "pg_catalog" { names.removeFirst() }
        guard names.count == 1 else {
            throw EngineError(.undefinedObject, "type \"\(typeName.names.joined(separator: "."))\" does not exist")
        }
        let element: DataType
        switch names[0].lowercased() {
        case "bool", "boolean": element = .boolean
        case "int2", "smallint": element = .int16
        case "int4", "int", "integer": element = .int32
        case "int8", "bigint": element = .int64
        case "float4", "real": element = .float32
        case "float8", "double precision": element = .float64
        case "float":
            let precision = typeName.modifiers.first ?? 53
            element = precision <= 24 ? .float32 : .float64
        case "numeric", "decimal":
            if let precision = typeName.modifiers.first {
                guard (1...38).contains(precision) else {
                    throw EngineError(
                        .invalidParameterValue, "NUMERIC precision \(precision) must be between 1 and 38 in Weir")
                }
                let scale = typeName.modifiers.count > 1 ? typeName.modifiers[1] : 0
                guard (0...precision).contains(scale) else {
                    throw EngineError(
                        .invalidParameterValue, "NUMERIC scale \(scale) must be between 0 and precision \(precision)")
                }
                element = .numeric(precision: precision, scale: scale)
            } else {
                element = .variableScaleNumeric
            }
        case "text": element = .text
        case "varchar", "character varying": element = .varchar(length: typeName.modifiers.first)
        case "bpchar", "character":
            element = .bpchar(length: typeName.modifiers.first ?? (names[0] == "bpchar" ? nil : 1))
        case "name": element = .name
        case "bytea": element = .bytea
        case "date": element = .date
        case "time": element = .time
        case "timetz": element = .timetz
        case "timestamp": element = .timestamp
        case "timestamptz": element = .timestamptz
        case "interval": element = .interval
        case "uuid": element = .uuid
        case "json": element = .json
        case "jsonb": element = .jsonb
        case "oid": element = .oid
        case "regclass": element = .regclass
        case "regtype": element = .regtype
        case "regproc": element = .regproc
        case "regnamespace": element = .regnamespace
        case "regrole": element = .regrole
        // Catalog types Weir represents with a close relative: the vectors as arrays, the text-like
        // catalog types as text, the other OID aliases as plain OIDs.
        case "int2vector": element = .array(.int16)
        case "record": element = .record([])
        case "oidvector": element = .array(.oid)
        case "char": element = .char
        case "aclitem", "pg_node_tree": element = .text
        case "regprocedure", "regoper", "regoperator", "regconfig", "xid": element = .oid
        case let other:
            throw EngineError(.undefinedObject, "type \"\(other)\" does not exist")
        }
        self = typeName.isArray ? .array(element) : element
    }
}
