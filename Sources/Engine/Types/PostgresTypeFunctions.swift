/// The input, output, receive and send functions `pg_type` names for each type, with PostgreSQL
/// 15's OIDs, so catalog queries such as pgjdbc's `typinput = 'array_in'::regproc` get
/// PostgreSQL's answers, and `regproc` values print as function names.
public struct PostgresTypeFunctions: Sendable {
    public let input: UInt32
    public let output: UInt32
    public let receive: UInt32
    public let send: UInt32
    /// `pg_type.typalign` and `typstorage`.
    public let alignment: String
    public let storage: String

    /// The functions of the type with OID `typeOID`; nil for a type Weir does not list.
    public static func of(typeOID: UInt32) -> PostgresTypeFunctions? {
        guard let row = table[typeOID] else { return nil }
        return PostgresTypeFunctions(
            input: row.0, output: row.1, receive: row.2, send: row.3, alignment: row.4, storage: row.5)
    }

    /// Every array type uses these.
    public static let array = PostgresTypeFunctions(
        input: 750, output: 751, receive: 2400, send: 2401, alignment: "i", storage: "x")

    /// The name of the function with this OID, for `regproc` output; nil when it is not one of these.
    public static func name(ofFunction oid: UInt32) -> String? { names[oid] }

    /// The OID of the function with this name (optionally `pg_catalog.`-qualified), for `regproc` input.
    public static func oid(ofFunction name: String) -> UInt32? {
        var key = name.trimmingWhitespace()
        if key.hasPrefix("pg_catalog.") { key.removeFirst("pg_catalog.".count) }
        return oids[key]
    }

    private static let table: [UInt32: (UInt32, UInt32, UInt32, UInt32, String, String)] = [
        16: (1242, 1243, 2436, 2437, "c", "p"), 17: (1244, 31, 2412, 2413, "i", "x"),
        18: (1245, 33, 2434, 2435, "c", "p"),
        19: (34, 35, 2422, 2423, "c", "p"),
        20: (460, 461, 2408, 2409, "d", "p"), 21: (38, 39, 2404, 2405, "s", "p"), 23: (42, 43, 2406, 2407, "i", "p"),
        24: (44, 45, 2444, 2445, "i", "p"), 25: (46, 47, 2414, 2415, "i", "x"), 26: (1798, 1799, 2418, 2419, "i", "p"),
        114: (321, 322, 323, 324, "i", "x"), 700: (200, 201, 2424, 2425, "i", "p"),
        701: (214, 215, 2426, 2427, "d", "p"),
        705: (109, 110, 2416, 2417, "c", "p"), 1042: (1044, 1045, 2430, 2431, "i", "x"),
        1043: (1046, 1047, 2432, 2433, "i", "x"),
        1082: (1084, 1085, 2468, 2469, "i", "p"), 1083: (1143, 1144, 2470, 2471, "d", "p"),
        1266: (1350, 1351, 2472, 2473, "d", "p"),
        1114: (1312, 1313, 2474, 2475, "d", "p"), 1184: (1150, 1151, 2476, 2477, "d", "p"),
        1186: (1160, 1161, 2478, 2479, "d", "p"), 1700: (1701, 1702, 2460, 2461, "i", "m"),
        2205: (2218, 2219, 2452, 2453, "i", "p"), 2206: (2220, 2221, 2454, 2455, "i", "p"),
        4089: (4084, 4085, 4087, 4088, "i", "p"), 4096: (4098, 4092, 4094, 4095, "i", "p"),
        2950: (2952, 2953, 2961, 2962, "c", "p"), 3802: (3806, 3804, 3805, 3803, "i", "x"),
    ]

    private static let names: [UInt32: String] = [
        1350: "timetz_in", 1351: "timetz_out", 2472: "timetz_recv", 2473: "timetz_send", 1242: "boolin",
        1243: "boolout", 2436: "boolrecv", 2437: "boolsend", 1244: "byteain", 31: "byteaout",
        2412: "bytearecv", 2413: "byteasend", 1245: "charin", 33: "charout", 2434: "charrecv", 2435: "charsend",
        34: "namein", 35: "nameout", 2422: "namerecv", 2423: "namesend",
        460: "int8in", 461: "int8out", 2408: "int8recv", 2409: "int8send", 38: "int2in", 39: "int2out",
        2404: "int2recv",
        2405: "int2send", 42: "int4in", 43: "int4out", 2406: "int4recv", 2407: "int4send", 44: "regprocin",
        45: "regprocout", 2444: "regprocrecv", 2445: "regprocsend", 46: "textin", 47: "textout", 2414: "textrecv",
        2415: "textsend", 1798: "oidin", 1799: "oidout", 2418: "oidrecv", 2419: "oidsend", 321: "json_in",
        322: "json_out", 323: "json_recv", 324: "json_send", 200: "float4in", 201: "float4out", 2424: "float4recv",
        2425: "float4send", 214: "float8in", 215: "float8out", 2426: "float8recv", 2427: "float8send", 109: "unknownin",
        110: "unknownout", 2416: "unknownrecv", 2417: "unknownsend", 750: "array_in", 751: "array_out",
        2400: "array_recv", 2401: "array_send", 1044: "bpcharin", 1045: "bpcharout", 2430: "bpcharrecv",
        2431: "bpcharsend", 1046: "varcharin", 1047: "varcharout", 2432: "varcharrecv", 2433: "varcharsend",
        1084: "date_in", 1085: "date_out", 2468: "date_recv", 2469: "date_send", 1143: "time_in", 1144: "time_out",
        2470: "time_recv", 2471: "time_send", 1312: "timestamp_in", 1313: "timestamp_out", 2474: "timestamp_recv",
        2475: "timestamp_send", 1150: "timestamptz_in", 1151: "timestamptz_out", 2476: "timestamptz_recv",
        2477: "timestamptz_send", 1160: "interval_in", 1161: "interval_out", 2478: "interval_recv",
        2479: "interval_send", 1701: "numeric_in", 1702: "numeric_out", 2460: "numeric_recv", 2461: "numeric_send",
        2218: "regclassin", 2219: "regclassout", 2452: "regclassrecv", 2453: "regclasssend", 2220: "regtypein",
        2221: "regtypeout", 2454: "regtyperecv", 2455: "regtypesend", 2952: "uuid_in", 2953: "uuid_out",
        4084: "regnamespacein", 4085: "regnamespaceout", 4087: "regnamespacerecv", 4088: "regnamespacesend",
        4098: "regrolein", 4092: "regroleout", 4094: "regrolerecv", 4095: "regrolesend",
        2961: "uuid_recv", 2962: "uuid_send", 3806: "jsonb_in", 3804: "jsonb_out", 3805: "jsonb_recv",
        3803: "jsonb_send",
    ]

    private static let oids: [String: UInt32] = Dictionary(uniqueKeysWithValues: names.map { ($0.value, $0.key) })
}
