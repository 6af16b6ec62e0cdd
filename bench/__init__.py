"""`make bench`: throughput and extraction figures of nianbao against baselines run in the same process."""
