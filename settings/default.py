"""The embedded default: every nianbao setting with its default and meaning, and all component wiring.

Flags on the command line map onto these (`--store` -> NIANBAO_STORE, `--delay` -> DOWNLOAD_DELAY,
`--max-pages` -> NIANBAO_MAX_LISTING_PAGES, `-s NAME=VALUE` anything). `scrapy crawl reports` reads the same
module through scrapy.cfg.
"""

import shutil

BOT_NAME = "nianbao"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# --- nianbao: storage and feed --------------------------------------------------------------------
# Where raw bytes, the SQLite catalogue and the feed go (a local directory). Read by every pipeline.
NIANBAO_STORE = "nianbao-store"
# fsync every archived file before its rename: survives an OS crash, not only a killed crawl (~2 ms a file).
NIANBAO_FSYNC = False

# --- nianbao: discovery and listing walk (read by spiders.reports.ReportsSpider) --------------------
# Listing pages fetched per site at most (pagination traps and huge columns stop here).
NIANBAO_MAX_LISTING_PAGES = 200
# Hub pages (信息公开, 政务公开 ...) walked from a start page before the annual-report column is reached.
NIANBAO_DISCOVERY_HOPS = 2
# Completeness (crawler/discover/completeness.py): each report column's entries found are counted against what
# its pages state (共N条, totalRecord, page counts); a short column climbs the ladder static -> replayed data
# calls -> Chromium exploration, and one still short is a recorded `listing` failure with the figures; a start
# URL leading to no column is explored, then a `discovery` failure. Off in distributed crawls (no worker sees a
# whole walk).
NIANBAO_COMPLETENESS = True
# Controls (more / next / page numbers / page selects) operated per page explored in Chromium at most.
NIANBAO_EXPLORE_MAX_ACTIONS = 40
# Contact URL published in the User-Agent so that site operators can reach the crawl's owner: the spider
# sets USER_AGENT to NIANBAO_USER_AGENT with {contact_url} filled in, unless USER_AGENT is set explicitly.
NIANBAO_CONTACT_URL = "https://github.com/nianbao/nianbao"
NIANBAO_USER_AGENT = "nianbao/0.1 (+{contact_url}; archiver of government disclosure annual reports)"

# --- nianbao: incremental re-crawls (spiders.reports, crawler.ops.incremental) ------------------------------
# due | all (--recheck): known report pages re-checked with conditional requests on a run: those due by
# the schedule of crawler.ops.incremental.RECHECK_SCHEDULE (recent ones daily … old ones twice a year), or all.
NIANBAO_RECHECK = "due"
# Known reports in a row after which a listing walk stops (listings are newest first; a listing seen
# re-ordered, or with a new report below a known one, is always walked through).
NIANBAO_KNOWN_RUN = 10
# Days after which a re-crawl walks a report column through to its end even though its first pages are known
# and its figures (共N条, page count) did not grow: a back-dated report inserted below known ones without a
# re-sort is found within this many days. 0 walks every column through on every run.
NIANBAO_WALK_THROUGH_DAYS = 30
# Hours a robots.txt answer is reused from the store (RFC 9309 allows up to 24).
NIANBAO_ROBOTS_CACHE_HOURS = 24

# --- nianbao: WARC output (pipelines.warc.WarcPipeline, crawler.archive.warc) -------------------------------
# Every archived fetch (pages and their files) as WARC 1.1 under DIR/warc/: request + response records, a
# revisit record for a payload already archived; DIR/warc/index.cdxj rebuilt when the spider closes.
NIANBAO_WARC = True
# A WARC file is closed and the next one started once it passes this many (compressed) bytes.
NIANBAO_WARC_MAX_BYTES = 1_000_000_000
# WARC file names: {prefix}-{UTC stamp}-{serial}.warc.gz
NIANBAO_WARC_PREFIX = "nianbao"
# Merge the per-file CDXJ indexes into DIR/warc/index.cdxj at the end of each crawl.
NIANBAO_WARC_CDXJ = True

