#!/usr/bin/env python3
"""Writes the Parquet fixtures the Lakehouse Parquet tests read, plus the values they must decode to.

Usage: make-parquet-fixtures.py OUTPUT_DIRECTORY

Every file comes from the same deterministic table, written with different writer options (page
versions, dictionary or plain, every codec, DELTA and BYTE_STREAM_SPLIT encodings, several row groups
and pages). `expected.json` holds, per source table, the Weir type each column must map to, every value in a
canonical form, the row group sizes and per-row-group statistics, all computed by pyarrow from the
data it wrote; and per file, the table it was written from:

  booleans as "true"/"false"; integers, dates (days), times and timestamps (microseconds) and
  decimals (unscaled) as decimal strings; floats as "f:" + Python's repr (exact, unlike JSON number parsers); text, json and uuid as strings; binary as hex; NULL as null.
"""

import datetime
import decimal
import json
import os
import sys
import uuid

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

ROWS = 3000
ROW_GROUP_SIZE = 1100
ROWS_PER_PAGE = 300


def nullable(values, every):
    """The values with every `every`-th one (offset by a little) replaced by None."""
    return [None if (i * 7 + 3) % every == 0 else v for i, v in enumerate(values)]


def build_table():
    n = range(ROWS)
    epoch = datetime.datetime(1970, 1, 1)
    words = ["alpha", "beta", "gamma", "delta", "épsilon", "", "zeta ζ"]
    columns = {
        "b_req": pa.array([i % 3 == 0 for i in n], pa.bool_()),
        "b_opt": pa.array(nullable([i % 2 == 0 for i in n], 5), pa.bool_()),
        "i8": pa.array([(i % 256) - 128 for i in n], pa.int8()),
        "i16": pa.array(nullable([(i * 37) % 65536 - 32768 for i in n], 11), pa.int16()),
        "i32": pa.array(nullable([(i * 2654435761) % 2**32 - 2**31 for i in n], 4), pa.int32()),
        "i32_sorted": pa.array([i * 3 - 1000 for i in n], pa.int32()),
        "i64": pa.array([(i * 11400714819323198485) % 2**64 - 2**63 for i in n], pa.int64()),
        "u8": pa.array([i % 256 for i in n], pa.uint8()),
        "u16": pa.array([(i * 31) % 65536 for i in n], pa.uint16()),
        "u32": pa.array(nullable([(i * 2654435761) % 2**32 for i in n], 9), pa.uint32()),
        "u64": pa.array([(i * 11400714819323198485) % 2**64 for i in n], pa.uint64()),
        "f32": pa.array(nullable([(i - 1500) / 8.0 for i in n], 6), pa.float32()),
        "f64": pa.array(nullable([(i * 0.1) - 123.456 for i in n], 13), pa.float64()),
        "f16": pa.array([None if i % 17 == 0 else (i % 64) / 4.0 for i in n], pa.float16()),
        "d": pa.array(nullable([datetime.date(1990, 1, 1) + datetime.timedelta(days=i * 3 - 4000) for i in n], 8), pa.date32()),
        "t_ms": pa.array([datetime.time(i % 24, i % 60, i % 60, (i * 1000) % 1000000) for i in n], pa.time32("ms")),
        "t_us": pa.array(nullable([(i * 12345678901) % 86400000000 for i in n], 10), pa.time64("us")),
        "t_ns": pa.array([(i * 12345678901234) % 86400000000000 for i in n], pa.time64("ns")),
        "ts_ms": pa.array([(i * 86400123 - 10**11) for i in n], pa.timestamp("ms")),
        "ts_us_utc": pa.array(nullable([(i * 3600000001 - 10**12) for i in n], 11), pa.timestamp("us", tz="UTC")),
        "ts_ns": pa.array([(i * 1234567891 - 10**15 - 7) for i in n], pa.timestamp("ns")),
        "dec9": pa.array(nullable([decimal.Decimal(i * 1234 - 1800000).scaleb(-2) for i in n], 5), pa.decimal128(9, 2)),
        "dec18": pa.array([decimal.Decimal(i * 123456789012 - 10**14).scaleb(-6) for i in n], pa.decimal128(18, 6)),
        "dec38": pa.array(nullable([decimal.Decimal((i - 1500) * 10**30 + i).scaleb(-10) for i in n], 12), pa.decimal128(38, 10)),
        "s": pa.array(nullable([words[i % len(words)] for i in n], 6), pa.string()),
        "s_unique": pa.array([f"row {i:05d} {'x' * (i % 13)}" for i in n], pa.string()),
        "s_all_null": pa.array([None] * ROWS, pa.string()),
        "bin": pa.array(nullable([bytes([(i + k) % 256 for k in range(i % 7)]) for i in n], 9), pa.binary()),
        "fixed5": pa.array([bytes([(i * k) % 256 for k in range(5)]) for i in n], pa.binary(5)),
        "u": pa.array(nullable([uuid.UUID(int=(i * 0x9E3779B97F4A7C15F39CC0605CEDC835) % 2**128).bytes for i in n], 8), pa.uuid()),
        "j": pa.array(nullable([json.dumps({"k": i, "v": words[i % 3]}) for i in n], 4), pa.json_()),
    }
    required = {"b_req", "i8", "i32_sorted", "i64", "u8", "u16", "u64", "t_ms", "t_ns", "ts_ms", "ts_ns", "dec18",
                "s_unique", "fixed5"}
    schema = pa.schema([pa.field(name, array.type, nullable=name not in required) for name, array in columns.items()])
    return pa.table(columns, schema=schema)


