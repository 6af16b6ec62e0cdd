"""`nianbao doctor`: the external programs a crawl uses, found or not, their versions and what each enables.

Python packages come with `pip install`; these come from the system (Debian package names below, the list
`make system-packages` and `.ci/run` install: .ci/debian-packages). Each is looked up the way the crawl runs it
(on PATH; Chromium by the path the settings give Playwright), so a PATH without a tool reads as missing here
exactly as it would fail in a crawl. `make demo` uses the same checks to skip the replica sites that need a
missing tool.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass, field

__all__ = ["Tool", "TOOLS", "check", "chromium_path", "missing_packages", "cmd_doctor"]


@dataclass(frozen=True)
class Tool:
    name: str
    command: str                    # looked up on PATH (Chromium: the settings' executable path)
    version_args: tuple[str, ...]
    packages: tuple[str, ...]       # the Debian packages that provide it
    enables: str
    demo_sites: tuple[str, ...] = ()    # replica sites (main collection) a demo crawl cannot do without it


TOOLS = (
    Tool("Chromium", "chromium", ("--version",), ("chromium",),
         "listing pages drawn by script (JSON shells) and anti-bot challenges (加速乐, 瑞数, shields, WAFs)",
         ("gkmlpt", "jsl", "ruishu", "shield", "waf")),
    # RapidOCR (a Python package, models in its wheel) is the default OCR engine: without Tesseract scans are
    # still read, so no demo site depends on it
    Tool("Tesseract + chi_sim", "tesseract", ("--version",), ("tesseract-ocr", "tesseract-ocr-chi-sim"),
         "the fallback OCR engine for scans and 图片版 images (NIANBAO_OCR_ENGINE=tesseract)"),
    Tool("LibreOffice", "soffice", ("--version",), ("libreoffice-writer-nogui", "libreoffice-calc-nogui"),
         "text of DOC, WPS, RTF and ET files; the replica's DOC/PDF/XLS attachments are made with it", ("fujian",)),
    Tool("poppler", "pdftoppm", ("-v",), ("poppler-utils",), "page images of scanned PDFs for OCR", ("fujian",)),
    Tool("antiword / catdoc", "antiword", ("-h",), ("antiword", "catdoc"), "old .doc files LibreOffice cannot open"),
    Tool("Noto CJK fonts", "fc-list", (), ("fonts-noto-cjk",),
         "Chinese in the crawl report's plots and in the replica's documents"),
    Tool("Redis", "redis-server", ("--version",), ("redis-server",),
         "distributed crawls (the shared frontier) and their tests"),
)


@dataclass
class Found:
    name: str
    found: bool
    path: str | None
    version: str | None
    packages: list[str]
    enables: str
    problem: str | None = None
    demo_sites: list[str] = field(default_factory=list)


def chromium_path() -> str | None:
    """The Chromium a crawl would launch: PLAYWRIGHT_LAUNCH_OPTIONS["executable_path"], if it is there."""
    from settings.default import PLAYWRIGHT_LAUNCH_OPTIONS

    path = PLAYWRIGHT_LAUNCH_OPTIONS.get("executable_path") or "chromium"
    return path if os.path.isabs(path) and os.access(path, os.X_OK) else shutil.which(path)


def _run(cmd: list[str]) -> str:
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"(no version: {exc})"
    out = (proc.stdout or proc.stderr).decode("utf-8", "replace").strip()
    return out.splitlines()[0].strip() if out else ""


def _check(tool: Tool) -> Found:
    path = chromium_path() if tool.command == "chromium" else shutil.which(tool.command)
    if tool.command == "antiword" and path is None:
        path = shutil.which("catdoc")
    found = Found(tool.name, path is not None, path, None, list(tool.packages), tool.enables,
                  demo_sites=list(tool.demo_sites))
    if path is None:
        found.problem = f"{tool.command} not found"
        return found
    if tool.command == "fc-list":
        fonts = _fc_list(path)
        found.found = bool(fonts)
        found.version = fonts[0] if fonts else None
        found.problem = None if fonts else "no Noto Sans CJK font installed"
        return found
    found.version = _run([path, *tool.version_args]) or None
    if tool.command == "tesseract":
        langs = subprocess.run([path, "--list-langs"], capture_output=True, timeout=60).stdout.decode().split()
        if "chi_sim" not in langs:
            found.found, found.problem = False, "tesseract has no chi_sim language data"
    if tool.command == "soffice":
        program = os.path.dirname(os.path.realpath(path))
        parts = [name for name, lib in (("writer", "libswlo.so"), ("calc", "libsclo.so"))
                 if not os.path.exists(os.path.join(program, lib))]
        if parts:
            found.found, found.problem = False, f"LibreOffice without {' and '.join(parts)}"
    return found


def _fc_list(path: str) -> list[str]:
    try:
        out = subprocess.run([path, ":family", "family"], capture_output=True, timeout=60).stdout.decode()
    except (OSError, subprocess.TimeoutExpired):
        return []
    return sorted({line.strip() for line in out.splitlines() if "Noto Sans CJK" in line})


def check() -> list[Found]:
    return [_check(tool) for tool in TOOLS]


def missing_packages(found: list[Found]) -> list[str]:
    return [pkg for f in found if not f.found for pkg in f.packages]


def render(found: list[Found]) -> str:
    from crawler.ops.status import format_table

    rows = [[f.name, "found" if f.found else "MISSING", (f.version or f.problem or "-")[:40],
             f.path or "-", " ".join(f.packages), f.enables] for f in found]
    text = format_table(["tool", "state", "version", "path", "Debian packages", "enables"], rows)
    missing = missing_packages(found)
    if missing:
        sites = sorted({site for f in found if not f.found for site in f.demo_sites})
        text += (f"\n\n{sum(not f.found for f in found)} of {len(found)} missing; install them with "
                 f"`make system-packages` (as root) or: apt-get install {' '.join(missing)}")
        if sites:
            text += f"\nmake demo skips the replica sites that need them: {', '.join(sites)}"
    else:
        text += f"\n\nall {len(found)} found"
    return text


def cmd_doctor(args) -> int:
    found = check()
    if getattr(args, "json", False):
        sys.stdout.write(json.dumps([asdict(f) for f in found], ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(render(found) + "\n")
    return 0
