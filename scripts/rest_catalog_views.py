"""Iceberg views for scripts/rest-catalog-server.py, which PyIceberg's SqlCatalog does not keep.

A view is a row of the catalog's iceberg_tables with iceberg_type VIEW (as Java's JDBC catalog
stores views), pointing at a view metadata file under the view's location. Replacing a view
applies the spec's ViewUpdates (PyIceberg has their models for the updates views share with
tables, not the rules), writes the next metadata file and swaps the row's pointer if it still
points at the file the updates were applied to.

Errors are PyIceberg's exceptions, and ValueError for updates that cannot be applied.
"""

from __future__ import annotations

import time
import uuid
from typing import Annotated, Any, Literal

from pydantic import Field
from pyiceberg.catalog import Catalog
from pyiceberg.catalog.sql import IcebergTables, SqlCatalog
from pyiceberg.exceptions import CommitFailedException, NoSuchViewError
from pyiceberg.io import load_file_io
from pyiceberg.schema import Schema
from pyiceberg.table import TableIdentifier
from pyiceberg.table.update import (
    AddSchemaUpdate,
    AssignUUIDUpdate,
    RemovePropertiesUpdate,
    SetLocationUpdate,
    SetPropertiesUpdate,
    UpgradeFormatVersionUpdate,
)
from pyiceberg.typedef import IcebergBaseModel, Identifier
from pyiceberg.view.metadata import ViewHistoryEntry, ViewMetadata, ViewVersion
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

VIEW_TYPE = "VIEW"


class AddViewVersionUpdate(IcebergBaseModel):
    action: Literal["add-view-version"] = Field(default="add-view-version")
    view_version: ViewVersion = Field(alias="view-version")


class SetCurrentViewVersionUpdate(IcebergBaseModel):
    action: Literal["set-current-view-version"] = Field(default="set-current-view-version")
    view_version_id: int = Field(alias="view-version-id")


# The spec's ViewUpdate: the table updates a view shares, and two of its own.
ViewUpdate = Annotated[
    AssignUUIDUpdate
    | UpgradeFormatVersionUpdate
    | AddSchemaUpdate
    | SetLocationUpdate
    | SetPropertiesUpdate
    | RemovePropertiesUpdate
    | AddViewVersionUpdate
    | SetCurrentViewVersionUpdate,
    Field(discriminator="action"),
]


class AssertViewUUID(IcebergBaseModel):
    type: Literal["assert-view-uuid"]
    uuid: uuid.UUID


class CommitViewRequest(IcebergBaseModel):
    identifier: TableIdentifier | None = None
    requirements: list[AssertViewUUID] = Field(default_factory=list)
    updates: list[ViewUpdate]


class ViewStore:
    """The views of one SqlCatalog. Callers serialize changes and check that new names are free."""

    def __init__(self, sql: SqlCatalog):
        self.sql = sql

    def names_in(self, namespace: Identifier) -> list[Identifier]:
        with Session(self.sql.engine) as session:
            names = session.scalars(select(IcebergTables.table_name).where(
                IcebergTables.catalog_name == self.sql.name,
                IcebergTables.table_namespace == Catalog.namespace_to_string(namespace),
                IcebergTables.iceberg_type == VIEW_TYPE)).all()
        return sorted((*namespace, name) for name in names)

    def exists(self, identifier: Identifier) -> bool:
        try:
            self.metadata_location(identifier)
        except NoSuchViewError:
            return False
        return True

    def metadata_location(self, identifier: Identifier) -> str:
        with Session(self.sql.engine) as session:
            location = session.scalar(select(IcebergTables.metadata_location).where(*self._row(identifier)))
        if location is None:
            raise NoSuchViewError(f"view {'.'.join(identifier)} does not exist")
        return location

    def load(self, identifier: Identifier) -> tuple[str, ViewMetadata]:
        location = self.metadata_location(identifier)
        return location, self._read(location)

    def create(self, identifier: Identifier, location: str, schema: Schema, version: ViewVersion,
               properties: dict[str, str]) -> tuple[str, ViewMetadata]:
        """A new view whose first version is `version`, on `schema` whatever schema id it names."""
        version = version.model_copy(update={"schema_id": schema.schema_id})
        metadata = ViewMetadata(
            view_uuid=str(uuid.uuid4()), format_version=1, location=location, schemas=[schema],
            current_version_id=version.version_id, versions=[version],
            version_log=[ViewHistoryEntry(timestamp_ms=version.timestamp_ms, version_id=version.version_id)],
            properties=properties)
        metadata_location = self._write(metadata, 0)
        with Session(self.sql.engine) as session:
            session.execute(insert(IcebergTables).values(
                catalog_name=self.sql.name, table_namespace=Catalog.namespace_to_string(identifier[:-1]),
                table_name=identifier[-1], metadata_location=metadata_location, previous_metadata_location=None,
                iceberg_type=VIEW_TYPE))
            session.commit()
        return metadata_location, metadata

    def replace(self, identifier: Identifier, requirements: list[AssertViewUUID],
                updates: list[Any]) -> tuple[str, ViewMetadata]:
        base_location, base = self.load(identifier)
        for requirement in requirements:
            if str(requirement.uuid) != base.view_uuid:
                raise CommitFailedException(f"view UUID does not match: {requirement.uuid} != {base.view_uuid}")
        metadata = apply_view_updates(base, updates)
        metadata_location = self._write(metadata, metadata_version(base_location) + 1)
        self._update_row(identifier, {"metadata_location": metadata_location,
                                      "previous_metadata_location": base_location},
                         IcebergTables.metadata_location == base_location)
        return metadata_location, metadata

    def drop(self, identifier: Identifier) -> None:
        with Session(self.sql.engine) as session:
            result = session.execute(delete(IcebergTables).where(*self._row(identifier)))
            session.commit()
        if result.rowcount < 1:
            raise NoSuchViewError(f"view {'.'.join(identifier)} does not exist")

    def rename(self, source: Identifier, destination: Identifier) -> None:
        self._update_row(source, {"table_namespace": Catalog.namespace_to_string(destination[:-1]),
                                  "table_name": destination[-1]})

    def _row(self, identifier: Identifier) -> tuple:
        return (IcebergTables.catalog_name == self.sql.name,
                IcebergTables.table_namespace == Catalog.namespace_to_string(identifier[:-1]),
                IcebergTables.table_name == identifier[-1],
                IcebergTables.iceberg_type == VIEW_TYPE)

    def _update_row(self, identifier: Identifier, values: dict[str, Any], *conditions: Any) -> None:
        with Session(self.sql.engine) as session:
            result = session.execute(update(IcebergTables).where(*self._row(identifier), *conditions).values(**values))
            session.commit()
        if result.rowcount < 1:
            raise CommitFailedException(f"view {'.'.join(identifier)} was changed or dropped concurrently")

    def _read(self, metadata_location: str) -> ViewMetadata:
        io = load_file_io(self.sql.properties, metadata_location)
        with io.new_input(metadata_location).open() as stream:
            return ViewMetadata.model_validate_json(stream.read())

    def _write(self, metadata: ViewMetadata, version: int) -> str:
        location = f"{metadata.location}/metadata/{version:05d}-{uuid.uuid4()}.metadata.json"
        io = load_file_io(self.sql.properties, location)
        with io.new_output(location).create() as stream:
            stream.write(metadata.model_dump_json().encode())
        return location


