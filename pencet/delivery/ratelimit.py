"""A per-client budget for the public status page, in Django's cache (one counter per address and minute).

Enough for a citizen who mistypes a few times, far too little to walk through tokens or codes. With several
server processes use a shared cache (Redis, database) so the budget is one per client, not one per process.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

WINDOW_SECONDS = 60


def status_lookup_allowed(*, request: HttpRequest) -> bool:
    """Count this lookup; False once the client has used up this minute's budget."""
    # REMOTE_ADDR is the client's as pencet.console.proxies judged it (never a forwarded header it distrusts).
    client = request.META.get("REMOTE_ADDR") or "unknown"
    window = int(time.time() // WINDOW_SECONDS)
    key = f"pencet:status-lookups:{client}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        count = cache.incr(key)
    except ValueError:
        # Evicted between add and incr: start again.
        cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
        count = 1
    return count <= settings.PENCET_STATUS_RATE_LIMIT
