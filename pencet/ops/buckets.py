"""Latency histogram buckets shared by the middleware (which fills them) and the metrics (which read them)."""

# Seconds; a webhook acknowledgement is a few ms, a PDF render or a search a few hundred.
BUCKETS: tuple[float, ...] = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def bucket_label(le: float) -> str:
    return repr(le)
