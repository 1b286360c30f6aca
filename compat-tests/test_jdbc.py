"""pgjdbc (Debian's /usr/share/java/postgresql.jar) through compat-tests/java/JdbcSmoke.java."""

import os
import pathlib
import shutil
import subprocess

import pytest

JAVA_SOURCES = [pathlib.Path(__file__).parent / "java" / name for name in ("JdbcSmoke.java", "JdbcMetadata.java")]
PGJDBC_JAR = os.environ.get("PGJDBC_JAR", "/usr/share/java/postgresql.jar")


@pytest.fixture(scope="session")
def classes(tmp_path_factory):
    for tool in ("javac", "java"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} not found (run scripts/install-deps.sh)")
    if not os.path.exists(PGJDBC_JAR):
        pytest.fail(f"{PGJDBC_JAR} not found (install libpostgresql-jdbc-java)")
    directory = tmp_path_factory.mktemp("jdbc")
    subprocess.run(["javac", "-d", str(directory), *map(str, JAVA_SOURCES)], check=True, timeout=120)
    return directory


def run_java(classes, program, server, *arguments):
    return subprocess.run(
        ["java", "-cp", f"{classes}{os.pathsep}{PGJDBC_JAR}", program,
         server.host, str(server.port), server.dbname, server.user, server.password, *arguments],
        capture_output=True, text=True, timeout=120,
    )


def test_jdbc_smoke(server, classes):
    result = run_java(classes, "JdbcSmoke", server)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "OK"
    assert "ok [extended] int parameter 6" in lines
    assert "ok [simple] int parameter 6" in lines


def test_database_metadata_matches_postgres(server, postgres_server, classes):
    """getCatalogs, getSchemas, getTables, getColumns and getTypeInfo for the common types."""
    expected = run_java(classes, "JdbcMetadata", postgres_server, "objects")
    assert expected.returncode == 0, expected.stdout + expected.stderr
    result = run_java(classes, "JdbcMetadata", server, "objects")
    assert result.returncode == 0, result.stdout + result.stderr
    # PostgreSQL has a database and schemas of its own (postgres, pg_toast) that Weir does not.
    own = ("catalog|postgres", "catalog|template", "schema|pg_toast")
    assert result.stdout.splitlines() == [line for line in expected.stdout.splitlines() if not line.startswith(own)]


def test_key_and_index_metadata_match_postgres(server, postgres_server, classes):
    """getPrimaryKeys, getIndexInfo, getImportedKeys and getExportedKeys (records, bitwise &, pg_settings)."""
    expected = run_java(classes, "JdbcMetadata", postgres_server, "keys")
    assert expected.returncode == 0, expected.stdout + expected.stderr
    result = run_java(classes, "JdbcMetadata", server, "keys")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == expected.stdout
