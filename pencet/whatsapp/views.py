import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import services

logger = logging.getLogger(__name__)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers and the bare endpoint of bench/webhook.py: no database, no data, no login.

    POST is accepted (and its body ignored) so the benchmark can send the webhook's own bodies to both endpoints.
    """
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def webhook(request: HttpRequest) -> HttpResponse:
    """Meta's webhook: GET is the verification handshake, POST an update batch (stored, then processed in Huey)."""
    if request.method == "GET":
        token = settings.WHATSAPP_VERIFY_TOKEN
        given = request.GET.get("hub.verify_token", "")
        if request.GET.get("hub.mode") == "subscribe" and token and constant_time_compare(given, token):
            return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
        return HttpResponse("Forbidden", status=403, content_type="text/plain")

    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return JsonResponse({"error": "bad Content-Length"}, status=400)
    if length > settings.WHATSAPP_MAX_BODY_BYTES:
        return JsonResponse({"error": "payload too large"}, status=413)
    body = request.read(settings.WHATSAPP_MAX_BODY_BYTES + 1)
    if len(body) > settings.WHATSAPP_MAX_BODY_BYTES:
        return JsonResponse({"error": "payload too large"}, status=413)
    signature = request.headers.get("X-Hub-Signature-256", "")
    if not services.webhook_signature_valid(body=body, signature=signature):
        logger.warning("webhook POST with a missing or wrong signature refused")
        return JsonResponse({"error": "invalid signature"}, status=403)
    try:
        services.webhook_body_load(body)
    except services.WebhookBodyInvalid as exc:
        # A JSON answer, never Django's HTML 500: e.g. a body nested 1,000 deep.
        return JsonResponse({"error": f"body refused: {exc}"}, status=400)
    services.webhook_delivery_store(body=body, signature=signature)
    return HttpResponse("OK", content_type="text/plain")
