"""Where reports are: canonical URLs, listing analysis (report links, columns, hubs, pagers), JSON list APIs of
script-drawn lists, anti-bot page detection, an article's attachments, and per-site hints (sites.yaml)."""
