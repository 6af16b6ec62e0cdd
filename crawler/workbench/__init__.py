"""The researcher's workbench: the store searched, browsed and audited.

`index.py` builds a read-only SQLite index of a store (reports with their audit figures and regions, checks,
URLs, revisions, a Chinese full-text index); `tokens.py` is its tokenisation; `regions.py` places agencies in
China's administrative divisions (cpca); `plugin.py`, `metadata.py` and `templates/` make Datasette serve it
(`serve.py`: `nianbao serve`); `audit.py` is `nianbao audit`.
"""
