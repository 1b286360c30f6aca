"""The Iceberg REST catalog test server (scripts/rest-catalog-server.py), driven by PyIceberg's own
RestCatalog client: namespaces, tables, commits and their conflicts, OAuth2 tokens, fault injection,
views, and S3 tables read with vended credentials.

Needs neither Weir nor PostgreSQL. What the server stored is checked through PyIceberg's SqlCatalog
opened on the server's own catalog.db. The S3 test runs when scripts/run-with-test-servers.sh has set
WEIR_TEST_S3_CREDENTIALS (make test does).
"""

import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from rest_catalog import CLIENT_ID, CLIENT_SECRET, ROOT, rest_catalog_server
from conftest import missing_server

try:
    import pyarrow as pa
    from pyiceberg.catalog.sql import SqlCatalog
    from pyiceberg.exceptions import (
        CommitFailedException,
        CommitStateUnknownException,
        NamespaceAlreadyExistsError,
        NamespaceNotEmptyError,
        NoSuchNamespaceError,
        NoSuchTableError,
        OAuthError,
        ServiceUnavailableError,
        TableAlreadyExistsError,
    )
    from pyiceberg.expressions import EqualTo, GreaterThanOrEqual
    from pyiceberg.partitioning import PartitionField, PartitionSpec
    from pyiceberg.schema import Schema
    from pyiceberg.transforms import IdentityTransform
    from pyiceberg.types import DoubleType, LongType, NestedField, StringType
    from pyiceberg.view.metadata import SQLViewRepresentation, ViewRepresentation, ViewVersion

    sys.path.insert(0, str(ROOT / "scripts"))
    from pyarrow_on_moto import pyarrow_writes_to_moto
except ImportError as missing:
    pytest.skip(f"the REST catalog server runs on PyIceberg: {missing}", allow_module_level=True)

TRIPS_SCHEMA = Schema(
    NestedField(1, "id", LongType(), required=True),
    NestedField(2, "city", StringType(), required=False),
    NestedField(3, "fare", DoubleType(), required=False),
)
BY_CITY = PartitionSpec(PartitionField(source_id=2, field_id=1000, transform=IdentityTransform(), name="city"))


def trips(ids, cities=("Lyon", "Oslo", "Lima")) -> pa.Table:
    ids = list(ids)
    return pa.table({
        "id": pa.array(ids, pa.int64()),
        "city": pa.array([cities[i % len(cities)] for i in ids], pa.string()),
        "fare": pa.array([i * 1.5 for i in ids], pa.float64()),
    }, schema=TRIPS_SCHEMA.as_arrow())


def rows(table) -> list[dict]:
    return sorted(table.scan().to_arrow().to_pylist(), key=lambda row: row["id"])


def backend(directory: Path) -> SqlCatalog:
    """The server's own SqlCatalog, opened beside it: what the server really stored."""
    return SqlCatalog("lake", uri=f"sqlite:///{directory / 'catalog.db'}",
                      warehouse=(directory / "warehouse").resolve().as_uri())


def http(server, method: str, path: str, body=None, token: str | None = None, headers=None):
    """A raw request to the server: (status, parsed JSON body or None)."""
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    request = urllib.request.Request(server.uri + path, data=data, method=method, headers=headers or {})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            payload = response.read()
            return response.status, json.loads(payload) if payload else None
    except urllib.error.HTTPError as error:
        payload = error.read()
        return error.code, json.loads(payload) if payload else None


