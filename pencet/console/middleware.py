from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation


class IndonesianFirstLocaleMiddleware(LocaleMiddleware):
    """Bahasa Indonesia unless the person chose English with the language switch (a cookie).

    Office PCs and phones often run an English browser; the browser's Accept-Language must not turn the
    console or the simulator into English for officers who never asked for it.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class ContentSecurityPolicyMiddleware:
    """Sends settings.CONTENT_SECURITY_POLICY with every response that does not bring its own.

    Every script and style is a static file, so the policy needs neither 'unsafe-inline' nor 'unsafe-eval': an
    injected <script> or on…= attribute does not run. A view that serves citizen files sets a stricter policy
    (sandbox) itself, and that one is kept.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = "; ".join(
            f"{directive} {' '.join(sources)}".strip()
            for directive, sources in settings.CONTENT_SECURITY_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response.headers:
            response.headers["Content-Security-Policy"] = self.policy
        return response


class ForbiddenPageMiddleware:
    """A view's plain HttpResponseForbidden("why") becomes the 403 page with the layout, the reason kept.

    Views refuse with a short sentence; without this the officer would get that sentence alone on a white page.
    JSON refusals (the API) and responses rendered from a template already are left alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if type(response) is not HttpResponseForbidden:
            return response
        message = response.content.decode(response.charset or "utf-8", errors="replace").strip()
        if "<" in message:  # a whole page already (Django's CSRF failure page renders 403_csrf.html)
            return response
        page = render(request, "403.html", {"forbidden_message": message}, status=403)
        for header in ("Content-Security-Policy", "Cache-Control"):
            if header in response.headers:
                page.headers[header] = response.headers[header]
        return page
