"""What is kept, and where: the local store (raw bytes + SQLite catalogue), the JSONL feed and its schema,
WARC/CDXJ/WACZ, the S3 raw archive and feed parts, and the kill points the crash tests use."""