def metadata_version(location: str) -> int:
    """The version a metadata file's name starts with (00003-<uuid>.metadata.json), -1 if none."""
    prefix = location.rsplit("/", 1)[-1].split("-", 1)[0]
    return int(prefix) if prefix.isdigit() else -1


def same_view_version(left: ViewVersion, right: ViewVersion) -> bool:
    ignored = {"version_id", "timestamp_ms"}
    return left.model_dump(exclude=ignored) == right.model_dump(exclude=ignored)


def apply_view_updates(base: ViewMetadata, updates: list[Any]) -> ViewMetadata:
    """The view metadata after `updates`, by the view spec's rules (as Java's ViewMetadata.Builder):
    -1 names the schema or version added last, and a version equal to a known one reuses its id."""
    schemas, versions = list(base.schemas), list(base.versions)
    version_log, properties = list(base.version_log), dict(base.properties)
    location, current_version_id = base.location, base.current_version_id
    last_schema_id: int | None = None
    last_version_id: int | None = None
    for change in updates:
        if isinstance(change, AssignUUIDUpdate) and str(change.uuid) != base.view_uuid:
            raise ValueError(f"cannot change the view's UUID {base.view_uuid} to {change.uuid}")
        elif isinstance(change, UpgradeFormatVersionUpdate) and change.format_version != 1:
            raise ValueError(f"view format version {change.format_version} is not supported (only 1)")
        elif isinstance(change, AddSchemaUpdate):
            schema = change.schema_
            if schema.schema_id in {known.schema_id for known in schemas}:
                schema = schema.model_copy(update={"schema_id": max(known.schema_id for known in schemas) + 1})
            schemas.append(schema)
            last_schema_id = schema.schema_id
        elif isinstance(change, SetLocationUpdate):
            location = change.location.rstrip("/")
        elif isinstance(change, SetPropertiesUpdate):
            properties.update(change.updates)
        elif isinstance(change, RemovePropertiesUpdate):
            for key in change.removals:
                properties.pop(key, None)
        elif isinstance(change, AddViewVersionUpdate):
            version = change.view_version
            if version.schema_id == -1:
                if last_schema_id is None:
                    raise ValueError("a view version names schema -1, but no schema was added")
                version = version.model_copy(update={"schema_id": last_schema_id})
            if version.schema_id not in {schema.schema_id for schema in schemas}:
                raise ValueError(f"a view version names unknown schema {version.schema_id}")
            if known := next((known for known in versions if same_view_version(known, version)), None):
                last_version_id = known.version_id
            else:
                last_version_id = max(known.version_id for known in versions) + 1
                versions.append(version.model_copy(update={"version_id": last_version_id}))
        elif isinstance(change, SetCurrentViewVersionUpdate):
            version_id = last_version_id if change.view_version_id == -1 else change.view_version_id
            if version_id not in {version.version_id for version in versions}:
                raise ValueError(f"cannot make unknown view version {change.view_version_id} current")
            current_version_id = version_id
            version_log.append(ViewHistoryEntry(timestamp_ms=int(time.time() * 1000), version_id=version_id))
    return ViewMetadata(view_uuid=base.view_uuid, format_version=1, location=location, schemas=schemas,
                        current_version_id=current_version_id, versions=versions, version_log=version_log,
                        properties=properties)
