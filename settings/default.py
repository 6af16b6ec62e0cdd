"""The embedded default: every nianbao setting with its default and meaning, and all component wiring.

Flags on the command line map onto these (`--store` -> NIANBAO_STORE, `--delay` -> DOWNLOAD_DELAY,
`--max-pages` -> NIANBAO_MAX_LISTING_PAGES, `-s NAME=VALUE` anything). `scrapy crawl reports` reads the same
module through scrapy.cfg.
"""

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
# Contact URL published in the User-Agent so that site operators can reach the crawl's owner: the spider
# sets USER_AGENT to NIANBAO_USER_AGENT with {contact_url} filled in, unless USER_AGENT is set explicitly.
NIANBAO_CONTACT_URL = "https://github.com/nianbao/nianbao"
NIANBAO_USER_AGENT = "nianbao/0.1 (+{contact_url}; archiver of government disclosure annual reports)"

# --- nianbao: dedupe (read by pipelines.dedupe.DedupePipeline) ---------------------------------------
# Minimum estimated Jaccard similarity (MinHash) for two same-year, same-agency texts to be one report.
NIANBAO_NEAR_DUPLICATE_THRESHOLD = 0.9

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
}

ITEM_PIPELINES = {
    "pipelines.failures.RecordFailurePipeline": 100,
    "pipelines.archive.ArchivePipeline": 200,
    "pipelines.extract.ExtractPipeline": 300,
    "pipelines.classify.ClassifyPipeline": 400,
    "pipelines.dedupe.DedupePipeline": 500,
    "pipelines.feed.FeedPipeline": 600,
}

# Items carry raw bodies: log them by URL, never by repr.
LOG_FORMATTER = "spiders.logformatter.NianbaoLogFormatter"
LOG_LEVEL = "INFO"
TELNETCONSOLE_ENABLED = False
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
