"""Webhook acknowledgement latency and throughput against a running Pencet server (figures printed, nothing
asserted).

    .venv/bin/python bench/webhook_ack.py --url http://127.0.0.1:8000 --secret simulator-app-secret \\
        --verify-token simulator-verify-token --count 1000 --concurrency 1 4 16

For each concurrency level it sends `count` signed POSTs (status updates for unknown message ids, so the
worker's share stays small) and, side by side, `count` GET handshakes with the verify token: the nearest thing
to a bare endpoint on the same server (same middleware, no database). Prints requests/s, p50, p95 and p99.
"""

import argparse
import json
import statistics
import sys
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pencet.whatsapp.payloads import PHONE_NUMBER_ID, new_wamid, signature_header, wa_status  # noqa: E402


def run(*, count: int, concurrency: int, request: callable) -> tuple[float, list[float], int]:
    timings: list[float] = []
    failures = [0]
    lock = threading.Lock()
    per_thread = count // concurrency

    def worker() -> None:
        with httpx.Client(timeout=30) as client:
            for _ in range(per_thread):
                started = time.perf_counter()
                ok = request(client)
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    timings.append(elapsed)
                    failures[0] += not ok

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(timings) / (time.perf_counter() - started), sorted(timings), failures[0]


def pct(values: list[float], p: float) -> float:
    return values[max(0, int(len(values) * p) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--secret", default="simulator-app-secret")
    parser.add_argument("--verify-token", default="simulator-verify-token")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1])
    parser.add_argument("--phone-number-id", default=PHONE_NUMBER_ID)
    args = parser.parse_args()
    url = args.url.rstrip("/") + "/whatsapp/webhook/"

    def signed_post(client: httpx.Client) -> bool:
        raw = json.dumps(wa_status(wamid=new_wamid(), phone_number_id=args.phone_number_id)).encode()
        headers = {"Content-Type": "application/json", "X-Hub-Signature-256": signature_header(raw, args.secret)}
        return client.post(url, content=raw, headers=headers).status_code == 200

    def handshake(client: httpx.Client) -> bool:
        params = {"hub.mode": "subscribe", "hub.verify_token": args.verify_token, "hub.challenge": "1"}
        return client.get(url, params=params).status_code == 200

    print(f"{url}, {args.count} requests per run")
    print(f"{'endpoint':<22}{'conc':>5}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'failed':>8}")
    for concurrency in args.concurrency:
        for name, request in (("signed webhook POST", signed_post), ("bare (GET handshake)", handshake)):
            rate, timings, failed = run(count=args.count, concurrency=concurrency, request=request)
            print(
                f"{name:<22}{concurrency:>5}{rate:>9.0f}{statistics.median(timings):>9.1f}"
                f"{pct(timings, 0.95):>9.1f}{pct(timings, 0.99):>9.1f}{failed:>8}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
