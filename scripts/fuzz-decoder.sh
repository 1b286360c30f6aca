#!/usr/bin/env bash
# Coverage-guided fuzzing of the frontend message decoder with libFuzzer.
#
#   scripts/fuzz-decoder.sh [RUNS]     (default 200000 inputs)
#
# Builds the FrontendDecoderFuzzer target with -sanitize=fuzzer in its own
# build folder (.build-fuzz, so the regular build keeps its flags), seeds a
# corpus with well-formed protocol traffic, and runs RUNS inputs. libFuzzer
# stops at the first input that crashes, hangs or breaks the decoder's
# contract (see Tests/Fuzz/FrontendDecoderFuzzer) and saves it under
# .build-fuzz/crashes/, which makes this script fail.
#
# Environment:
#   SWIFT             default swift
#   FUZZ_MAX_SECONDS  wall-clock limit for the run (default 300)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

SWIFT=${SWIFT:-swift}
runs=${1:-200000}
max_seconds=${FUZZ_MAX_SECONDS:-300}
log() { printf '[fuzz] %s\n' "$*"; }

log "building FrontendDecoderFuzzer with -sanitize=fuzzer"
"$SWIFT" build --scratch-path .build-fuzz --product FrontendDecoderFuzzer \
    -Xswiftc -sanitize=fuzzer -Xswiftc -DLIBFUZZER
binary=$("$SWIFT" build --scratch-path .build-fuzz --show-bin-path)/FrontendDecoderFuzzer

corpus=.build-fuzz/corpus
crashes=.build-fuzz/crashes
mkdir -p "$corpus" "$crashes"
# Seeds: a startup packet, an SSLRequest, a CancelRequest, and a simple and an extended query as a
# client sends them after authenticating. The first byte also sets the chunk size the target uses.
python3 - "$corpus" <<'PY'
import pathlib, struct, sys
out = pathlib.Path(sys.argv[1])
def msg(kind, body): return kind + struct.pack("!i", len(body) + 4) + body
def startup(**params):
    body = struct.pack("!i", 196608) + b"".join(k.encode() + b"\0" + v.encode() + b"\0" for k, v in params.items()) + b"\0"
    return struct.pack("!i", len(body) + 4) + body
seeds = {
    "startup": startup(user="demo", database="lake", options="-c search_path=tpch"),
    "ssl": struct.pack("!ii", 8, 80877103),
    "cancel": struct.pack("!iiii", 16, 80877102, 42, 7),
    "simple": startup(user="demo") + msg(b"Q", b"SELECT 1; SELECT 'x'\0") + msg(b"X", b""),
    "extended": startup(user="demo")
        + msg(b"P", b"s1\0SELECT $1::int\0" + struct.pack("!hi", 1, 23))
        + msg(b"B", b"\0s1\0" + struct.pack("!hh", 1, 1) + struct.pack("!hi", 1, 4) + struct.pack("!i", 7) + struct.pack("!hh", 1, 1))
        + msg(b"D", b"P\0") + msg(b"E", b"\0" + struct.pack("!i", 0)) + msg(b"C", b"Ss1\0") + msg(b"H", b"") + msg(b"S", b""),
    "copy": startup(user="demo") + msg(b"d", b"1\t2\n") + msg(b"c", b"") + msg(b"f", b"oops\0"),
    "sasl": startup(user="demo") + msg(b"p", b"SCRAM-SHA-256\0" + struct.pack("!i", 8) + b"n,,n=,r="),
}
for name, data in seeds.items():
    for chunk in (1, 7, 64):
        (out / f"{name}-{chunk}").write_bytes(bytes([chunk - 1]) + data)
PY

log "running $runs inputs (at most ${max_seconds}s)"
"$binary" "$corpus" -runs="$runs" -max_total_time="$max_seconds" -max_len=4096 -timeout=10 \
    -artifact_prefix="$crashes/" -print_final_stats=1
log "no crash, hang or contract violation in $runs inputs"