# Weir type names as the Swift test spells them.
WEIR_TYPES = {
    "b_req": "boolean", "b_opt": "boolean", "i8": "int16", "i16": "int16", "i32": "int32", "i32_sorted": "int32",
    "i64": "int64", "u8": "int16", "u16": "int32", "u32": "int64", "u64": "numeric(20,0)", "f32": "float32",
    "f64": "float64", "f16": "float32", "d": "date", "t_ms": "time", "t_us": "time", "t_ns": "time",
    "ts_ms": "timestamp", "ts_us_utc": "timestamptz", "ts_ns": "timestamp", "dec9": "numeric(9,2)",
    "dec18": "numeric(18,6)", "dec38": "numeric(38,10)", "s": "text", "s_unique": "text", "s_all_null": "text",
    "bin": "bytea", "fixed5": "bytea", "u": "uuid", "j": "json",
}


def canonical(array, weir_type):
    """The column's values in the canonical form described in the module docstring."""
    t = array.type
    if pa.types.is_timestamp(t) or pa.types.is_time(t) or pa.types.is_date(t):
        unit = {"s": 10**6, "ms": 1000, "us": 1, "ns": None}
        raw = array.cast(pa.int64() if not pa.types.is_date32(t) and not pa.types.is_time32(t) else pa.int32())
        if pa.types.is_date(t):
            return [None if v is None else str(v) for v in raw.to_pylist()]
        factor = unit[t.unit]
        return [None if v is None else str(v * factor if factor else v // 1000) for v in raw.to_pylist()]
    if pa.types.is_decimal(t):
        return [None if v is None else str(int(v.scaleb(t.scale))) for v in array.to_pylist()]
    if pa.types.is_floating(t):
        return [None if v is None else "f:" + repr(v) for v in array.cast(pa.float64()).to_pylist()]
    if pa.types.is_integer(t) or pa.types.is_boolean(t):
        return [None if v is None else (("true" if v else "false") if isinstance(v, bool) else str(v)) for v in array.to_pylist()]
    if weir_type == "uuid":
        return [None if v is None else str(uuid.UUID(bytes=v)) for v in array.storage.to_pylist()]
    if weir_type == "json":
        return array.storage.to_pylist()
    if pa.types.is_binary(t) or pa.types.is_fixed_size_binary(t):
        return [None if v is None else v.hex() for v in array.to_pylist()]
    return array.to_pylist()


STATISTICS_COLUMNS = ["i32", "i32_sorted", "i64", "d", "ts_us_utc", "f64", "s", "s_unique", "dec18", "u8"]


def expected_for(table, row_group_size):
    columns = {}
    for name in table.column_names:
        array = table.column(name).combine_chunks()
        columns[name] = {"type": WEIR_TYPES[name], "values": canonical(array, WEIR_TYPES[name])}
    groups = []
    for start in range(0, table.num_rows, row_group_size):
        part = table.slice(start, row_group_size)
        statistics = {}
        for name in STATISTICS_COLUMNS:
            if name not in table.column_names:
                continue
            array = part.column(name).combine_chunks()
            bounds = pc.min_max(array)
            values = pa.array([bounds["min"].as_py(), bounds["max"].as_py()], array.type)
            low, high = canonical(values, WEIR_TYPES[name])
            statistics[name] = {"min": low, "max": high, "null_count": array.null_count}
        groups.append({"rows": part.num_rows, "statistics": statistics})
    return {"rows": table.num_rows, "row_groups": groups, "columns": columns}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    table = build_table()
    common = dict(row_group_size=ROW_GROUP_SIZE, max_rows_per_page=ROWS_PER_PAGE, write_statistics=True)
    delta_columns = {
        "i32": "DELTA_BINARY_PACKED", "i32_sorted": "DELTA_BINARY_PACKED", "i64": "DELTA_BINARY_PACKED",
        "ts_ns": "DELTA_BINARY_PACKED", "d": "DELTA_BINARY_PACKED", "u64": "DELTA_BINARY_PACKED",
        "s": "DELTA_LENGTH_BYTE_ARRAY", "j": "DELTA_LENGTH_BYTE_ARRAY", "s_unique": "DELTA_BYTE_ARRAY",
        "bin": "DELTA_BYTE_ARRAY", "fixed5": "DELTA_BYTE_ARRAY", "dec38": "DELTA_BYTE_ARRAY",
        "f32": "BYTE_STREAM_SPLIT", "f64": "BYTE_STREAM_SPLIT", "i16": "BYTE_STREAM_SPLIT",
        "ts_ms": "BYTE_STREAM_SPLIT", "u": "BYTE_STREAM_SPLIT", "f16": "BYTE_STREAM_SPLIT",
    }
    variants = {
        "plain_v1_uncompressed": dict(use_dictionary=False, data_page_version="1.0", compression="NONE"),
        "dictionary_v1_uncompressed": dict(use_dictionary=True, data_page_version="1.0", compression="NONE"),
        "dictionary_v1_snappy": dict(use_dictionary=True, data_page_version="1.0", compression="SNAPPY"),
        "dictionary_v2_zstd": dict(use_dictionary=True, data_page_version="2.0", compression="ZSTD"),
        "plain_v2_gzip": dict(use_dictionary=False, data_page_version="2.0", compression="GZIP"),
        "dictionary_v1_gzip": dict(use_dictionary=True, data_page_version="1.0", compression="GZIP"),
        "plain_v1_lz4raw": dict(use_dictionary=False, data_page_version="1.0", compression="LZ4"),
        "dictionary_v2_lz4raw": dict(use_dictionary=True, data_page_version="2.0", compression="LZ4"),
        "plain_v2_uncompressed": dict(use_dictionary=False, data_page_version="2.0", compression="NONE"),
        "delta_v1_zstd": dict(use_dictionary=False, column_encoding=delta_columns, data_page_version="1.0", compression="ZSTD"),
        "delta_v2_snappy": dict(use_dictionary=False, column_encoding=delta_columns, data_page_version="2.0", compression="SNAPPY"),
        "decimals_as_integers": dict(store_decimal_as_integer=True, compression="NONE"),
    }
    tables = {"main": expected_for(table, ROW_GROUP_SIZE)}
    files = {}
    for name, options in variants.items():
        pq.write_table(table, os.path.join(out, name + ".parquet"), **common, **options)
        files[name] = {"table": "main"}
    files["decimals_as_integers"]["physical"] = {"dec9": "int32", "dec18": "int64", "dec38": "fixedLenByteArray"}

    # Legacy INT96 timestamps.
    int96 = table.select(["ts_us_utc", "ts_ms"]).cast(pa.schema([("ts_us_utc", pa.timestamp("us")), ("ts_ms", pa.timestamp("ms"))]))
    pq.write_table(int96, os.path.join(out, "int96.parquet"), use_deprecated_int96_timestamps=True, **common)
    tables["int96"] = expected_for(int96, ROW_GROUP_SIZE)
    for column in tables["int96"]["columns"].values():
        column["type"] = "timestamp"
    files["int96"] = {"table": "int96", "physical": {"ts_us_utc": "int96", "ts_ms": "int96"}}

    # Nested columns next to flat ones: the flat ones read, the nested ones are refused.
    nested = pa.table({
        "id": pa.array(range(10), pa.int64()),
        "tags": pa.array([[i, i + 1] if i % 3 else None for i in range(10)], pa.list_(pa.int32())),
        "point": pa.array([{"x": i, "y": -i} for i in range(10)], pa.struct([("x", pa.int32()), ("y", pa.int32())])),
        "name": pa.array([f"n{i}" for i in range(10)], pa.string()),
    })
    pq.write_table(nested, os.path.join(out, "nested.parquet"))
    tables["nested"] = {
        "rows": 10,
        "row_groups": [{"rows": 10, "statistics": {}}],
        "columns": {
            "id": {"type": "int64", "values": [str(i) for i in range(10)]},
            "name": {"type": "text", "values": [f"n{i}" for i in range(10)]},
        },
    }
    files["nested"] = {"table": "nested", "nested": ["tags.list.element", "point.x", "point.y"]}
    expected = {"tables": tables, "files": files}

    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f, ensure_ascii=False)


if __name__ == "__main__":
    main()
