"""Distributed crawls: the leased Redis frontier and shared claims (frontier), and a worker's store that
puts raw bytes and feed parts on S3 beside its own SQLite catalogue (diststore)."""
