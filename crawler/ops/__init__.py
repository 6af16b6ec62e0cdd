"""Operating the crawl: re-check schedules and revisions (incremental), `nianbao status`, the HTML crawl
report, and `make demo`."""
