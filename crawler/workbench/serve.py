"""`nianbao serve`: the store's index served by Datasette, read-only, on loopback unless told otherwise.

Safety: the store is read, never written (the index is a file of its own, in a temporary directory unless
`--index FILE` names one outside the store); Datasette opens the index immutable, arbitrary SQL is off
(`default_allow_sql`), canned queries are SELECTs, SQL time is capped, every request but GET/HEAD and every request
target over 4 KB is refused (plugin.py), archived bytes are served only by a validated 64-hex digest, sandboxed.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from .index import build_index, load_deadlines, read_store
from .metadata import DATABASE, metadata

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).with_name("templates")
SETTINGS = {
    "default_allow_sql": False,      # no arbitrary SQL: tables, facets, search and the canned queries only
    "allow_download": False,
    "sql_time_limit_ms": 1500,
    "max_returned_rows": 1000,
    "facet_time_limit_ms": 400,
    "suggest_facets": False,
    "allow_csv_stream": True,
    "max_csv_mb": 50,
    "default_page_size": 50,
    "num_sql_threads": 3,
}


class ServeError(ValueError):
    pass


def index_location(store: str | os.PathLike, index: str | os.PathLike | None) -> tuple[Path, Path | None]:
    """(the index file, a temporary directory to remove afterwards or None).  The index never goes in the store."""
    store_dir = Path(store).resolve()
    if index:
        path = Path(index).resolve()
        if path == store_dir or store_dir in path.parents:
            raise ServeError(f"--index {index} is inside the store {store}: serve never writes to the store")
        if path.name != f"{DATABASE}.sqlite":
            path = path / f"{DATABASE}.sqlite" if path.is_dir() else path
        return path, None
    tmp = Path(tempfile.mkdtemp(prefix="nianbao-workbench-"))
    return tmp / f"{DATABASE}.sqlite", tmp


def make_datasette(index: str | os.PathLike, store: str | os.PathLike, replay: str | None = None):
    """A Datasette over the index with the workbench's metadata, templates and plugin."""
    from datasette.app import Datasette
    from datasette.plugins import pm

    from . import plugin

    if not pm.is_registered(plugin):
        pm.register(plugin, name=plugin.NAME)
    # Datasette 0.65's error handler prints every error (a 404 too) with rich when rich is importable, and rich
    # raises when that is not inside an except block: every 404 became a 500.  Errors are logged without it.
    import datasette.handle_exception

    datasette.handle_exception.rich = None
    meta = metadata()
    meta["plugins"] = {plugin.NAME: {"store": str(Path(store).resolve()), "replay": replay}}
    return Datasette(files=[], immutables=[str(index)], metadata=meta, settings=SETTINGS,
                     template_dir=str(TEMPLATES), cors=False)


def prepare(store: str | os.PathLike, index: str | os.PathLike | None = None,
            deadlines: str | os.PathLike | None = None) -> tuple[Path, Path | None, dict]:
    """Read the store and write its index; (index file, temp dir to clean up, counts)."""
    path, tmp = index_location(store, index)
    counts = build_index(read_store(store, load_deadlines(deadlines)), path)
    # the index database's name is the file's stem; Datasette names its database after it
    assert path.stem == DATABASE
    return path, tmp, counts


def serve(store: str, host: str = "127.0.0.1", port: int = 8001, index: str | None = None, replay: str | None = None,
          deadlines: str | None = None) -> int:
    import contextlib

    import uvicorn

    path, tmp, counts = prepare(store, index, deadlines)

    def cleanup() -> None:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)

    class Server(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self):
            # uvicorn raises SIGTERM/SIGINT again once it has stopped, so no `finally` of ours would run: the
            # temporary index is removed here, before that
            with super().capture_signals():
                try:
                    yield
                finally:
                    cleanup()

    try:
        app = make_datasette(path, store, replay).app()
        print(f"nianbao: serving {counts['reports']} reports of {store} at http://{host}:{port}/ "
              f"(read-only; index {path}, built in {counts['seconds']} s)", file=sys.stderr, flush=True)
        Server(uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                              h11_max_incomplete_event_size=16 * 1024)).run()
    finally:
        cleanup()
    return 0
