"""Replica government portals on loopback, with ground truth, for tests, the demo and the benchmark."""

from .server import ReplicaServer
from .sites import SITE_NAMES, build_sites, expected

__all__ = ["SITE_NAMES", "ReplicaServer", "build_sites", "expected"]
