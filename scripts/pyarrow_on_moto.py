"""Lets PyIceberg's PyArrow file IO write to moto_server (scripts/moto-server.sh).

Two things in the way, both harmless to drop for tests:
- moto, checking signatures, refuses correctly signed ListObjectsV2 requests whose
  prefix holds "/" (it verifies against its own re-encoding of the query), and
  PyArrow lists when PyIceberg checks that a new metadata file does not exist yet.
  The check is skipped: PyIceberg names every metadata file with a new UUID.
- PyArrow writes every file as a multipart upload, and its S3 SDK rejects moto's
  CompleteMultipartUpload answer. With allow_delayed_open, files smaller than a
  part go up as one PutObject, and test tables' files are small.
"""

import contextlib
from collections.abc import Iterator

import pyarrow.fs
from pyiceberg.io.pyarrow import PyArrowFile


@contextlib.contextmanager
def pyarrow_writes_to_moto() -> Iterator[None]:
    """Within the block, PyIceberg in this process can write to moto_server."""
    create, make_filesystem = PyArrowFile.create, pyarrow.fs.S3FileSystem
    PyArrowFile.create = lambda self, overwrite=False: create(self, overwrite=True)
    pyarrow.fs.S3FileSystem = lambda **options: make_filesystem(allow_delayed_open=True, **options)
    try:
        yield
    finally:
        PyArrowFile.create, pyarrow.fs.S3FileSystem = create, make_filesystem
