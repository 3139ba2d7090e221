"""Every message looks for an earlier one of the same person still being handled by another worker (the citizen's
order); that look runs on every webhook, so it must go through the person's contact, never walk the office's
messages."""

import re

import pytest
from django.db import connection

from tests.plans import query_plan
from tests.wa import signed_post, wa_text

pytestmark = pytest.mark.django_db


def the_order_look(client) -> tuple[str, object]:
    """The SQL (with its parameters) of the look, as a real POST sends it."""
    looks: list[tuple[str, object]] = []

    def remember(execute, sql, params, many, context):
        if (
            sql.startswith('SELECT %s AS "a"')
            and '"whatsapp_inboundmessage"' in sql
            and '"processed_at" IS NULL' in sql
        ):
            looks.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(remember):
        signed_post(client, wa_text(text="halo"))
    [look] = looks
    return look


def test_the_look_for_an_earlier_message_reads_the_persons_messages_only(client, office, handled):
    steps = query_plan(*the_order_look(client))
    if connection.vendor == "postgresql":
        assert any(re.search(r"Index Cond: \(contact_id = ", s) for s in steps), steps
        assert not any("whatsapp_inboundmessage_office_id" in s for s in steps), steps
    else:
        assert any(re.match(r"SEARCH whatsapp_inboundmessage USING INDEX \S*contact_id\S* \(contact_id=\?\)", s)
                   for s in steps), steps  # fmt: skip
        assert not any(re.match(r"(SCAN|SEARCH) whatsapp_inboundmessage\b(?!.*contact_id)", s) for s in steps), steps
