from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pencet.cases.selectors import queue_counts_for_user

from .decorators import staff_required


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "console/home.html", {"queues": queue_counts_for_user(user=request.user)})
