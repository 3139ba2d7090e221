"""/healthz/: the load balancer's liveness check (and the benchmark's bare endpoint) answers without the database."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def test_the_health_check_answers_ok_without_login_or_database(client, db):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert len(queries) == 0


def test_the_health_check_accepts_a_post_and_stores_nothing(client, db):
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/healthz/", data=b'{"entry": []}', content_type="application/json")
    assert response.status_code == 200
    assert len(queries) == 0