# --- nianbao: browser (spiders.browser, spiders.challenges, spiders.reports) ---------------------------
# never | auto | always (--browser). auto: Chromium renders only listing pages whose list a script draws
# (no links found, an app root or a fetch/XHR call in the page) and pages behind an anti-bot challenge;
# always: every listing page too (articles and files are always fetched plainly, for their exact bytes);
# never: no browser; a challenge is then a recorded failure.
NIANBAO_BROWSER = "auto"
# Listing pages rendered per site at most (a site of shells cannot turn the crawl into a browser crawl).
NIANBAO_MAX_RENDERS_PER_SITE = 20
# Browser clearings per host that fail to give a plain page before the host's requests are failures.
NIANBAO_CHALLENGE_MAX_CLEARS = 3
# Seconds a rendered challenge may take to set its cookies and reload (two 521 rounds included).
NIANBAO_CHALLENGE_WAIT = 20.0
# The browser's User-Agent: a current Chrome's (what challenges and WAFs expect) naming nianbao and its
# contact URL. Hosts cleared in the browser get it for their plain requests too (cookies are bound to it).
NIANBAO_BROWSER_USER_AGENT = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                              "Chrome/156.0.0.0 Safari/537.36 nianbao/0.1 (+{contact_url})")

# --- nianbao: dedupe (read by pipelines.dedupe.DedupePipeline) ---------------------------------------
# Minimum estimated Jaccard similarity (MinHash) for two same-year, same-agency texts to be one report.
NIANBAO_NEAR_DUPLICATE_THRESHOLD = 0.9

# --- nianbao: OCR of scans and 图片版 pages (crawler.read.ocr; set by pipelines.extract.ExtractPipeline) -----
# rapidocr: PP-OCRv4 models run by onnxruntime, shipped inside the rapidocr-onnxruntime wheel (nothing is
# downloaded); on the replica's scans 0.99+ of the text and the table cells right, ~3x Tesseract's CPU per
# page. tesseract: Debian's tesseract-ocr + chi-sim; faster, loses table digits. None: the environment
# variable NIANBAO_OCR_ENGINE, else rapidocr. A missing engine or model is one warning line and the other
# engine reads; with neither, a scanned file is a recorded failure.
NIANBAO_OCR_ENGINE = None

# --- nianbao: broken TLS (spiders.tls.NianbaoClientContextFactory, spiders.fallback) -----------------
# Portals serve self-signed or incomplete chains, TLS 1.0 with old ciphers, or no https at all: public
# documents, so connect anyway (certificates are checked and recorded, never enforced) and note in the
# store's host table what each host needed (legacy_tls, untrusted_certificate, http_fallback).
NIANBAO_TLS_CONTEXT_FACTORY = "spiders.tls.NianbaoClientContextFactory"   # set on spiders.browser's handler
# Scrapy's floor for the protocol version; the best version the server offers is still negotiated.
DOWNLOAD_TLS_MIN_VERSION = "TLSv1.0"
# OpenSSL security level of TLS connections (0-5). 0 allows TLS 1.0/1.1, SHA-1 and small keys, which
# OpenSSL 3 refuses at its default level 1. Read by NianbaoClientContextFactory.
NIANBAO_TLS_SECURITY_LEVEL = 0
# PEM file of CA certificates a chain must verify against to count as trusted; "" = the system store.
# Only decides what is noted as untrusted_certificate: no certificate ever stops a fetch.
NIANBAO_TLS_CA_FILE = ""
# Retry an https URL that cannot connect or complete TLS once over http://, and send the host's later
# https URLs straight to http when that worked. Read by spiders.fallback.HttpFallbackMiddleware.
NIANBAO_HTTP_FALLBACK_ENABLED = True

# --- Scrapy: politeness fitted to government sites --------------------------------------------------
ROBOTSTXT_OBEY = True
# Government portals are small servers; one request every two seconds per host, two at a time at most.
DOWNLOAD_DELAY = 2.0
DOWNLOAD_DELAY_JITTER = 0.5                # each delay varies by ±50 % so requests do not tick like a bot
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# --- Scrapy: traps and bad input -------------------------------------------------------------------
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024      # a larger body is a recorded failure
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
DOWNLOAD_TIMEOUT = 60                    # seconds before a stalled response is abandoned (then retried)
DOWNLOAD_FAIL_ON_DATALOSS = True         # a body shorter than its Content-Length is a failure, not a page
RETRY_ENABLED = True
RETRY_TIMES = 2                          # 5xx and timeouts: three tries in all
REDIRECT_MAX_TIMES = 5

