import Engine

extension DataType {
    /// The types `pg_type` lists, in its order (arrays of them are listed beside each).
    public static let catalogTypes: [DataType] = [
        .boolean, .bytea, .char, .name, .int64, .int16, .int32, .regproc, .text, .oid, .json, .float32, .float64,
        .unknown,
        .bpchar(length: nil), .varchar(length: nil), .date, .time, .timetz, .timestamp, .timestamptz, .interval,
        .numeric(precision: nil, scale: 0), .regclass, .regtype, .regnamespace, .regrole, .uuid, .jsonb,
    ]
}
