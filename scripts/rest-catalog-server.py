#!/usr/bin/env python3
"""An Iceberg REST catalog server for tests, on PyIceberg's SqlCatalog.

    rest-catalog-server.py --port N --catalog-db PATH --warehouse URI [--prefix P]
        [--client-id ID --client-secret S] [--token-ttl SECONDS]
        [--vend-s3-credentials FILE] [--catalog-name NAME]

Speaks the Iceberg REST Catalog protocol (open-api/rest-catalog-open-api.yaml in
apache/iceberg) on 127.0.0.1, the way the Iceberg project's REST fixture wraps its
JDBC catalog: namespaces and tables live in a SQLite SqlCatalog (the layout Weir's
embedded catalog uses), and table commits go through SqlCatalog.commit_table,
which checks the requirements and applies the updates. Views, which SqlCatalog
lacks, are kept by rest_catalog_views.py. Request bodies are parsed with
PyIceberg's pydantic models, so one that does not follow the spec is answered
400; every error is the spec's IcebergErrorResponse.

Routes: config; namespaces (list with `parent`, create, load, exists, drop,
properties); tables (list, create with stage-create true or false, register,
load with `snapshots` and If-None-Match/ETag, exists, commit, drop with
`purgeRequested`, rename, credentials, metrics); views (list, create, load,
exists, replace, drop, rename). Lists come in pages once a client sends
`pageToken` (an empty one starts). Not implemented: transactions/commit,
server-side scan planning, remote signing, functions, unregister.

With --prefix P, GET /v1/config answers {"overrides": {"prefix": P}} and the other
catalog routes are /v1/P/...; the config's "endpoints" lists the routes. A
`warehouse` parameter of the config must name the catalog or its warehouse.
Multi-level namespaces are joined by 0x1F (%1F) in paths and in `parent`; a level
may not contain "." (the SQL catalog's own separator).

Authentication: with --client-id and --client-secret, POST /v1/oauth/tokens grants
bearer tokens (grant_type client_credentials, or token-exchange of a valid token)
that expire after --token-ttl seconds, and every route except /v1/config and the
token endpoint answers 401 without a valid one.

Vended credentials: --vend-s3-credentials FILE names NAME=VALUE lines as
scripts/moto-server.sh writes them (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
AWS_ENDPOINT_URL, AWS_REGION). The server reads and writes S3 with those keys,
and when a request carries `X-Iceberg-Access-Delegation: vended-credentials` the
LoadTableResult of a table on s3:// holds them in `config` and in
`storage-credentials` (as does GET .../tables/{table}/credentials).

Test-only routes, for loopback clients and needing no token:
  POST /test/fail-next-commits {"status": 503, "count": 1}
      the next COUNT table commits answer STATUS (default count 1) without being
      applied; 500, 502 and 504 carry type CommitStateUnknownException, 503
      ServiceUnavailableException, 409 CommitFailedException.
  GET /test/requests
      the recent requests, oldest first: method, path, query, status,
      authorization (whether the header was sent) and, for POSTs other than
      the token endpoint (table commits among them), the JSON body.

Logs one line per request to stderr; stops cleanly on SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import http.server
import ipaddress
import json
import secrets
import signal
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from pydantic import Field
from pydantic import ValidationError as RequestValidationError
from pyiceberg.catalog import Catalog
from pyiceberg.catalog.rest import CreateTableRequest, CreateViewRequest, RegisterTableRequest
from pyiceberg.catalog.sql import SqlCatalog
from pyiceberg.exceptions import (
    CommitFailedException,
    NamespaceAlreadyExistsError,
    NamespaceNotEmptyError,
    NoSuchNamespaceError,
    NoSuchTableError,
    NoSuchViewError,
    TableAlreadyExistsError,
    ViewAlreadyExistsError,
)
from pyiceberg.partitioning import UNPARTITIONED_PARTITION_SPEC
from pyiceberg.table import CommitTableRequest, Table, TableIdentifier
from pyiceberg.table.metadata import TableMetadata, new_table_metadata
from pyiceberg.table.sorting import UNSORTED_SORT_ORDER
from pyiceberg.table.update import AssertCreate
from pyiceberg.typedef import IcebergBaseModel, Identifier
from pyiceberg.view.metadata import ViewMetadata

from pyarrow_on_moto import pyarrow_writes_to_moto
from rest_catalog_views import CommitViewRequest, ViewStore

NAMESPACE_SEPARATOR = "\x1f"
RECENT_REQUESTS = 500
TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token"


# ---- errors -------------------------------------------------------------------------------------


class RestError(Exception):
    """An error answered as the spec's IcebergErrorResponse."""

    def __init__(self, status: int, error_type: str, message: str):
        super().__init__(message)
        self.status = status
        self.error_type = error_type


