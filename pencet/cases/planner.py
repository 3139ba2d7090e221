"""Statistics for SQLite's query planner.

SQLite never gathers statistics by itself: without them it may walk the office's index on the review page where
the (office, status, due_at) index answers in a millisecond. After migrations (new indexes) a bounded ANALYZE runs;
every hour `PRAGMA optimize` refreshes what has drifted. PostgreSQL's autovacuum already does this: nothing to do.
"""

import logging

from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)

# Rows sampled per index: enough for the planner's choice, and seconds rather than minutes on 1,000,000 rows.
ANALYSIS_LIMIT = 1000


def planner_statistics_refresh(*, using: str = DEFAULT_DB_ALIAS, full: bool = False) -> bool:
    """`full`: ANALYZE every table (after migrations); else PRAGMA optimize. Answers whether anything ran."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        # 0x10002: consider every table, not only those this connection happened to query.
        cursor.execute("ANALYZE" if full else "PRAGMA optimize=0x10002")
    logger.info("sqlite planner statistics refreshed (%s)", "analyze" if full else "optimize")
    return True


def planner_after_migrate(*, using: str = DEFAULT_DB_ALIAS, **kwargs: object) -> None:
    """post_migrate receiver (connected once in CasesConfig.ready)."""
    planner_statistics_refresh(using=using, full=True)
