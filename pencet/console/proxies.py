"""Behind a TLS proxy: believe X-Forwarded-For/-Proto only from the proxies in PENCET_TRUSTED_PROXIES.

The middleware runs first. From a trusted peer it sets `REMOTE_ADDR` to the real client and keeps
`X-Forwarded-Proto` (read by SECURE_PROXY_SSL_HEADER, so HTTPS, HSTS and the CSRF origin check are right);
from anyone else it drops the forwarding headers, so a client talking to the app directly cannot claim
another address or HTTPS. Under `pencet serve` waitress has already done the same for a single proxy
(`trusted_proxy`), which leaves a client address here that is not a proxy's: nothing is done twice.
Everything else (django-axes' lockout, the access log) reads the address from here.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from pencet.lib.proxies import Network, address_is_trusted, forwarded_client, proxy_networks_parse

FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_FORWARDED")
# Where the middleware leaves the address of the peer it judged (the proxy, or the client itself).
PEER_KEY = "pencet.proxy_peer"


def trusted_proxies() -> tuple[Network, ...]:
    return proxy_networks_parse(getattr(settings, "PENCET_TRUSTED_PROXIES", ()))


class TrustedProxyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        client_ip_resolve(request)
        return self.get_response(request)


def client_ip_resolve(request: HttpRequest) -> str:
    """Judge the request once: rewrite REMOTE_ADDR to the client, drop forwarding headers nobody vouches for."""
    meta = request.META
    if PEER_KEY in meta:
        return meta.get("REMOTE_ADDR", "")
    trusted = trusted_proxies()
    peer = meta.get("REMOTE_ADDR", "") or ""
    meta[PEER_KEY] = peer
    if trusted and address_is_trusted(peer, trusted):
        meta["REMOTE_ADDR"] = forwarded_client(
            peer=peer, forwarded_for=meta.get("HTTP_X_FORWARDED_FOR", ""), trusted=trusted
        )
    else:
        for header in FORWARDING_HEADERS:
            meta.pop(header, None)
    return meta.get("REMOTE_ADDR", "")


def client_ip(request: HttpRequest) -> str:
    """AXES_CLIENT_IP_CALLABLE: the address the lockout counts failures against."""
    return client_ip_resolve(request)
