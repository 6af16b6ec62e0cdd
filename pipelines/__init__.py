"""Item pipelines: one step each (archive, extract, classify, dedupe, feed), thin shells over crawler/."""
