"""Malformed protocol input over a real socket: the connection ends with a FATAL error where the
protocol allows one, and the server keeps serving everyone else."""

import base64
import hashlib
import hmac
import os
import socket
import struct

import pytest


def startup_packet(**params) -> bytes:
    body = struct.pack("!I", 196608)
    for name, value in params.items():
        body += name.encode() + b"\0" + value.encode() + b"\0"
    body += b"\0"
    return struct.pack("!I", len(body) + 4) + body


def message(kind: bytes, body: bytes) -> bytes:
    return kind + struct.pack("!I", len(body) + 4) + body


class Wire:
    """A raw protocol client: sends bytes, reads backend messages."""

    def __init__(self, server):
        self.sock = socket.create_connection((server.host, server.port), timeout=10)
        self.buffer = b""

    def send(self, data: bytes):
        self.sock.sendall(data)

    def read_message(self):
        while len(self.buffer) < 5:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buffer += chunk
        kind = self.buffer[:1]
        length = struct.unpack("!I", self.buffer[1:5])[0]
        while len(self.buffer) < 1 + length:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buffer += chunk
        body = self.buffer[5 : 1 + length]
        self.buffer = self.buffer[1 + length :]
        return kind, body

    def read_until(self, kinds: bytes):
        while True:
            msg = self.read_message()
            if msg is None or msg[0] in kinds:
                return msg

    def closed(self) -> bool:
        try:
            return self.sock.recv(1) == b""
        except (ConnectionResetError, socket.timeout):
            return True

    def authenticate(self, server):
        """SCRAM-SHA-256 as libpq does it; returns once ReadyForQuery arrives."""
        self.send(startup_packet(user=server.user, database=server.dbname))
        kind, body = self.read_message()
        assert kind == b"R" and struct.unpack("!I", body[:4])[0] == 10, (kind, body)
        nonce = base64.b64encode(os.urandom(18)).decode()
        first_bare = f"n=,r={nonce}"
        first = ("n,," + first_bare).encode()
        self.send(message(b"p", b"SCRAM-SHA-256\0" + struct.pack("!I", len(first)) + first))
        kind, body = self.read_message()
        server_first = body[4:].decode()
        fields = dict(part.split("=", 1) for part in server_first.split(","))
        salted = hashlib.pbkdf2_hmac("sha256", server.password.encode(), base64.b64decode(fields["s"]), int(fields["i"]))
        client_key = hmac.new(salted, b"Client Key", "sha256").digest()
        stored_key = hashlib.sha256(client_key).digest()
        without_proof = f"c=biws,r={fields['r']}"
        auth_message = f"{first_bare},{server_first},{without_proof}".encode()
        signature = hmac.new(stored_key, auth_message, "sha256").digest()
        proof = bytes(a ^ b for a, b in zip(client_key, signature))
        self.send(message(b"p", f"{without_proof},p={base64.b64encode(proof).decode()}".encode()))
        ready = self.read_until(b"ZE")
        assert ready[0] == b"Z", ready

    def close(self):
        self.sock.close()


def error_fields(body: bytes) -> dict:
    fields = {}
    for part in body.split(b"\0"):
        if part:
            fields[part[:1].decode()] = part[1:].decode()
    return fields


def assert_rejected(wire, server, sqlstates):
    """Weir must answer FATAL with one of `sqlstates` and close. PostgreSQL, the reference, may
    instead only log the problem and close (startup errors) or answer a plain ERROR."""
    msg = wire.read_until(b"E")
    if server.name == "weir":
        assert msg is not None, "connection closed without an ErrorResponse"
        fields = error_fields(msg[1])
        assert fields["S"] == "FATAL", fields
        assert fields["C"] in sqlstates, fields
        assert wire.closed()
    elif msg is not None:
        assert error_fields(msg[1])["C"] in sqlstates


def assert_server_still_serves(server):
    with server.connect() as conn:
        assert conn.execute("SELECT 41 + 1").fetchone() == (42,)


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(struct.pack("!I", 3) + b"\0\0\0", id="length-below-minimum"),
        pytest.param(struct.pack("!I", 1_000_000) + struct.pack("!I", 196608), id="startup-length-too-large"),
        pytest.param(struct.pack("!II", 8, 0x00020000), id="protocol-2"),
        pytest.param(struct.pack("!II", 12, 196608) + b"user", id="startup-missing-terminator"),
    ],
)
def test_malformed_startup_is_fatal(server, payload):
    wire = Wire(server)
    wire.send(payload)
    assert_rejected(wire, server, {"08P01", "0A000"})
    wire.close()
    assert_server_still_serves(server)


@pytest.mark.parametrize(
    "payload, sqlstate",
    [
        pytest.param(message(b"!", b""), "08P01", id="unknown-message-type"),
        pytest.param(b"Q" + struct.pack("!I", 2), "08P01", id="length-below-four"),
        pytest.param(message(b"Q", b"SELECT 1"), "08P01", id="query-without-terminator"),
        pytest.param(message(b"D", b"X\0"), "08P01", id="describe-bad-subtype"),
        pytest.param(message(b"p", b"password\0"), "08P01", id="password-after-auth"),
    ],
)
def test_malformed_message_after_auth_is_fatal(server, payload, sqlstate):
    wire = Wire(server)
    wire.authenticate(server)
    wire.send(payload)
    assert_rejected(wire, server, {sqlstate})
    wire.close()
    assert_server_still_serves(server)


def test_invalid_utf8_query(server):
    wire = Wire(server)
    wire.authenticate(server)
    wire.send(message(b"Q", b"SELECT '\xc3\x28'\0"))
    msg = wire.read_until(b"E")
    fields = error_fields(msg[1])
    assert fields["C"] == "22021", fields
    wire.close()
    assert_server_still_serves(server)


def test_client_disconnects_mid_result(server):
    wire = Wire(server)
    wire.authenticate(server)
    wire.send(message(b"Q", b"SELECT x, 'padding padding padding' FROM generate_series(1, 5000000) g(x)\0"))
    assert wire.read_until(b"D") is not None
    wire.close()
    assert_server_still_serves(server)


def test_truncated_message_then_disconnect(server):
    wire = Wire(server)
    wire.authenticate(server)
    wire.send(b"Q" + struct.pack("!I", 100) + b"SELECT")
    wire.close()
    assert_server_still_serves(server)