def token_for(server) -> str:
    form = f"grant_type=client_credentials&client_id={CLIENT_ID}&client_secret={CLIENT_SECRET}&scope=catalog"
    status, answer = http(server, "POST", "/v1/oauth/tokens", form.encode(),
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and answer["token_type"] == "bearer", answer
    return answer["access_token"]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """One server for the module's tests and the directory it keeps its catalog in."""
    directory = tmp_path_factory.mktemp("rest-catalog")
    with rest_catalog_server(directory) as server:
        yield server, directory


@pytest.fixture
def namespace(served):
    """A fresh namespace on the module's server."""
    server, _ = served
    name = f"ns_{uuid.uuid4().hex[:8]}"
    server.catalog().create_namespace(name)
    return name


def test_partitioned_table_lifecycle(served):
    server, directory = served
    catalog = server.catalog()
    catalog.create_namespace("lifecycle", {"owner": "weir"})
    catalog.create_namespace(("lifecycle", "nested"))
    assert ("lifecycle",) in catalog.list_namespaces()
    assert catalog.list_namespaces("lifecycle") == [("lifecycle", "nested")]
    assert catalog.load_namespace_properties("lifecycle") == {"owner": "weir"}
    summary = catalog.update_namespace_properties("lifecycle", removals={"owner", "absent"}, updates={"team": "lake"})
    assert (summary.removed, summary.updated, summary.missing) == (["owner"], ["team"], ["absent"])

    table = catalog.create_table("lifecycle.trips", TRIPS_SCHEMA, partition_spec=BY_CITY,
                                 properties={"write.format.default": "parquet"})
    table.append(trips(range(0, 30)))
    table.append(trips(range(30, 45)))
    table.delete(EqualTo("city", "Oslo"))
    table.delete(GreaterThanOrEqual("id", 40))
    with table.update_schema() as evolve:
        evolve.add_column("note", StringType())
    table.append(pa.table({"id": pa.array([100], pa.int64()), "city": ["Lyon"], "fare": [2.5], "note": ["late"]},
                          schema=table.schema().as_arrow()))

    expected = [dict(row, note=None) for row in trips(range(40)).to_pylist() if row["city"] != "Oslo"]
    expected.append({"id": 100, "city": "Lyon", "fare": 2.5, "note": "late"})
    loaded = catalog.load_table("lifecycle.trips")
    assert rows(loaded) == expected
    assert [field.name for field in loaded.schema().fields] == ["id", "city", "fare", "note"]
    assert {entry["partition"]["city"] for entry in loaded.inspect.partitions().to_pylist()} == {"Lyon", "Lima"}
    stored = backend(directory).load_table("lifecycle.trips")
    assert stored.metadata_location == loaded.metadata_location
    assert rows(stored) == expected

    assert catalog.list_tables("lifecycle") == [("lifecycle", "trips")]
    catalog.rename_table("lifecycle.trips", "lifecycle.journeys")
    assert catalog.list_tables("lifecycle") == [("lifecycle", "journeys")]
    assert not catalog.table_exists("lifecycle.trips")
    assert rows(catalog.load_table("lifecycle.journeys")) == expected
    with pytest.raises(NamespaceNotEmptyError):
        catalog.drop_namespace("lifecycle")
    catalog.purge_table("lifecycle.journeys")
    assert not catalog.table_exists("lifecycle.journeys")
    assert [path for path in Path(stored.location().removeprefix("file://")).rglob("*") if path.is_file()] == []
    catalog.drop_namespace(("lifecycle", "nested"))
    catalog.drop_namespace("lifecycle")
    assert ("lifecycle",) not in catalog.list_namespaces()


def test_staged_create_commits_as_one_transaction(served, namespace):
    server, directory = served
    catalog = server.catalog()
    transaction = catalog.create_table_transaction(f"{namespace}.staged", TRIPS_SCHEMA, partition_spec=BY_CITY)
    assert not catalog.table_exists(f"{namespace}.staged")
    transaction.append(trips(range(5)))
    transaction.commit_transaction()
    assert rows(catalog.load_table(f"{namespace}.staged")) == trips(range(5)).to_pylist()
    assert rows(backend(directory).load_table(f"{namespace}.staged")) == trips(range(5)).to_pylist()


def race_two_appends(server, identifier: str) -> tuple[int, dict[int, object]]:
    """Two clients load the table, then append at once from that one base: the base snapshot id
    and, per client, "committed" or the exception its append raised. Client i appends ids
    100*(i+1) and 100*(i+1)+1."""
    writers = [server.catalog().load_table(identifier) for _ in range(2)]
    base_snapshot = writers[0].current_snapshot().snapshot_id
    assert writers[1].current_snapshot().snapshot_id == base_snapshot
    start = threading.Barrier(2)
    outcomes: dict[int, object] = {}

    def append(index: int) -> None:
        start.wait()
        try:
            writers[index].append(trips(range(100 * (index + 1), 100 * (index + 1) + 2)))
            outcomes[index] = "committed"
        except Exception as error:  # noqa: BLE001 - the outcome is what the test checks
            outcomes[index] = error

    threads = [threading.Thread(target=append, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return base_snapshot, outcomes


def test_concurrent_commits_from_one_base_let_one_win(served, namespace):
    server, _ = served
    table = server.catalog().create_table(f"{namespace}.contended", TRIPS_SCHEMA,
                                          properties={"commit.retry.num-retries": "0"})
    table.append(trips(range(3)))
    base_snapshot, outcomes = race_two_appends(server, f"{namespace}.contended")
    winners = [index for index, outcome in outcomes.items() if outcome == "committed"]
    losers = [outcome for outcome in outcomes.values() if outcome != "committed"]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert isinstance(losers[0], CommitFailedException) and "has changed" in str(losers[0])
    after = server.catalog().load_table(f"{namespace}.contended")
    assert after.current_snapshot().parent_snapshot_id == base_snapshot
    winner_ids = range(100 * (winners[0] + 1), 100 * (winners[0] + 1) + 2)
    assert rows(after) == trips([*range(3), *winner_ids]).to_pylist()


def test_a_commit_that_lost_a_race_lands_on_pyicebergs_retry(served, namespace):
    server, _ = served
    server.catalog().create_table(f"{namespace}.retried", TRIPS_SCHEMA).append(trips(range(3)))
    _, outcomes = race_two_appends(server, f"{namespace}.retried")
    assert outcomes == {0: "committed", 1: "committed"}
    assert rows(server.catalog().load_table(f"{namespace}.retried")) == trips([0, 1, 2, 100, 101, 200, 201]).to_pylist()
    conflicts = [request for request in server.recent_requests()
                 if request["path"].endswith("/retried") and request["status"] == 409]
    assert len(conflicts) == 1


def test_catalog_errors_are_the_specs(served, namespace):
    server, _ = served
    catalog = server.catalog()
    with pytest.raises(NamespaceAlreadyExistsError):
        catalog.create_namespace(namespace)
    with pytest.raises(NoSuchNamespaceError):
        catalog.load_namespace_properties("absent_namespace")
    with pytest.raises(NoSuchNamespaceError):
        catalog.create_table("absent_namespace.t", TRIPS_SCHEMA)
    with pytest.raises(NoSuchTableError):
        catalog.load_table(f"{namespace}.absent")
    catalog.create_table(f"{namespace}.taken", TRIPS_SCHEMA)
    with pytest.raises(TableAlreadyExistsError):
        catalog.create_table(f"{namespace}.taken", TRIPS_SCHEMA)

    token = token_for(server)
    path = f"/v1/namespaces/{namespace}/tables"
    status, answer = http(server, "POST", path + "/taken", {"requirements": [], "updates": [{"action": "bogus"}]}, token)
    assert (status, answer["error"]["type"]) == (400, "BadRequestException") and "bogus" in answer["error"]["message"]
    status, answer = http(server, "POST", path, {"name": "no_schema"}, token)
    assert (status, answer["error"]["type"]) == (400, "BadRequestException") and "schema" in answer["error"]["message"]
    status, answer = http(server, "POST", path, b"{not json", token)
    assert (status, answer["error"]["type"]) == (400, "BadRequestException")
    status, answer = http(server, "POST", path + "/absent", {"requirements": [], "updates": []}, token)
    assert (status, answer["error"]["type"]) == (404, "NoSuchTableException")
    status, answer = http(server, "POST", path + "/taken",
                          {"requirements": [{"type": "assert-current-schema-id", "current-schema-id": 7}],
                           "updates": [{"action": "set-properties", "updates": {"k": "v"}}]}, token)
    assert (status, answer["error"]["type"]) == (409, "CommitFailedException")
    assert "k" not in catalog.load_table(f"{namespace}.taken").properties
    status, answer = http(server, "POST", f"/v1/namespaces/{namespace}/properties",
                          {"removals": ["a"], "updates": {"a": "1"}}, token)
    assert (status, answer["error"]["type"]) == (422, "UnprocessableEntityException")
    assert http(server, "HEAD", path + "/taken", token=token) == (204, None)
    assert http(server, "HEAD", path + "/absent", token=token) == (404, None)


def test_lists_come_in_pages_once_the_client_asks(served, namespace):
    server, _ = served
    catalog = server.catalog()
    for name in ("c", "a", "b"):
        catalog.create_table(f"{namespace}.{name}", TRIPS_SCHEMA)
    token = token_for(server)
    path = f"/v1/namespaces/{namespace}/tables"
    everything = http(server, "GET", path + "?pageSize=2", token=token)[1]
    assert [entry["name"] for entry in everything["identifiers"]] == ["a", "b", "c"]
    assert everything["next-page-token"] is None
    first = http(server, "GET", path + "?pageToken=&pageSize=2", token=token)[1]
    second = http(server, "GET", f"{path}?pageToken={first['next-page-token']}&pageSize=2", token=token)[1]
    assert [entry["name"] for entry in first["identifiers"] + second["identifiers"]] == ["a", "b", "c"]
    assert second["next-page-token"] is None


def test_a_request_failing_inside_the_server_answers_500_and_the_server_carries_on(served, namespace):
    server, _ = served
    catalog = server.catalog()
    table = catalog.create_table(f"{namespace}.lost", TRIPS_SCHEMA)
    Path(table.metadata_location.removeprefix("file://")).unlink()
    status, answer = http(server, "GET", f"/v1/namespaces/{namespace}/tables/lost", token=token_for(server))
    assert (status, answer["error"]["type"], answer["error"]["code"]) == (500, "InternalServerError", 500)
    assert catalog.list_tables(namespace) == [(namespace, "lost")]


def test_tokens_are_required_and_checked(served):
    server, _ = served
    with pytest.raises(OAuthError, match="invalid_client"):
        server.catalog(credential=f"{CLIENT_ID}:wrong-secret")
    status, answer = http(server, "POST", "/v1/oauth/tokens",
                          f"grant_type=client_credentials&client_id={CLIENT_ID}&client_secret=wrong".encode())
    assert (status, answer["error"]) == (401, "invalid_client")
    for token in (None, "not-a-token"):
        status, answer = http(server, "GET", "/v1/namespaces", token=token)
        assert (status, answer["error"]["type"]) == (401, "NotAuthorizedException")
    assert http(server, "GET", "/v1/namespaces", token=token_for(server))[0] == 200
    refused = [request for request in server.recent_requests()
               if request["path"] == "/v1/namespaces" and request["status"] == 401]
    assert [request["authorization"] for request in refused[-2:]] == [False, True]


def test_an_expired_token_is_refused_and_the_client_refreshes_it(tmp_path):
    with rest_catalog_server(tmp_path, token_ttl=1) as server:
        catalog = server.catalog()
        catalog.create_namespace("before")
        token = token_for(server)
        time.sleep(1.5)
        assert http(server, "GET", "/v1/namespaces", token=token)[0] == 401
        catalog.create_namespace("after")
        assert sorted(catalog.list_namespaces()) == [("after",), ("before",)]
        trail = [(request["method"], request["path"], request["status"]) for request in server.recent_requests()]
    refreshed = trail.index(("POST", "/v1/namespaces", 401))
    assert trail[refreshed + 1:refreshed + 3] == [("POST", "/v1/oauth/tokens", 200), ("POST", "/v1/namespaces", 200)]


def test_injected_commit_failures_are_not_applied(served, namespace):
    server, _ = served
    table = server.catalog().create_table(f"{namespace}.faulty", TRIPS_SCHEMA)
    server.fail_next_commits(503)
    with pytest.raises(ServiceUnavailableError, match="ServiceUnavailableException"):
        table.append(trips(range(2)))
    server.fail_next_commits(504, count=2)
    for _ in range(2):
        with pytest.raises(CommitStateUnknownException, match="CommitStateUnknownException"):
            table.append(trips(range(2)))
    assert server.catalog().load_table(f"{namespace}.faulty").current_snapshot() is None
    table.append(trips(range(2)))
    assert rows(server.catalog().load_table(f"{namespace}.faulty")) == trips(range(2)).to_pylist()

    commits = [request for request in server.recent_requests()
               if request["method"] == "POST" and request["path"].endswith("/faulty")]
    assert [request["status"] for request in commits] == [503, 504, 504, 200]
    last = commits[-1]["body"]
    assert last["identifier"] == {"namespace": [namespace], "name": "faulty"}
    assert {"type": "assert-ref-snapshot-id", "ref": "main", "snapshot-id": None} in last["requirements"]
    assert [update["action"] for update in last["updates"]] == ["add-snapshot", "set-snapshot-ref"]
    status, answer = http(server, "POST", "/test/fail-next-commits", {"status": 200})
    assert (status, answer["error"]["type"]) == (400, "BadRequestException")


def test_prefix_and_warehouse_come_from_the_config(tmp_path):
    with rest_catalog_server(tmp_path, prefix="lakehouse", client_id=None) as server:
        status, config = http(server, "GET", "/v1/config?warehouse=lake")
        assert status == 200 and config["overrides"] == {"prefix": "lakehouse"}
        assert "POST /v1/{prefix}/namespaces/{namespace}/tables/{table}" in config["endpoints"]
        catalog = server.catalog(warehouse="lake")
        catalog.create_namespace("prefixed")
        catalog.create_table("prefixed.t", TRIPS_SCHEMA).append(trips(range(3)))
        assert rows(catalog.load_table("prefixed.t")) == trips(range(3)).to_pylist()
        paths = {request["path"] for request in server.recent_requests()}
        assert "/v1/lakehouse/namespaces/prefixed/tables/t" in paths
        assert all(path.startswith("/v1/lakehouse/") or path == "/v1/config" for path in paths)
        assert http(server, "GET", "/v1/namespaces")[0] == 404
        with pytest.raises(Exception, match="NoSuchWarehouseException"):
            server.catalog(warehouse="s3://elsewhere/")
    assert rows(backend(tmp_path).load_table("prefixed.t")) == trips(range(3)).to_pylist()


def test_views_are_created_replaced_renamed_and_dropped(served, namespace):
    server, directory = served
    catalog = server.catalog()
    schema = Schema(NestedField(1, "id", LongType(), required=True))
    version = ViewVersion(
        schema_id=0, default_namespace=(namespace,),
        representations=[ViewRepresentation(SQLViewRepresentation(type="sql", sql="SELECT 1 AS id", dialect="spark"))])
    created = catalog.create_view(f"{namespace}.v", schema, version, properties={"comment": "one"})
    assert catalog.list_views(namespace) == [(namespace, "v")]
    assert catalog.view_exists(f"{namespace}.v") and not catalog.table_exists(f"{namespace}.v")
    with pytest.raises(TableAlreadyExistsError):
        catalog.create_table(f"{namespace}.v", TRIPS_SCHEMA)

    token = token_for(server)
    replaced = {
        "requirements": [{"type": "assert-view-uuid", "uuid": created.metadata.view_uuid}],
        "updates": [
            {"action": "add-schema", "schema": {"type": "struct", "schema-id": 1, "fields": [
                {"id": 1, "name": "id", "type": "long", "required": True},
                {"id": 2, "name": "label", "type": "string", "required": False}]}},
            {"action": "add-view-version", "view-version": {
                "version-id": 2, "schema-id": -1, "timestamp-ms": 1700000000000, "summary": {},
                "default-namespace": [namespace],
                "representations": [{"type": "sql", "sql": "SELECT 1 AS id, 'a' AS label", "dialect": "spark"}]}},
            {"action": "set-current-view-version", "view-version-id": -1},
            {"action": "set-properties", "updates": {"comment": "two"}},
        ],
    }
    status, answer = http(server, "POST", f"/v1/namespaces/{namespace}/views/v", replaced, token)
    assert status == 200, answer
    assert "/metadata/00001-" in answer["metadata-location"]
    loaded = catalog.load_view(f"{namespace}.v").metadata
    assert loaded.current_version_id == 2 and loaded.properties == {"comment": "two"}
    assert [view_version.schema_id for view_version in loaded.versions] == [0, 1]
    assert [entry.version_id for entry in loaded.version_log] == [1, 2]
    stale = dict(replaced, requirements=[{"type": "assert-view-uuid", "uuid": str(uuid.uuid4())}])
    status, answer = http(server, "POST", f"/v1/namespaces/{namespace}/views/v", stale, token)
    assert (status, answer["error"]["type"]) == (409, "CommitFailedException")

    rename = {"source": {"namespace": [namespace], "name": "v"}, "destination": {"namespace": [namespace], "name": "w"}}
    assert http(server, "POST", "/v1/views/rename", rename, token) == (204, None)
    assert catalog.list_views(namespace) == [(namespace, "w")]
    assert backend(directory).list_tables(namespace) == []
    catalog.drop_view(f"{namespace}.w")
    assert catalog.list_views(namespace) == [] and not catalog.view_exists(f"{namespace}.w")


def test_s3_table_is_read_with_vended_credentials(tmp_path, monkeypatch):
    credentials_path = os.environ.get("WEIR_TEST_S3_CREDENTIALS")
    if not credentials_path:
        missing_server("the S3 test needs a moto_server (scripts/run-with-test-servers.sh)")
    values = dict(line.split("=", 1) for line in Path(credentials_path).read_text().splitlines() if "=" in line)
    for name in [name for name in os.environ if name.startswith("AWS_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    location = f"s3://{values['WEIR_TEST_S3_BUCKET']}/rest-{uuid.uuid4().hex[:8]}"
    with rest_catalog_server(tmp_path, warehouse=location, vend_s3_credentials=Path(credentials_path)) as server:
        writer = server.catalog()
        writer.create_namespace("s3")
        with pyarrow_writes_to_moto():
            writer.create_table("s3.trips", TRIPS_SCHEMA).append(trips(range(40)))

        table = server.catalog().load_table("s3.trips")
        assert table.metadata_location.startswith(f"{location}/s3/trips/metadata/")
        assert table.io.properties["s3.access-key-id"] == values["AWS_ACCESS_KEY_ID"]
        assert rows(table) == trips(range(40)).to_pylist()

        token = token_for(server)
        delegated = {"X-Iceberg-Access-Delegation": "vended-credentials"}
        status, answer = http(server, "GET", "/v1/namespaces/s3/tables/trips", token=token, headers=delegated)
        vended = {"s3.access-key-id": values["AWS_ACCESS_KEY_ID"], "s3.secret-access-key": values["AWS_SECRET_ACCESS_KEY"],
                  "s3.endpoint": values["AWS_ENDPOINT_URL"], "s3.region": values["AWS_REGION"],
                  "s3.path-style-access": "true"}
        assert status == 200 and answer["config"] == vended
        assert answer["storage-credentials"] == [{"prefix": f"s3://{values['WEIR_TEST_S3_BUCKET']}/", "config": vended}]
        status, answer = http(server, "GET", "/v1/namespaces/s3/tables/trips", token=token)
        assert status == 200 and answer["config"] == {} and "storage-credentials" not in answer