DOWNLOADER_MIDDLEWARES = {
    # responses travel from high to low numbers: above RedirectMiddleware (600) it sees the 3xx first and
    # refuses a redirect back to a URL of the same chain
    "spiders.middlewares.RedirectLoopMiddleware": 610,
    # above RetryMiddleware (550): a TLS or connect failure of https goes to http at once, not after two
    # useless https retries; above RedirectMiddleware (600) and RedirectLoopMiddleware (610): it sees the
    # http answer before a 3xx becomes a new request, and its fallback hop is in redirect_urls for the loop
    # check. Below CookiesMiddleware (700): a rewritten request returns before cookies are attached.
    "spiders.fallback.HttpFallbackMiddleware": 620,
    # above CookiesMiddleware (700): its clearance cookies are merged into the Cookie header the jar wrote,
    # and it sees a challenge response before retry, redirect and cookie handling do
    "spiders.challenges.ChallengeMiddleware": 750,
    # a fresh cached robots.txt answers before any network; below HttpCompressionMiddleware (590), whose
    # process_response runs first, so the decoded body is what is stored
    "spiders.middlewares.RobotsCacheMiddleware": 580,
}

# --- Scrapy-playwright: Debian's Chromium, started lazily (spiders.browser) ------------------------------
DOWNLOAD_HANDLERS = {
    "http": "spiders.browser.LazyPlaywrightHandler",
    "https": "spiders.browser.LazyPlaywrightHandler",
}
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = {
    # Debian's package (no browser download is possible), found on PATH like every other tool the crawl runs,
    # so that `nianbao doctor` and a crawl agree on whether it is there
    "executable_path": shutil.which("chromium") or "chromium",
    "headless": True,
    "args": ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-gpu", "--no-first-run"],
}
# The browser sends its own headers (its User-Agent among them), not Scrapy's: challenges check them.
PLAYWRIGHT_PROCESS_REQUEST_HEADERS = None
# Images, fonts and media are never needed to draw a list or pass a challenge.
PLAYWRIGHT_ABORT_REQUEST = "spiders.browser.skip_heavy_resources"
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30_000
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4

ITEM_PIPELINES = {
    "pipelines.failures.RecordFailurePipeline": 100,
    "pipelines.archive.ArchivePipeline": 200,
    "pipelines.warc.WarcPipeline": 250,
    "pipelines.extract.ExtractPipeline": 300,
    "pipelines.classify.ClassifyPipeline": 400,
    "pipelines.dedupe.DedupePipeline": 500,
    "pipelines.feed.FeedPipeline": 600,
    "pipelines.parse.ParsePipeline": 700,
    # last: the fed report's feed record (no raw bytes) is what Scrapy's feed exports (-O items.jsonl) write
    "pipelines.output.FeedRecordPipeline": 900,
}
# Parse each fed report into DIR/parsed/v<N>.jsonl as the crawl goes (the parsing stage, crawler.parsing);
# off, `nianbao parse --store DIR` does it afterwards.
NIANBAO_PARSE = True

EXTENSIONS = {
    # the run's row in the store (its id stamps events and failures; a killed run keeps no finish time)
    "spiders.runs.RunRecorder": 0,
    "spiders.runs.ProgressLog": 0,
    # with NIANBAO_QUIET_LOG: no Scrapy banner below --log-level DEBUG, failures without tracebacks
    "spiders.logformatter.QuietLog": 0,
}
# The nianbao command's log (`nianbao crawl`, `backfill`, `worker` set it): one line per fed report and per
# failure, Scrapy's start-up banner and tracebacks only at DEBUG (spiders.logformatter). Off, `scrapy crawl`
# and scrapyd jobs log as Scrapy does.
NIANBAO_QUIET_LOG = False
# Seconds between two progress lines (sites done / total, reports found/new/revised, failures, queue, rate,
# the request waited on longest), logged at INFO or at LOG_LEVEL when higher; 0 turns them off. Scrapy's own
# LogStats line says the same in pages and items: off.
NIANBAO_PROGRESS_INTERVAL = 10.0
LOGSTATS_INTERVAL = 0

# Items carry raw bodies: log them by URL, never by repr.
LOG_FORMATTER = "spiders.logformatter.NianbaoLogFormatter"
LOG_LEVEL = "INFO"
TELNETCONSOLE_ENABLED = False
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
