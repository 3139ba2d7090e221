"""The leadership's summary through the API, against figures counted by hand from the known week (conftest)."""

import io
import json
from datetime import date

import pytest
from django.test import Client
from openpyxl import load_workbook

# The known week is walked once per module (week_walked): its tests stay on one worker.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("reports-summary-api")]

PERIOD = {"from": "2026-11-02", "to": "2026-11-03"}


def summary(key: str, **params: str) -> tuple[int, object]:
    response = Client().get("/api/v1/reports/summary", {**PERIOD, **params}, headers={"Authorization": f"Bearer {key}"})
    if response["Content-Type"].startswith("application/json"):
        return response.status_code, json.loads(response.content)
    return response.status_code, response


def row(body: dict, key: str) -> dict:
    return next(r for r in body["rows"] if r["key"] == key)


def test_the_head_of_office_sees_four_applications_half_of_them_online(known_week, dewi, token_of):
    status, body = summary(token_of(dewi), group_by="channel")
    assert status == 200, body
    total = body["total"]
    assert total["received"] == 4
    assert total["online"] == 2
    assert total["online_share"] == 0.5
    assert row(body, "whatsapp")["received"] == 1
    assert row(body, "aparat_desa")["received"] == 1
    assert row(body, "walk_in")["received"] == 2
    assert row(body, "walk_in")["online_share"] == 0.0


def test_two_of_four_were_ready_the_same_day_and_one_was_returned(known_week, eka, token_of):
    _status, body = summary(token_of(eka), group_by="channel")
    total = body["total"]
    assert total["same_day"] == 2  # A and C; B was signed the day after
    assert total["same_day_rate"] == 0.5
    assert total["returned"] == 1
    assert total["return_rate"] == 0.25
    assert total["ready"] == 3
    assert row(body, "aparat_desa")["returned"] == 1
    assert row(body, "aparat_desa")["same_day"] == 0


def test_turnaround_medians_and_p90s_are_the_hand_counted_minutes(known_week, eka, token_of):
    _status, body = summary(token_of(eka), group_by="channel")
    total = body["total"]
    # Reviews: A 10, B 20 (then returned) and 10 (after resubmission), C 5 → 5, 10, 10, 20.
    assert total["review_count"] == 4
    assert total["review_median_minutes"] == 10.0
    assert total["review_p90_minutes"] == 20.0
    # SIAK done → signed: A 15, B 20, C 10.
    assert total["siak_to_signed_median_minutes"] == 15.0
    assert total["siak_to_signed_p90_minutes"] == 20.0
    # Submission → signed: A 45, C 30, B from Monday 10:00 to Tuesday 09:20 = 1,400 wall minutes.
    assert total["submission_to_ready_median_minutes"] == 45.0
    assert total["submission_to_ready_p90_minutes"] == 1400.0


def test_a_late_signature_is_counted_on_the_day_the_application_was_received(known_week, gita, token_of):
    _status, body = summary(token_of(gita), group_by="day")
    assert [r["key"] for r in body["rows"]] == ["2026-11-02"]
    monday = row(body, "2026-11-02")
    assert monday["received"] == 4
    assert monday["ready"] == 3


def test_by_village_and_district_the_far_village_shows(known_week, eka, token_of):
    _status, body = summary(token_of(eka), group_by="village")
    assert row(body, "73.07.07.2007")["received"] == 4
    _status, body = summary(token_of(eka), group_by="district")
    assert row(body, "73.07.07")["received"] == 4


def test_by_officer_each_persona_has_their_own_work(known_week, eka, token_of):
    _status, body = summary(token_of(eka), group_by="officer")
    andi = row(body, "andi")
    assert andi["reviewed"] == 4  # A, C accepted; B returned, then accepted
    assert andi["review_median_minutes"] == 10.0
    assert row(body, "budi")["siak"] == 3
    assert row(body, "dewi")["signed"] == 3
    assert "hasan" not in [r["key"] for r in body["rows"]]


def test_other_offices_figures_never_show(known_week, eka, bone_leader, token_of):
    _status, body = summary(token_of(eka), group_by="channel")
    assert body["offices"] == ["SNJ"]
    assert body["total"]["received"] == 4
    _status, body = summary(token_of(bone_leader), group_by="channel")
    assert body["offices"] == ["BNE"]
    assert body["total"]["received"] == 1
    assert body["total"]["review_median_minutes"] == 5.0


def test_a_service_officer_is_refused_the_summary(known_week, andi, hasan, token_of):
    for person in (andi, hasan):
        status, body = summary(token_of(person), group_by="channel")
        assert status == 403
        assert body["error"] == "forbidden"


def test_an_unknown_grouping_is_refused(known_week, eka, token_of):
    status, _body = summary(token_of(eka), group_by="planet")
    assert status == 422


def test_the_workbook_holds_the_same_table_with_a_totals_row(known_week, eka, token_of):
    status, response = summary(token_of(eka), group_by="channel", format="xlsx")
    assert status == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[1][1].date() == date(2026, 11, 2)
    header = next(r for r in rows if r[0] == "Kanal")
    assert header[1:5] == ["Diterima", "Dokumen", "Daring (WhatsApp + aparat desa)", "Porsi daring"]
    by_label = {r[0]: dict(zip(header, r, strict=True)) for r in rows[rows.index(header) + 1 :]}
    assert by_label["Tatap muka"]["Diterima"] == 2
    assert by_label["WhatsApp"]["Diterima"] == 1
    totals = by_label["Jumlah"]
    assert totals["Diterima"] == 4
    assert totals["Porsi daring"] == 0.5
    assert totals["Persentase sehari jadi"] == 0.5
    assert totals["Persentase dikembalikan"] == 0.25
