"""Meta's status webhooks for the Graph API stand-in, as Meta sends them: for every send a FakeGraph accepts, a
signed `sent` status (then `delivered`) carrying the send's wamid and its biz_opaque_callback_data, POSTed to the
app's webhook from background threads and tried again until it is answered with 200.

    webhooks = StatusWebhooks(url="http://127.0.0.1:8000/whatsapp/webhook/", app_secret="…")
    webhooks.attach(graph)          # graph.on_send posts the statuses from now on
    webhooks.pending()              # statuses not acknowledged yet

Framework-free like fakegraph.py: used by `pencet fake-graph --webhook URL` and bench/scaleout.py (the simulator
posts its own statuses in-process, simulator.py).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections import deque

from .fakegraph import FakeGraph
from .payloads import signature_header, wa_status


class StatusWebhooks:
    def __init__(
        self,
        *,
        url: str,
        app_secret: str,
        statuses: tuple[str, ...] = ("sent", "delivered"),
        threads: int = 2,
        retry_seconds: float = 0.5,
    ) -> None:
        self.url = url
        self.app_secret = app_secret
        self.statuses = statuses
        self.retry_seconds = retry_seconds
        self.posted = 0
        self._queue: deque[dict] = deque()
        self._in_flight = 0
        self._ready = threading.Condition()
        for _ in range(threads):
            threading.Thread(target=self._run, daemon=True).start()

    def attach(self, graph: FakeGraph) -> None:
        graph.on_send = self.on_send

    def on_send(self, phone_number_id: str, body: dict, wamid: str) -> None:
        items = [
            wa_status(
                wamid=wamid,
                status=status,
                phone=body.get("to") or None,
                user_id=body.get("recipient"),
                biz_opaque_callback_data=body.get("biz_opaque_callback_data"),
                phone_number_id=phone_number_id,
            )
            for status in self.statuses
        ]
        with self._ready:
            self._queue.extend(items)
            self._ready.notify(len(items))

    def pending(self) -> int:
        with self._ready:
            return len(self._queue) + self._in_flight

    def _run(self) -> None:
        while True:
            with self._ready:
                while not self._queue:
                    self._ready.wait()
                payload = self._queue.popleft()
                self._in_flight += 1
            delivered = self._post(payload)
            with self._ready:
                self._in_flight -= 1
                if delivered:
                    self.posted += 1
                else:
                    self._queue.append(payload)  # like Meta: again later, until the app answers 200
                    self._ready.notify()
            if not delivered:
                time.sleep(self.retry_seconds)

    def _post(self, payload: dict) -> bool:
        raw = json.dumps(payload).encode()
        request = urllib.request.Request(
            self.url,
            data=raw,
            headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature_header(raw, self.app_secret)},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                response.read()
                return response.status == 200
        except OSError:
            return False
