"""Prometheus metrics read from the database at scrape time, so every web process answers the same figures."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.utils import timezone
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector

from pencet.cases.clocks_alerts import stage_timers_overdue
from pencet.cases.models import OPEN_STATUSES, Application
from pencet.whatsapp.models import InboundMessage, OutboundMessage, WebhookDelivery

from .buckets import BUCKETS, bucket_label
from .models import ViewLatency, WorkerHeartbeat

# The webhook sweep gives up on deliveries older than this (pencet.whatsapp.services.webhook_sweep).
DEAD_AFTER = timedelta(days=7)
# Bot replies are measured over the last hour of inbound messages (bounded work per scrape).
REPLY_WINDOW = timedelta(hours=1)
REPLY_SAMPLE_LIMIT = 5000
REPLY_BUCKETS = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 300.0)


def _histogram(values: list[float], buckets: tuple[float, ...]) -> tuple[list[tuple[str, float]], float]:
    out = [(bucket_label(le), float(sum(1 for v in values if v <= le))) for le in buckets]
    out.append(("+Inf", float(len(values))))
    return out, float(sum(values))


class PencetCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        now = timezone.now()
        yield from self._webhooks(now)
        yield from self._outbox()
        yield from self._applications(now)
        yield self._stages_overdue(now)
        yield self._bot_reply_time(now)
        yield from self._request_latency()
        yield self._workers(now)

    def _webhooks(self, now) -> Iterator[Metric]:  # noqa: ANN001
        unprocessed = Q(processed_at__isnull=True)
        row = WebhookDelivery.objects.aggregate(
            received=Count("id"),
            processed=Count("id", filter=~unprocessed),
            pending=Count("id", filter=unprocessed & Q(received_at__gte=now - DEAD_AFTER)),
            failing=Count("id", filter=unprocessed & ~Q(error="") & Q(received_at__gte=now - DEAD_AFTER)),
            dead=Count("id", filter=unprocessed & Q(received_at__lt=now - DEAD_AFTER)),
            oldest=Min("received_at", filter=unprocessed & Q(received_at__gte=now - DEAD_AFTER)),
        )
        yield CounterMetricFamily(
            "pencet_webhook_deliveries_received", "Webhook POSTs from Meta stored", value=row["received"]
        )
        yield CounterMetricFamily(
            "pencet_webhook_deliveries_processed", "Webhook POSTs fully processed", value=row["processed"]
        )
        state = GaugeMetricFamily(
            "pencet_webhook_deliveries_unprocessed",
            "Webhook POSTs not processed yet: pending (waiting or retrying), failing (an error was recorded), "
            "dead (older than the sweep's 7 days, never processed)",
            labels=["state"],
        )
        state.add_metric(["pending"], row["pending"])
        state.add_metric(["failing"], row["failing"])
        state.add_metric(["dead"], row["dead"])
        yield state
        lag = (now - row["oldest"]).total_seconds() if row["oldest"] else 0.0
        yield GaugeMetricFamily(
            "pencet_webhook_processing_lag_seconds", "Age of the oldest unprocessed webhook POST", value=lag
        )

    def _outbox(self) -> Iterator[Metric]:
        family = GaugeMetricFamily(
            "pencet_outbox_messages",
            "Outbound WhatsApp messages by status (and error code)",
            labels=["status", "reason"],
        )
        rows = OutboundMessage.objects.values("status", "error_code").annotate(n=Count("id")).order_by()
        totals: dict[tuple[str, str], int] = {}
        for item in rows:
            # The reason only matters where the message did not get through.
            failed = item["status"] in (OutboundMessage.Status.FAILED, OutboundMessage.Status.UNKNOWN)
            key = (item["status"], (item["error_code"] or "none") if failed else "")
            totals[key] = totals.get(key, 0) + item["n"]
        for status in OutboundMessage.Status.values:
            if not any(k[0] == status for k in totals):
                totals[(status, "")] = 0
        for (status, reason), count in sorted(totals.items()):
            family.add_metric([status, reason], count)
        yield family
        oldest = OutboundMessage.objects.filter(status=OutboundMessage.Status.QUEUED).aggregate(m=Min("created_at"))
        age = (timezone.now() - oldest["m"]).total_seconds() if oldest["m"] else 0.0
        yield GaugeMetricFamily("pencet_outbox_oldest_queued_seconds", "Age of the oldest queued message", value=age)

    def _applications(self, now) -> Iterator[Metric]:  # noqa: ANN001
        open_ = GaugeMetricFamily(
            "pencet_applications_open", "Open applications per stage", labels=["office", "status"]
        )
        overdue = GaugeMetricFamily(
            "pencet_applications_overdue",
            "Open applications past their expected completion",
            labels=["office", "status"],
        )
        rows = (
            Application.objects.filter(status__in=OPEN_STATUSES)
            .values("office__code", "status")
            .annotate(n=Count("id"), late=Count("id", filter=Q(due_at__lt=now)))
            .order_by()
        )
        for item in rows:
            open_.add_metric([item["office__code"], item["status"]], item["n"])
            overdue.add_metric([item["office__code"], item["status"]], item["late"])
        yield open_
        yield overdue

    def _stages_overdue(self, now) -> Metric:  # noqa: ANN001
        # The service clocks, not Application.due_at: a stage can be late while the whole application is not yet.
        overdue = GaugeMetricFamily(
            "pencet_stages_overdue",
            "Running stage clocks past their target, per office and stage",
            labels=["office", "stage"],
        )
        rows = (
            stage_timers_overdue(now=now)
            .values("office__code", "stage")
            .annotate(n=Count("id"))
            .order_by("office__code", "stage")
        )
        for item in rows:
            overdue.add_metric([item["office__code"], item["stage"]], item["n"])
        return overdue

    def _bot_reply_time(self, now) -> Metric:  # noqa: ANN001
        first_reply = (
            OutboundMessage.objects.filter(
                contact_id=OuterRef("contact_id"), created_at__gte=OuterRef("received_at"), sent_at__isnull=False
            )
            .order_by("created_at", "id")
            .values("sent_at")[:1]
        )
        rows = (
            InboundMessage.objects.filter(received_at__gte=now - REPLY_WINDOW)
            .exclude(type__in=["reaction", "system"])
            .annotate(replied_at=Subquery(first_reply))
            .filter(replied_at__isnull=False)
            .order_by("-received_at")
            .values_list("received_at", "replied_at")[:REPLY_SAMPLE_LIMIT]
        )
        values = [max(0.0, (replied - received).total_seconds()) for received, replied in rows]
        buckets, total = _histogram(values, REPLY_BUCKETS)
        family = HistogramMetricFamily(
            "pencet_bot_reply_seconds",
            "Citizen message received → first answer sent, over the last hour",
        )
        family.add_metric([], buckets, total)
        return family

    def _request_latency(self) -> Iterator[Metric]:
        family = HistogramMetricFamily(
            "pencet_request_duration_seconds", "Request latency per view, all web processes", labels=["view"]
        )
        labels = [bucket_label(le) for le in BUCKETS] + ["+Inf"]
        per_view: dict[str, dict[str, tuple[int, float]]] = {}
        for row in ViewLatency.objects.values_list("view", "le", "count", "sum_seconds"):
            per_view.setdefault(row[0], {})[row[1]] = (row[2], row[3])
        for view, counts in sorted(per_view.items()):
            # The middleware already counts cumulatively (an observation lands in every bucket above it).
            buckets = [(le, float(counts.get(le, (0, 0.0))[0])) for le in labels[:-1]]
            total_count, total_sum = counts.get("+Inf", (0, 0.0))
            buckets.append(("+Inf", float(total_count)))
            family.add_metric([view], buckets, total_sum)
        yield family

    def _workers(self, now) -> Metric:  # noqa: ANN001
        alive = WorkerHeartbeat.objects.filter(
            seen_at__gte=now - timedelta(seconds=settings.PENCET_HEARTBEAT_MAX_AGE_SECONDS)
        ).count()
        return GaugeMetricFamily(
            "pencet_queue_consumers_alive", "Huey consumers that ran the heartbeat task recently", value=alive
        )
