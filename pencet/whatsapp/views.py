from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def webhook(request: HttpRequest) -> HttpResponse:
    """Placeholder until issue 3 lands."""
    return HttpResponse(status=503)
