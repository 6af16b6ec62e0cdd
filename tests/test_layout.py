"""The layout README's architecture map describes: crawler/'s rooms depend on each other one way, the Scrapy
shells (spiders/, pipelines/) import only from crawler's subpackages, and the replica imports no crawler code."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OURS = {"crawler", "spiders", "pipelines", "replica", "settings"}


def _room(module: str) -> str:
    """crawler.discover.listing -> crawler.discover; crawler.cli -> crawler.cli; spiders.reports -> spiders."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "crawler" and len(parts) > 1 else parts[0]


def _imports() -> dict[str, dict[str, set[str]]]:
    """room -> imported room -> the files that import it (every import, lazy ones inside functions too)."""
    edges: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for top in ("crawler", "spiders", "pipelines", "replica"):
        for path in (REPO / top).rglob("*.py"):
            rel = path.relative_to(REPO).with_suffix("")
            src = _room(".".join(rel.parts).removesuffix(".__init__"))
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    targets = [node.module] if node.module != "crawler" else [f"crawler.{a.name}" for a in node.names]
                elif isinstance(node, ast.Import):
                    targets = [a.name for a in node.names]
                else:
                    continue
                for target in targets:
                    dst = _room(target)
                    if target.split(".")[0] in OURS and dst != src:
                        edges[src][dst].add(str(rel))
    return edges


def test_crawler_rooms_import_each_other_without_a_circle():
    edges = _imports()
    rooms = {r for r in edges if r.startswith("crawler.")}
    state: dict[str, int] = {}
    circles = []

    def visit(room: str, path: list[str]) -> None:
        state[room] = 1
        for nxt in edges.get(room, {}):
            if not nxt.startswith("crawler."):
                continue
            if state.get(nxt) == 1:
                circles.append(path[path.index(nxt):] + [nxt] if nxt in path else path + [nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[room] = 2

    for room in sorted(rooms):
        if room not in state:
            visit(room, [room])
    assert not circles, [(c, [sorted(edges[a][b]) for a, b in zip(c, c[1:])]) for c in circles]


def test_the_lowest_rooms_stay_low():
    edges = _imports()
    assert set(edges.get("crawler.read", {})) <= {"crawler.vocab"}, dict(edges["crawler.read"])
    assert "crawler.ops" not in edges.get("crawler.archive", {})
    assert "crawler.cli" not in {d for src in edges for d in edges[src] if src != "crawler.cli"}


def test_shells_import_only_crawler_subpackages_and_not_each_other():
    edges = _imports()
    for shell in ("spiders", "pipelines"):
        foreign = {dst: sorted(files) for dst, files in edges[shell].items() if not dst.startswith("crawler.")}
        assert not foreign, f"{shell} imports {foreign}"


def test_replica_imports_no_crawler_code():
    edges = _imports()
    assert not {d for d in edges.get("replica", {}) if d.startswith("crawler")}, dict(edges["replica"])