class OAuthFailure(Exception):
    """An error of the token endpoint, answered as the spec's OAuthError."""

    def __init__(self, status: int, error: str, description: str):
        super().__init__(description)
        self.status = status
        self.error = error


# PyIceberg's exceptions as the catalog raises them, and how the spec answers each.
ERROR_RESPONSES: dict[type[Exception], tuple[int, str]] = {
    NoSuchNamespaceError: (404, "NoSuchNamespaceException"),
    NoSuchTableError: (404, "NoSuchTableException"),
    NoSuchViewError: (404, "NoSuchViewException"),
    NamespaceAlreadyExistsError: (409, "AlreadyExistsException"),
    TableAlreadyExistsError: (409, "AlreadyExistsException"),
    ViewAlreadyExistsError: (409, "AlreadyExistsException"),
    NamespaceNotEmptyError: (409, "NamespaceNotEmptyException"),
    CommitFailedException: (409, "CommitFailedException"),
    NotImplementedError: (406, "UnsupportedOperationException"),
    # PyIceberg raises ValueError for updates it cannot apply (an unknown schema id, ...).
    ValueError: (400, "BadRequestException"),
}

INJECTED_FAILURE_TYPES = {
    409: "CommitFailedException",
    500: "CommitStateUnknownException",
    502: "CommitStateUnknownException",
    503: "ServiceUnavailableException",
    504: "CommitStateUnknownException",
}


def bad_request(message: str) -> RestError:
    return RestError(400, "BadRequestException", message)


def validation_message(error: RequestValidationError) -> str:
    problems = [f"{'.'.join(str(part) for part in detail['loc']) or 'body'}: {detail['msg']}"
                for detail in error.errors()[:5]]
    return "invalid request body: " + "; ".join(problems)


# ---- request models PyIceberg has none of -------------------------------------------------------


class CreateNamespaceRequest(IcebergBaseModel):
    namespace: list[str]
    properties: dict[str, str] = Field(default_factory=dict)


class UpdateNamespacePropertiesRequest(IcebergBaseModel):
    removals: list[str] = Field(default_factory=list)
    updates: dict[str, str] = Field(default_factory=dict)


class RenameRequest(IcebergBaseModel):
    source: TableIdentifier
    destination: TableIdentifier


