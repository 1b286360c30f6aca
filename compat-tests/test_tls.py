"""TLS: Weir started with a certificate answers SSLRequest with S, SCRAM binds to the channel, and a
user with the clear-text `password` method signs in over TLS only."""

import datetime
import os
import socket
import subprocess
import time

import psycopg
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from conftest import missing_server


def write_self_signed(directory):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1)).sign(key, hashes.SHA256())
    )
    (directory / "server.crt").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (directory / "server.key").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


@pytest.fixture(scope="module")
def tls_weir(tmp_path_factory):
    binary = os.environ.get("WEIR_BIN")
    if not binary or not os.environ.get("WEIR_DSN"):
        missing_server("TLS tests start their own Weir; WEIR_BIN is not set")
    directory = tmp_path_factory.mktemp("tls")
    write_self_signed(directory)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (directory / "weir.yaml").write_text(
        f"server:\n  port: {port}\n  data_dir: {directory / 'var'}\n"
        f"tls:\n  certificate: {directory / 'server.crt'}\n  private_key: {directory / 'server.key'}\n"
        "users:\n"
        "  - name: demo\n    password_env: WEIR_TEST_DEMO_PASSWORD\n"
        "  - name: clerk\n    password_env: WEIR_TEST_CLERK_PASSWORD\n    method: password\n")
    environment = dict(os.environ, WEIR_TEST_DEMO_PASSWORD="demo", WEIR_TEST_CLERK_PASSWORD="s3cret ünïcode")
    process = subprocess.Popen([binary, "serve", "--config", str(directory / "weir.yaml")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=environment)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    yield f"host=127.0.0.1 port={port} user=demo password=demo dbname=lake"
    process.terminate()
    assert process.wait(timeout=10) == 0


def test_tls_with_channel_binding(tls_weir):
    with psycopg.connect(tls_weir + " sslmode=require channel_binding=require", autocommit=True) as conn:
        assert conn.pgconn.ssl_in_use
        assert conn.execute("SELECT 'over tls'").fetchone() == ("over tls",)


def test_plaintext_still_allowed(tls_weir):
    with psycopg.connect(tls_weir + " sslmode=disable", autocommit=True) as conn:
        assert not conn.pgconn.ssl_in_use
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_wrong_password_over_tls(tls_weir):
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(tls_weir.replace("password=demo", "password=nope") + " sslmode=require")


def clerk_dsn(tls_weir, password="s3cret ünïcode"):
    return tls_weir.replace("user=demo password=demo", f"user=clerk password='{password}'")


def test_scram_user_refuses_cleartext_exchange(tls_weir):
    # require_auth makes libpq check which exchange the server asked for.
    with pytest.raises(psycopg.OperationalError, match="server requested SASL authentication"):
        psycopg.connect(tls_weir + " sslmode=require require_auth=password")


def test_password_method_over_tls(tls_weir):
    with psycopg.connect(clerk_dsn(tls_weir) + " sslmode=require require_auth=password", autocommit=True) as conn:
        assert conn.pgconn.ssl_in_use
        assert conn.execute("SELECT current_user, session_user").fetchone() == ("clerk", "clerk")


def test_password_method_wrong_password(tls_weir):
    with pytest.raises(psycopg.OperationalError, match='password authentication failed for user "clerk"'):
        psycopg.connect(clerk_dsn(tls_weir, "s3cret") + " sslmode=require")


def test_password_method_refused_without_tls(tls_weir):
    with pytest.raises(psycopg.OperationalError, match='user "clerk" requires an encrypted connection'):
        psycopg.connect(clerk_dsn(tls_weir) + " sslmode=disable")


def test_psql_password_method_over_tls(tls_weir):
    result = subprocess.run(
        ["psql", clerk_dsn(tls_weir) + " sslmode=require", "-XAtc", "SELECT current_user"],
        capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "clerk\n"
