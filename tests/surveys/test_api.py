"""The survey API: responses in (with 400 for bad input), the IKM out, to the second decimal of a hand computation."""

import io
from datetime import date

from django.utils import timezone
from openpyxl import load_workbook

from pencet.surveys.models import SurveyResponse

TODAY = str(date.today())
FIVE = [
    [4, 4, 4, 4, 4, 4, 4, 4, 4],
    [3, 3, 3, 4, 3, 3, 3, 3, 3],
    [2, 3, 3, 4, 3, 2, 3, None, 3],
    [3, 2, 2, 4, 3, 3, 4, 3, 2],
    [4, 3, 3, 4, 4, 3, 4, 3, 3],
]


def _body(scores, **extra):
    return {
        "channel": "kiosk",
        "service": "akta-kelahiran",
        "date": str(timezone.localdate()),
        "scores": scores,
        "sex": "P",
        "age": 34,
        "education": "SMA/SMK",
        "occupation": "Wirausaha",
        "suggestion": "",
        **extra,
    }


def test_andi_enters_five_questionnaires_and_reads_the_hand_computed_ikm(api_as, ready_application, pick_up):
    pick_up(ready_application())  # one service completed today: N = 1
    andi = api_as("andi")
    for number, scores in enumerate(FIVE, start=1):
        status, body = andi.post("/surveys/responses", _body(scores, channel="paper", form_number=f"SKM-{number:03d}"))
        assert status == 201, body
        assert isinstance(body["id"], int)

    today = str(timezone.localdate())
    status, body = api_as("eka").get("/reports/ikm", **{"from": today, "to": today})

    assert status == 200, body
    assert set(body) == {"respondents", "elements", "ikm", "grade", "grade_label", "population", "required_sample"}
    assert body["respondents"] == 5
    nrr = {e["element"]: e["nrr"] for e in body["elements"]}
    # U1 16/5, U4 20/5, U7 18/5, U8 13/4 (one blank).
    assert (round(nrr[1], 2), round(nrr[4], 2), round(nrr[7], 2), round(nrr[8], 2)) == (3.2, 4.0, 3.6, 3.25)
    weighted = {e["element"]: e["weighted_nrr"] for e in body["elements"]}
    assert round(weighted[8], 4) == 0.3611
    assert body["elements"][0]["name"] == "Persyaratan"
    # Σ NRR = 3.2 + 3 + 3 + 4 + 3.4 + 3 + 3.6 + 3.25 + 3 = 29.45 → × 25/9 = 81.805… → 81.81, grade B.
    assert body["ikm"] == 81.81
    assert (body["grade"], body["grade_label"]) == ("B", "Baik")
    assert (body["population"], body["required_sample"]) == (1, 1)


def test_the_xlsx_has_one_row_per_respondent_without_identity_and_the_ikm_table(api_as):
    andi = api_as("andi")
    for scores in FIVE:
        andi.post("/surveys/responses", _body(scores, suggestion="Ruang tunggu panas"))
    today = str(timezone.localdate())

    status, response = api_as("eka").get("/reports/ikm", **{"from": today, "to": today, "format": "xlsx"})

    assert status == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["Responden"].iter_rows(values_only=True))
    assert len(rows) == 1 + 5
    assert rows[1][9:18] == (4, 4, 4, 4, 4, 4, 4, 4, 4)
    assert rows[3][16] is None  # U8 left blank
    header = " ".join(str(c) for c in rows[0]).lower()
    assert "nik" not in header and "nama" not in header and "telepon" not in header
    ikm_rows = {r[0]: r[1] for r in book["IKM"].iter_rows(values_only=True) if r and r[0]}
    assert ikm_rows["IKM"] == 81.81
    assert ikm_rows["Mutu pelayanan"] == "B"
    assert ikm_rows["U8"] == "Penanganan pengaduan, saran dan masukan"


def test_the_report_per_service_counts_only_that_service(api_as):
    andi = api_as("andi")
    andi.post("/surveys/responses", _body([4] * 9))
    andi.post("/surveys/responses", _body([1] * 9, service="kk-baru"))
    today = str(timezone.localdate())

    _status, births = api_as("eka").get("/reports/ikm", **{"from": today, "to": today, "service": "akta-kelahiran"})
    _status, overall = api_as("eka").get("/reports/ikm", **{"from": today, "to": today})

    assert (births["respondents"], births["ikm"], births["grade"]) == (1, 100.0, "A")
    # (4 + 1) / 2 = 2.5 per element → 62.50, grade D.
    assert (overall["respondents"], overall["ikm"], overall["grade"]) == (2, 62.5, "D")


def test_bad_scores_a_wrong_count_and_a_duplicate_form_number_answer_400(api_as):
    andi = api_as("andi")
    assert andi.post("/surveys/responses", _body([4, 4, 4, 4, 5, 4, 4, 4, 4]))[1]["error"] == "invalid_score"
    assert andi.post("/surveys/responses", _body([4, 4, 4, 4, 0, 4, 4, 4, 4]))[0] == 400
    assert andi.post("/surveys/responses", _body([4, 4, "x", 4, 4, 4, 4, 4, 4]))[0] == 400
    status, body = andi.post("/surveys/responses", _body([4] * 8))
    assert (status, body["error"]) == (400, "wrong_score_count")
    assert andi.post("/surveys/responses", _body([4] * 10))[0] == 400

    first = andi.post("/surveys/responses", _body([4] * 9, channel="paper", form_number="SKM-007"))
    again = api_as("gita").post("/surveys/responses", _body([3] * 9, channel="paper", form_number="SKM-007"))

    assert first[0] == 201
    assert again[0] == 400 and again[1]["error"] == "duplicate_form_number"
    assert "message" in again[1]
    assert andi.post("/surveys/responses", _body([4] * 9, channel="paper"))[1]["error"] == "form_number_required"
    assert andi.post("/surveys/responses", _body([4] * 9, service="nope"))[1]["error"] == "unknown_service"
    assert andi.post("/surveys/responses", _body([4] * 9, date="31-12-2026"))[1]["error"] == "invalid_date"
    assert SurveyResponse.objects.count() == 1


def test_another_office_may_reuse_a_form_number(api_as):
    assert api_as("andi").post("/surveys/responses", _body([4] * 9, channel="paper", form_number="001"))[0] == 201
    assert api_as("hasan").post("/surveys/responses", _body([4] * 9, channel="paper", form_number="001"))[0] == 201


def test_leadership_reads_but_does_not_enter_and_village_staff_do_neither(api_as):
    assert api_as("eka").post("/surveys/responses", _body([4] * 9))[0] == 403
    assert api_as("fajar").post("/surveys/responses", _body([4] * 9))[0] == 403
    today = str(timezone.localdate())
    assert api_as("fajar").get("/reports/ikm", **{"from": today, "to": today})[0] == 403


def test_another_offices_responses_do_not_count(api_as):
    api_as("hasan").post("/surveys/responses", _body([1] * 9))
    today = str(timezone.localdate())
    _status, body = api_as("andi").get("/reports/ikm", **{"from": today, "to": today})
    assert body["respondents"] == 0 and body["ikm"] is None and body["grade"] is None


def test_the_openapi_document_describes_the_survey_and_complaint_endpoints(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/surveys/responses" in paths
    assert "/api/v1/reports/ikm" in paths
    assert {"get", "post"} <= set(paths["/api/v1/complaints"])
