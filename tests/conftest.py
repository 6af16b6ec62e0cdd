"""Shared fixtures: the replica portals on loopback (one process per test run) and one full crawl of them."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

# Tests talk only to 127.0.0.0/8: never through a proxy.
for _var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
    os.environ.pop(_var, None)
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.0/8,localhost"

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
NIANBAO = str(BIN / "nianbao")

# Loopback crawls: no politeness delay, short timeouts so the stall trap costs seconds, not minutes.
FAST = ["--delay", "0", "-s", "DOWNLOAD_TIMEOUT=3", "-s", "DOWNLOAD_MAXSIZE=5000000"]


@dataclass
class Crawl:
    store: Path
    returncode: int
    stdout: str
    stderr: str


def run_nianbao(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([NIANBAO, *args], capture_output=True, timeout=timeout, cwd=REPO)


@pytest.fixture(scope="session")
def replica():
    from replica import ReplicaServer

    with ReplicaServer(scale=1) as server:
        yield server


@pytest.fixture(scope="session")
def crawled(replica, tmp_path_factory) -> Crawl:
    """One crawl of every replica site from its home page, through the real CLI."""
    store = tmp_path_factory.mktemp("crawl") / "store"
    starts = [replica.url(name, "/") for name in sorted(replica.sites)]
    proc = run_nianbao("crawl", *starts, "--store", str(store), *FAST, "--log-level", "INFO", timeout=600)
    return Crawl(store, proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"))
