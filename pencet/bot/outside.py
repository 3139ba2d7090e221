"""Hooks for apps of the bot's own layer (pencet.outreach) that add to the conversation: the bot never imports them
(siblings in the layers), it calls the dotted paths settings lists, as the channel calls WHATSAPP_INBOUND_HANDLER.

    PENCET_BOT_INBOUND_HOOKS        fn(*, message: InboundMessage) -> bool   first, on every message; True: answered
    PENCET_BOT_SERVICE_INFO_HOOKS   fn(*, contact, office, service) -> None  after a service's information
"""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from pencet.catalog.models import Service

from .conversation import Ctx


@cache
def _resolve(paths: tuple[str, ...]) -> tuple:
    return tuple(import_string(path) for path in paths)


def inbound_hooks_answered(ctx: Ctx) -> bool:
    if ctx.message is None:
        return False
    return any(hook(message=ctx.message) for hook in _resolve(tuple(settings.PENCET_BOT_INBOUND_HOOKS)))


def service_info_hooks_run(ctx: Ctx, service: Service) -> None:
    if ctx.quiet:
        return
    for hook in _resolve(tuple(settings.PENCET_BOT_SERVICE_INFO_HOOKS)):
        hook(contact=ctx.contact, office=ctx.office, service=service)