def parse_body(body: bytes, model: type[IcebergBaseModel], defaults: dict[str, Any] | None = None) -> Any:
    """The request body as `model`; `defaults` fill optional fields PyIceberg's model declares required."""
    try:
        data = json.loads(body or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise bad_request(f"request body is not JSON: {error}") from error
    if not isinstance(data, dict):
        raise bad_request("request body must be a JSON object")
    for key, value in (defaults or {}).items():
        data.setdefault(key, value)
    try:
        return model.model_validate(data)
    except RequestValidationError as error:
        raise bad_request(validation_message(error)) from error


# ---- tokens ---------------------------------------------------------------------------------------


class TokenIssuer:
    """OAuth2 client-credentials tokens for one client, each valid for `ttl` seconds."""

    def __init__(self, client_id: str, client_secret: str, ttl: float):
        self.client_id = client_id
        self.client_secret = client_secret
        self.ttl = ttl
        self.expiry_by_token: dict[str, float] = {}
        self.lock = threading.Lock()

    def is_valid(self, token: str) -> bool:
        with self.lock:
            expiry = self.expiry_by_token.get(token)
        return expiry is not None and time.monotonic() < expiry

    def grant(self, form: dict[str, str]) -> dict[str, Any]:
        """The token response for a form-encoded token request."""
        grant_type = form.get("grant_type")
        if grant_type == "client_credentials":
            if "client_id" not in form or "client_secret" not in form:
                raise OAuthFailure(400, "invalid_request", "client_id and client_secret are required")
            if not (secrets.compare_digest(form["client_id"], self.client_id)
                    and secrets.compare_digest(form["client_secret"], self.client_secret)):
                raise OAuthFailure(401, "invalid_client", "unknown client or wrong secret")
        elif grant_type == TOKEN_EXCHANGE:
            if not self.is_valid(form.get("subject_token", "")):
                raise OAuthFailure(401, "invalid_grant", "subject_token is not a valid token of this server")
        else:
            raise OAuthFailure(400, "unsupported_grant_type", f"grant_type {grant_type!r} is not supported")
        token = secrets.token_urlsafe(32)
        now = time.monotonic()
        with self.lock:
            self.expiry_by_token = {key: expiry for key, expiry in self.expiry_by_token.items() if expiry > now}
            self.expiry_by_token[token] = now + self.ttl
        return {
            "access_token": token,
            "token_type": "bearer",
            "expires_in": int(self.ttl),
            "issued_token_type": ACCESS_TOKEN_TYPE,
            "scope": form.get("scope", "catalog"),
        }


# ---- S3 -------------------------------------------------------------------------------------------


def read_s3_credentials(path: Path) -> dict[str, str]:
    """PyIceberg's S3 properties from a moto-server.sh credentials file."""
    values = dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    names = {"AWS_ACCESS_KEY_ID": "s3.access-key-id", "AWS_SECRET_ACCESS_KEY": "s3.secret-access-key",
             "AWS_ENDPOINT_URL": "s3.endpoint", "AWS_REGION": "s3.region"}
    missing = sorted(set(names) - set(values))
    if missing:
        raise SystemExit(f"rest-catalog-server: {path} lacks {', '.join(missing)}")
    return {property_name: values[name] for name, property_name in names.items()}


# ---- the catalog ----------------------------------------------------------------------------------


@dataclasses.dataclass
class Request:
    params: dict[str, Any]
    query: dict[str, str]
    headers: Message
    body: bytes

    def wants_vended_credentials(self) -> bool:
        delegation = self.headers.get("X-Iceberg-Access-Delegation", "")
        return "vended-credentials" in (mechanism.strip() for mechanism in delegation.split(","))


@dataclasses.dataclass
class Response:
    status: int
    body: Any = None
    headers: dict[str, str] = dataclasses.field(default_factory=dict)


class TableName:
    """What SqlCatalog.commit_table needs of a table that does not exist yet: its name."""

    def __init__(self, identifier: Identifier):
        self.identifier = identifier

    def name(self) -> Identifier:
        return self.identifier


def check_namespace(namespace: tuple[str, ...]) -> tuple[str, ...]:
    if not namespace or any(not level or "." in level for level in namespace):
        raise bad_request(f"invalid namespace {list(namespace)}: levels must be non-empty and hold no '.'")
    return namespace


def namespace_of_path(segment: str) -> tuple[str, ...]:
    return check_namespace(tuple(segment.split(NAMESPACE_SEPARATOR)))


def identifier_of(name: TableIdentifier) -> Identifier:
    return (*check_namespace(tuple(name.namespace.root)), name.name)


def paginate(items: list[Any], query: dict[str, str], key: str) -> dict[str, Any]:
    """A list response; pages of pageSize only once the client sends pageToken, as the spec says."""
    if "pageToken" not in query:
        return {key: items, "next-page-token": None}
    try:
        start = int(query["pageToken"] or 0)
        size = int(query.get("pageSize") or len(items) or 1)
    except ValueError as error:
        raise bad_request(f"invalid pageToken or pageSize: {error}") from error
    if start < 0 or size < 1:
        raise bad_request("pageToken must be an offset this server gave and pageSize at least 1")
    end = start + size
    return {key: items[start:end], "next-page-token": str(end) if end < len(items) else None}


class CatalogOperations:
    """The REST catalog's operations on a SqlCatalog; each takes a Request and gives a Response."""

    def __init__(self, sql: SqlCatalog, vended_s3: dict[str, str] | None):
        self.sql = sql
        self.views = ViewStore(sql)
        self.vended_s3 = vended_s3
        # One writer at a time: SQLite allows no more, and commits are checked against the
        # metadata they replace anyway.
        self.write_lock = threading.Lock()
        self.failure_lock = threading.Lock()
        self.injected_failure: tuple[int, int] | None = None

    # -- namespaces

    def list_namespaces(self, request: Request) -> Response:
        parent = tuple(request.query["parent"].split(NAMESPACE_SEPARATOR)) if request.query.get("parent") else ()
        namespaces = sorted(self.sql.list_namespaces(check_namespace(parent) if parent else ()))
        return Response(200, paginate([list(namespace) for namespace in namespaces], request.query, "namespaces"))

    def create_namespace(self, request: Request) -> Response:
        body = parse_body(request.body, CreateNamespaceRequest)
        namespace = check_namespace(tuple(body.namespace))
        with self.write_lock:
            self.sql.create_namespace(namespace, body.properties)
        return Response(200, {"namespace": list(namespace), "properties": self.sql.load_namespace_properties(namespace)})

    def load_namespace(self, request: Request) -> Response:
        namespace = request.params["namespace"]
        return Response(200, {"namespace": list(namespace), "properties": self.sql.load_namespace_properties(namespace)})

    def namespace_exists(self, request: Request) -> Response:
        return Response(204 if self.sql.namespace_exists(request.params["namespace"]) else 404)

    def drop_namespace(self, request: Request) -> Response:
        namespace = request.params["namespace"]
        with self.write_lock:
            if not self.sql.namespace_exists(namespace):
                raise NoSuchNamespaceError(f"namespace {'.'.join(namespace)} does not exist")
            contents = (self.sql.list_tables(namespace) + self.views.names_in(namespace)
                        + self.sql.list_namespaces(namespace))
            if contents:
                raise NamespaceNotEmptyError(
                    f"namespace {'.'.join(namespace)} is not empty: it holds {', '.join(map('.'.join, contents))}")
            self.sql.drop_namespace(namespace)
        return Response(204)

    def update_namespace_properties(self, request: Request) -> Response:
        body = parse_body(request.body, UpdateNamespacePropertiesRequest)
        if overlap := set(body.removals) & set(body.updates):
            raise RestError(422, "UnprocessableEntityException",
                            f"properties both removed and updated: {', '.join(sorted(overlap))}")
        with self.write_lock:
            summary = self.sql.update_namespace_properties(
                request.params["namespace"], set(body.removals), body.updates)
        return Response(200, {"updated": sorted(summary.updated), "removed": sorted(summary.removed),
                              "missing": sorted(summary.missing)})

    # -- tables

    def list_tables(self, request: Request) -> Response:
        identifiers = sorted(self.sql.list_tables(request.params["namespace"]))
        entries = [{"namespace": list(identifier[:-1]), "name": identifier[-1]} for identifier in identifiers]
        return Response(200, paginate(entries, request.query, "identifiers"))

    def create_table(self, request: Request) -> Response:
        body = parse_body(request.body, CreateTableRequest,
                          {"location": None, "partition-spec": None, "write-order": None})
        namespace = request.params["namespace"]
        identifier = (*namespace, body.name)
        with self.write_lock:
            self.check_name_is_free(identifier)
            location = self.table_location(namespace, body.name, body.location)
            partition_spec = body.partition_spec or UNPARTITIONED_PARTITION_SPEC
            sort_order = body.write_order or UNSORTED_SORT_ORDER
            if body.stage_create:
                metadata = new_table_metadata(body.table_schema, partition_spec, sort_order, location,
                                              dict(body.properties))
                return Response(200, self.load_table_result(request, metadata, None))
            table = self.sql.create_table(identifier, body.table_schema, location, partition_spec, sort_order,
                                          dict(body.properties))
        return self.table_response(request, table)

    def register_table(self, request: Request) -> Response:
        body = parse_body(request.body, RegisterTableRequest, {"overwrite": False})
        identifier = (*request.params["namespace"], body.name)
        with self.write_lock:
            if not body.overwrite:
                self.check_name_is_free(identifier)
            table = self.sql.register_table(identifier, body.metadata_location, body.overwrite)
        return self.table_response(request, table)

    def load_table(self, request: Request) -> Response:
        table = self.sql.load_table(self.table_identifier(request))
        snapshots = request.query.get("snapshots", "all")
        if snapshots not in ("all", "refs"):
            raise bad_request(f"snapshots must be all or refs, not {snapshots!r}")
        etag = '"' + hashlib.sha256(f"{table.metadata_location}|{snapshots}".encode()).hexdigest()[:32] + '"'
        if request.headers.get("If-None-Match") == etag:
            return Response(304, headers={"ETag": etag})
        metadata = table.metadata
        if snapshots == "refs":
            referenced = {ref.snapshot_id for ref in metadata.refs.values()}
            metadata = metadata.model_copy(
                update={"snapshots": [snapshot for snapshot in metadata.snapshots if snapshot.snapshot_id in referenced]})
        return Response(200, self.load_table_result(request, metadata, table.metadata_location), {"ETag": etag})

    def table_exists(self, request: Request) -> Response:
        return Response(204 if self.sql.table_exists(self.table_identifier(request)) else 404)

    def commit_table(self, request: Request) -> Response:
        if injected := self.take_injected_failure():
            status, error_type = injected
            raise RestError(status, error_type, "injected failure (POST /test/fail-next-commits); nothing was applied")
        identifier = self.table_identifier(request)
        path_name = {"namespace": list(identifier[:-1]), "name": identifier[-1]}
        body = parse_body(request.body, CommitTableRequest, {"identifier": path_name})
        if identifier_of(body.identifier) != identifier:
            raise bad_request(f"body identifier {body.identifier.model_dump()} is not the table of the path {path_name}")
        with self.write_lock:
            if self.sql.table_exists(identifier):
                table: Table | TableName = self.sql.load_table(identifier)
            elif any(isinstance(requirement, AssertCreate) for requirement in body.requirements):
                self.check_name_is_free(identifier)
                table = TableName(identifier)
            else:
                raise NoSuchTableError(f"table {'.'.join(identifier)} does not exist")
            result = self.sql.commit_table(table, body.requirements, body.updates)
        return Response(200, {"metadata-location": result.metadata_location,
                              "metadata": result.metadata.model_dump(mode="json")})

    def drop_table(self, request: Request) -> Response:
        identifier = self.table_identifier(request)
        purge = request.query.get("purgeRequested", "false").lower()
        if purge not in ("true", "false"):
            raise bad_request(f"purgeRequested must be true or false, not {purge!r}")
        with self.write_lock:
            if purge == "true":
                self.sql.purge_table(identifier)
            else:
                self.sql.drop_table(identifier)
        return Response(204)

    def rename_table(self, request: Request) -> Response:
        body = parse_body(request.body, RenameRequest)
        source, destination = identifier_of(body.source), identifier_of(body.destination)
        with self.write_lock:
            if not self.sql.table_exists(source):
                raise NoSuchTableError(f"table {'.'.join(source)} does not exist")
            self.check_name_is_free(destination)
            self.sql.rename_table(source, destination)
        return Response(204)

    def load_credentials(self, request: Request) -> Response:
        table = self.sql.load_table(self.table_identifier(request))
        return Response(200, {"storage-credentials": self.storage_credentials(table.metadata.location)})

    def report_metrics(self, request: Request) -> Response:
        if not self.sql.table_exists(self.table_identifier(request)):
            raise NoSuchTableError(f"table {'.'.join(self.table_identifier(request))} does not exist")
        return Response(204)

    # -- views

    def list_views(self, request: Request) -> Response:
        namespace = request.params["namespace"]
        if not self.sql.namespace_exists(namespace):
            raise NoSuchNamespaceError(f"namespace {'.'.join(namespace)} does not exist")
        entries = [{"namespace": list(namespace), "name": name[-1]} for name in self.views.names_in(namespace)]
        return Response(200, paginate(entries, request.query, "identifiers"))

    def create_view(self, request: Request) -> Response:
        body = parse_body(request.body, CreateViewRequest, {"location": None})
        namespace = request.params["namespace"]
        with self.write_lock:
            self.check_name_is_free((*namespace, body.name))
            location = self.table_location(namespace, body.name, body.location)
            created = self.views.create((*namespace, body.name), location, body.view_schema, body.view_version,
                                        body.properties)
        return Response(200, view_result(*created))

    def load_view(self, request: Request) -> Response:
        return Response(200, view_result(*self.views.load(request.params["view_identifier"])))

    def view_exists(self, request: Request) -> Response:
        return Response(204 if self.views.exists(request.params["view_identifier"]) else 404)

    def replace_view(self, request: Request) -> Response:
        identifier = request.params["view_identifier"]
        body = parse_body(request.body, CommitViewRequest)
        if body.identifier is not None and identifier_of(body.identifier) != identifier:
            raise bad_request(f"body identifier {body.identifier.model_dump()} is not the view of the path")
        with self.write_lock:
            replaced = self.views.replace(identifier, body.requirements, body.updates)
        return Response(200, view_result(*replaced))

    def drop_view(self, request: Request) -> Response:
        with self.write_lock:
            self.views.drop(request.params["view_identifier"])
        return Response(204)

    def rename_view(self, request: Request) -> Response:
        body = parse_body(request.body, RenameRequest)
        source, destination = identifier_of(body.source), identifier_of(body.destination)
        with self.write_lock:
            self.views.metadata_location(source)
            self.check_name_is_free(destination)
            self.views.rename(source, destination)
        return Response(204)

    # -- shared steps

    def table_identifier(self, request: Request) -> Identifier:
        return (*request.params["namespace"], request.params["table"])

    def check_name_is_free(self, identifier: Identifier) -> None:
        """A new table or view needs its namespace, and a name that no table or view has."""
        if not self.sql.namespace_exists(identifier[:-1]):
            raise NoSuchNamespaceError(f"namespace {'.'.join(identifier[:-1])} does not exist")
        if self.sql.table_exists(identifier):
            raise TableAlreadyExistsError(f"table {'.'.join(identifier)} already exists")
        if self.views.exists(identifier):
            raise ViewAlreadyExistsError(f"view {'.'.join(identifier)} already exists")

    def table_location(self, namespace: tuple[str, ...], name: str, location: str | None) -> str:
        """As SqlCatalog places tables: the given location, else under the namespace's `location`
        property, else under the warehouse."""
        if location:
            return location.rstrip("/")
        if namespace_location := self.sql.load_namespace_properties(namespace).get("location"):
            return f"{namespace_location.rstrip('/')}/{name}"
        return f"{self.sql.properties['warehouse'].rstrip('/')}/{Catalog.namespace_to_string(namespace)}/{name}"

    def table_response(self, request: Request, table: Table) -> Response:
        return Response(200, self.load_table_result(request, table.metadata, table.metadata_location))

    def load_table_result(self, request: Request, metadata: TableMetadata, metadata_location: str | None) -> dict:
        result: dict[str, Any] = {"metadata-location": metadata_location, "metadata": metadata.model_dump(mode="json"),
                                  "config": {}}
        if request.wants_vended_credentials() and (credentials := self.storage_credentials(metadata.location)):
            result["config"] = credentials[0]["config"]
            result["storage-credentials"] = credentials
        return result

    def storage_credentials(self, location: str) -> list[dict[str, Any]]:
        if not self.vended_s3 or not location.startswith("s3://"):
            return []
        bucket = location.removeprefix("s3://").split("/", 1)[0]
        return [{"prefix": f"s3://{bucket}/", "config": {**self.vended_s3, "s3.path-style-access": "true"}}]

    def take_injected_failure(self) -> tuple[int, str] | None:
        with self.failure_lock:
            if self.injected_failure is None:
                return None
            status, remaining = self.injected_failure
            self.injected_failure = (status, remaining - 1) if remaining > 1 else None
        return status, INJECTED_FAILURE_TYPES.get(status, "InjectedFailureException")

    def fail_next_commits(self, status: int, count: int) -> None:
        with self.failure_lock:
            self.injected_failure = (status, count) if count > 0 else None


def view_result(metadata_location: str, metadata: ViewMetadata) -> dict[str, Any]:
    """The spec's LoadViewResult."""
    return {"metadata-location": metadata_location, "metadata": metadata.model_dump(mode="json"), "config": {}}


# ---- HTTP -----------------------------------------------------------------------------------------

# Each route: method, the path's segments after /v1/[prefix/] ({name} is a parameter), operation.
ROUTES: list[tuple[str, tuple[str, ...], Callable[[CatalogOperations, Request], Response]]] = [
    ("GET", ("namespaces",), CatalogOperations.list_namespaces),
    ("POST", ("namespaces",), CatalogOperations.create_namespace),
    ("GET", ("namespaces", "{namespace}"), CatalogOperations.load_namespace),
    ("HEAD", ("namespaces", "{namespace}"), CatalogOperations.namespace_exists),
    ("DELETE", ("namespaces", "{namespace}"), CatalogOperations.drop_namespace),
    ("POST", ("namespaces", "{namespace}", "properties"), CatalogOperations.update_namespace_properties),
    ("GET", ("namespaces", "{namespace}", "tables"), CatalogOperations.list_tables),
    ("POST", ("namespaces", "{namespace}", "tables"), CatalogOperations.create_table),
    ("POST", ("namespaces", "{namespace}", "register"), CatalogOperations.register_table),
    ("GET", ("namespaces", "{namespace}", "tables", "{table}"), CatalogOperations.load_table),
    ("HEAD", ("namespaces", "{namespace}", "tables", "{table}"), CatalogOperations.table_exists),
    ("POST", ("namespaces", "{namespace}", "tables", "{table}"), CatalogOperations.commit_table),
    ("DELETE", ("namespaces", "{namespace}", "tables", "{table}"), CatalogOperations.drop_table),
    ("GET", ("namespaces", "{namespace}", "tables", "{table}", "credentials"), CatalogOperations.load_credentials),
    ("POST", ("namespaces", "{namespace}", "tables", "{table}", "metrics"), CatalogOperations.report_metrics),
    ("POST", ("tables", "rename"), CatalogOperations.rename_table),
    ("GET", ("namespaces", "{namespace}", "views"), CatalogOperations.list_views),
    ("POST", ("namespaces", "{namespace}", "views"), CatalogOperations.create_view),
    ("GET", ("namespaces", "{namespace}", "views", "{view}"), CatalogOperations.load_view),
    ("HEAD", ("namespaces", "{namespace}", "views", "{view}"), CatalogOperations.view_exists),
    ("POST", ("namespaces", "{namespace}", "views", "{view}"), CatalogOperations.replace_view),
    ("DELETE", ("namespaces", "{namespace}", "views", "{view}"), CatalogOperations.drop_view),
    ("POST", ("views", "rename"), CatalogOperations.rename_view),
]


def match_route(method: str, segments: list[str]) -> tuple[Callable, dict[str, Any]] | None:
    """The operation for a request and its path parameters; None if no route has this path."""
    path_matched = False
    for route_method, pattern, operation in ROUTES:
        if len(pattern) != len(segments):
            continue
        params: dict[str, Any] = {}
        for expected, actual in zip(pattern, segments):
            if expected.startswith("{"):
                params[expected[1:-1]] = actual
            elif expected != actual:
                break
        else:
            path_matched = True
            if route_method == method:
                return operation, params
    if path_matched:
        raise RestError(405, "MethodNotAllowedException", f"{method} is not supported on this path")
    return None


def decode_params(params: dict[str, str]) -> dict[str, Any]:
    decoded: dict[str, Any] = {}
    if "namespace" in params:
        decoded["namespace"] = namespace_of_path(params["namespace"])
    if "table" in params:
        decoded["table"] = params["table"]
    if "view" in params:
        decoded["view_identifier"] = (*decoded["namespace"], params["view"])
    return decoded


def error_body(status: int, error_type: str, message: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": error_type, "code": status}}


class RestCatalogService:
    """Authentication, routing, fault injection and the request record around a CatalogOperations."""

    def __init__(self, catalog: CatalogOperations, prefix: str | None, tokens: TokenIssuer | None, warehouse: str):
        self.catalog = catalog
        self.prefix = prefix.strip("/") if prefix else None
        self.tokens = tokens
        self.warehouse = warehouse.rstrip("/")
        self.recent_requests: deque[dict[str, Any]] = deque(maxlen=RECENT_REQUESTS)
        self.record_lock = threading.Lock()

    def handle(self, method: str, target: str, headers: Message, body: bytes, client: str) -> Response:
        url = urlsplit(target)
        query = {key: values[0] for key, values in parse_qs(url.query, keep_blank_values=True).items()}
        try:
            response = self.route(method, url.path, query, headers, body, client)
        except RestError as error:
            response = Response(error.status, error_body(error.status, error.error_type, str(error)))
        except OAuthFailure as error:
            response = Response(error.status, {"error": error.error, "error_description": str(error)})
        except Exception as error:  # noqa: BLE001 - every failure becomes an error response
            status, error_type = next((answer for kind, answer in ERROR_RESPONSES.items() if isinstance(error, kind)),
                                      (500, "InternalServerError"))
            if status == 500:
                traceback.print_exc(file=sys.stderr)
            response = Response(status, error_body(status, error_type, str(error) or type(error).__name__))
        if not url.path.startswith("/test/"):
            self.record(method, url.path, url.query, headers, body, response.status)
        return response

    def route(self, method: str, path: str, query: dict[str, str], headers: Message, body: bytes,
              client: str) -> Response:
        if path.startswith("/test/"):
            return self.test_route(method, path, body, client)
        if path == "/v1/config" and method == "GET":
            return self.config(query)
        if path == "/v1/oauth/tokens" and method == "POST":
            if self.tokens is None:
                raise OAuthFailure(401, "invalid_client", "this server was started without --client-id")
            form = {key: values[0] for key, values in parse_qs(body.decode("utf-8", "replace")).items()}
            return Response(200, self.tokens.grant(form))
        self.authenticate(headers)
        segments = [unquote(segment) for segment in path.split("/")]
        if segments[:2] != ["", "v1"]:
            raise RestError(404, "NoSuchEndpointException", f"no such endpoint: {method} {path}")
        segments = segments[2:]
        if self.prefix is not None:
            if segments[:1] != [self.prefix]:
                raise RestError(404, "NoSuchEndpointException",
                                f"no such endpoint: {method} {path} (routes are under /v1/{self.prefix}/)")
            segments = segments[1:]
        matched = match_route(method, segments)
        if matched is None:
            raise RestError(404, "NoSuchEndpointException", f"no such endpoint: {method} {path}")
        operation, params = matched
        return operation(self.catalog, Request(decode_params(params), query, headers, body))

    def config(self, query: dict[str, str]) -> Response:
        warehouse = query.get("warehouse")
        if warehouse and warehouse.rstrip("/") not in (self.warehouse, self.catalog.sql.name):
            raise RestError(404, "NoSuchWarehouseException",
                            f"no warehouse {warehouse!r}; this server has {self.catalog.sql.name!r} at {self.warehouse}")
        endpoints = [f"{method} /v1/{{prefix}}/{'/'.join(pattern)}" for method, pattern, _ in ROUTES]
        overrides = {"prefix": self.prefix} if self.prefix else {}
        return Response(200, {"defaults": {}, "overrides": overrides, "endpoints": endpoints})

    def authenticate(self, headers: Message) -> None:
        if self.tokens is None:
            return
        scheme, _, token = headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not self.tokens.is_valid(token.strip()):
            raise RestError(401, "NotAuthorizedException", "a valid, unexpired bearer token is required")

    def test_route(self, method: str, path: str, body: bytes, client: str) -> Response:
        if not ipaddress.ip_address(client).is_loopback:
            raise RestError(403, "ForbiddenException", "test routes answer loopback clients only")
        if (method, path) == ("POST", "/test/fail-next-commits"):
            try:
                request = json.loads(body or b"{}")
                status, count = int(request["status"]), int(request.get("count", 1))
            except (ValueError, KeyError, TypeError) as error:
                raise bad_request(f'expected {{"status": 400..599, "count": N}}: {error!r}') from error
            if not 400 <= status <= 599 or count < 0:
                raise bad_request("status must be 400..599 and count at least 0")
            self.catalog.fail_next_commits(status, count)
            return Response(200, {"status": status, "count": count})
        if (method, path) == ("GET", "/test/requests"):
            with self.record_lock:
                return Response(200, list(self.recent_requests))
        raise RestError(404, "NoSuchEndpointException", f"no such test endpoint: {method} {path}")

    def record(self, method: str, path: str, query: str, headers: Message, body: bytes, status: int) -> None:
        entry: dict[str, Any] = {"method": method, "path": path, "query": query, "status": status,
                                 "authorization": "Authorization" in headers}
        if method == "POST" and path != "/v1/oauth/tokens":
            try:
                entry["body"] = json.loads(body)
            except (UnicodeDecodeError, json.JSONDecodeError):
                entry["body"] = body.decode("utf-8", "replace")
        with self.record_lock:
            self.recent_requests.append(entry)


class RestCatalogHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "WeirRestCatalog/1"

    def dispatch(self) -> None:
        started = time.monotonic()
        try:
            body = self.read_body()
        except ValueError as error:
            self.close_connection = True
            response = Response(400, error_body(400, "BadRequestException", f"unreadable request body: {error}"))
        else:
            response = self.server.service.handle(self.command, self.path, self.headers, body, self.client_address[0])
        self.send(response)
        sys.stderr.write(f"{time.strftime('%H:%M:%S')} {self.command} {self.path} {response.status} "
                         f"{(time.monotonic() - started) * 1000:.1f}ms\n")

    do_GET = do_POST = do_HEAD = do_DELETE = do_PUT = do_PATCH = dispatch

    def read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while (size := int(self.rfile.readline().split(b";")[0].strip(), 16)) > 0:
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                pass
            return b"".join(chunks)
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def send(self, response: Response) -> None:
        payload = b"" if response.body is None else json.dumps(response.body).encode()
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if payload:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(0 if self.command == "HEAD" else len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            try:
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

    def log_request(self, code: Any = "-", size: Any = "-") -> None:
        """Requests are logged once handled, with their time (dispatch)."""

    def log_error(self, format: str, *args: Any) -> None:
        sys.stderr.write(f"{time.strftime('%H:%M:%S')} error: {format % args}\n")


class RestCatalogHTTPServer(http.server.ThreadingHTTPServer):
    def __init__(self, port: int, service: RestCatalogService):
        super().__init__(("127.0.0.1", port), RestCatalogHandler)
        self.service = service


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True, help="port on 127.0.0.1 (0 picks a free one)")
    parser.add_argument("--catalog-db", type=Path, required=True, help="SQLite file of the SqlCatalog")
    parser.add_argument("--warehouse", required=True, help="where new tables go: file:///dir or s3://bucket/path")
    parser.add_argument("--prefix", help="routes are /v1/PREFIX/..., announced by /v1/config")
    parser.add_argument("--client-id", help="OAuth2 client id; with --client-secret, tokens are required")
    parser.add_argument("--client-secret")
    parser.add_argument("--token-ttl", type=float, default=3600, help="token lifetime in seconds (default 3600)")
    parser.add_argument("--vend-s3-credentials", type=Path, metavar="FILE",
                        help="S3 keys (moto-server.sh's credentials file) used by the server and vended to clients")
    parser.add_argument("--catalog-name", default="lake", help="the SqlCatalog's name (default lake, as Weir's)")
    arguments = parser.parse_args()
    if (arguments.client_id is None) != (arguments.client_secret is None):
        parser.error("--client-id and --client-secret go together")

    properties = {"uri": f"sqlite:///{arguments.catalog_db.resolve()}", "warehouse": arguments.warehouse,
                  "schema_version": "v1"}
    vended_s3 = None
    if arguments.vend_s3_credentials:
        vended_s3 = read_s3_credentials(arguments.vend_s3_credentials)
        properties.update(vended_s3)
    arguments.catalog_db.parent.mkdir(parents=True, exist_ok=True)
    sql = SqlCatalog(arguments.catalog_name, **properties)
    tokens = (TokenIssuer(arguments.client_id, arguments.client_secret, arguments.token_ttl)
              if arguments.client_id is not None else None)
    service = RestCatalogService(CatalogOperations(sql, vended_s3), arguments.prefix, tokens, arguments.warehouse)
    server = RestCatalogHTTPServer(arguments.port, service)

    def stop(signum: int, frame: Any) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    host, port = server.server_address[:2]
    sys.stderr.write(f"rest-catalog-server: listening on http://{host}:{port}"
                     f"{' with prefix ' + service.prefix if service.prefix else ''}, warehouse {arguments.warehouse}\n")
    sys.stderr.flush()
    try:
        # The warehouse may be on moto_server (harmless elsewhere: see pyarrow_on_moto.py).
        with pyarrow_writes_to_moto():
            server.serve_forever()
    finally:
        server.server_close()
        sql.close()
    sys.stderr.write("rest-catalog-server: stopped\n")


if __name__ == "__main__":
    main()
