"""Report or not, new or not: the classifier (report vs look-alike, with reasons) and content ids, MinHash
signatures and near-duplicate matching."""
