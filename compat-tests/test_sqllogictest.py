"""Every `Tests/sql/*.slt` file run against both servers: PostgreSQL proves the file's
expectations, Weir is checked against them. Each file runs in one autocommit session, so session
state such as `SET` carries from record to record. The format is described in sqllogictest.py.
"""

from pathlib import Path

import pytest

import sqllogictest

SLT_DIR = Path(__file__).resolve().parent.parent / "Tests" / "sql"
FILES = sorted(SLT_DIR.glob("*.slt"))

# Files whose constructs Weir does not support yet, by file name without `.slt`. Each is a strict
# xfail on Weir, so a file that starts to pass must leave this list.
GAPS: dict[str, str] = {}


def relative(path: Path) -> Path:
    return path.relative_to(SLT_DIR.parent.parent)


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(path, id=path.stem, marks=[pytest.mark.weir_gap(GAPS[path.stem])] if path.stem in GAPS else [])
        for path in FILES
    ],
)
def test_slt_file(server, path):
    script = sqllogictest.parse(path, relative(path))
    with server.connect() as connection:
        failures = sqllogictest.run(script, connection, server.name)
    if failures:
        pytest.fail(f"{len(failures)} of {len(script.records)} records failed\n\n" + "\n\n".join(failures), pytrace=False)


def test_every_file_parses():
    assert FILES, f"no .slt files in {SLT_DIR}"
    for path in FILES:
        sqllogictest.parse(path, relative(path))


def test_gaps_name_existing_files():
    assert set(GAPS) <= {path.stem for path in FILES}
