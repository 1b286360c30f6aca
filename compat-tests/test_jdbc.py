"""pgjdbc (Debian's /usr/share/java/postgresql.jar) through compat-tests/java/JdbcSmoke.java."""

import os
import pathlib
import shutil
import subprocess

import pytest

JAVA_SOURCE = pathlib.Path(__file__).parent / "java" / "JdbcSmoke.java"
PGJDBC_JAR = os.environ.get("PGJDBC_JAR", "/usr/share/java/postgresql.jar")


@pytest.fixture(scope="session")
def classes(tmp_path_factory):
    for tool in ("javac", "java"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} not found (run scripts/install-deps.sh)")
    if not os.path.exists(PGJDBC_JAR):
        pytest.fail(f"{PGJDBC_JAR} not found (install libpostgresql-jdbc-java)")
    directory = tmp_path_factory.mktemp("jdbc")
    subprocess.run(["javac", "-d", str(directory), str(JAVA_SOURCE)], check=True, timeout=120)
    return directory


def test_jdbc_smoke(server, classes):
    result = subprocess.run(
        ["java", "-cp", f"{classes}{os.pathsep}{PGJDBC_JAR}", "JdbcSmoke",
         server.host, str(server.port), server.dbname, server.user, server.password],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "OK"
    assert "ok [extended] int parameter 6" in lines
    assert "ok [simple] int parameter 6" in lines
