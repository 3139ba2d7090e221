"""The Application state machine (pencet/cases/services.py, rules in cases/policies.py): who may move an application,
from where, to where. Every expectation below is written out by hand from the README's table, never read from
the code under test."""

from collections.abc import Callable
from types import SimpleNamespace

import pytest

from pencet.accounts.models import Role, User
from pencet.accounts.services import user_create
from pencet.cases import services as cases
from pencet.cases.models import Application, Channel, Event, ReviewItem, Status
from pencet.cases.services import ApplicationPermissionError, ReviewVerdict, TransitionError


@pytest.fixture(autouse=True)
def fast_passwords(settings) -> None:
    # The personas are created with a password; the production hasher would make every test take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


PERSONA = {
    Role.SERVICE_OFFICER: "andi",
    Role.OPERATOR: "budi",
    Role.VERIFIER: "citra",
    Role.SIGNER: "dewi",
    Role.LEADERSHIP: "eka",
    Role.VILLAGE_STAFF: "fajar",
    Role.ADMIN: "gita",
}


@pytest.fixture
def yanti(office) -> User:
    """A second operator SIAK of Sinjai, to take work over to."""
    return user_create(username="yanti", office=office, roles=[Role.OPERATOR], first_name="Yanti")


@pytest.fixture
def make(office, akta_kelahiran, bonto_katute) -> Callable[..., Application]:
    """A Bonto Katute application placed directly in `status`, so each transition is tested on its own."""

    def _make(status: str, *, claimed_by: User | None = None, channel: str = Channel.WHATSAPP) -> Application:
        application = cases.application_create(
            office=office, service=akta_kelahiran, village=bonto_katute, applicant_name="Siti Aminah", channel=channel
        )
        Application.objects.filter(pk=application.pk).update(status=status, claimed_by=claimed_by)
        application.refresh_from_db()
        return application

    return _make


def _missing(application: Application) -> list[ReviewVerdict]:
    requirement = application.service.requirements.first()
    return [ReviewVerdict(requirement=requirement, verdict=ReviewItem.Verdict.MISSING, reason="Belum diunggah")]


# How each transition is asked for; `extra` carries the other people some of them need.
ACT: dict[str, Callable[[Application, User | None, SimpleNamespace], Application]] = {
    "submit": lambda a, u, x: cases.application_submit(application=a, actor=u),
    "resubmit": lambda a, u, x: cases.application_resubmit(application=a, actor=u),
    "accept": lambda a, u, x: cases.application_accept(application=a, actor=u),
    "return": lambda a, u, x: cases.application_return(application=a, actor=u, items=_missing(a)),
    "reject": lambda a, u, x: cases.application_reject(application=a, actor=u, reason="Bukan penduduk Sinjai"),
    "claim": lambda a, u, x: cases.application_claim(application=a, actor=u),
    "release": lambda a, u, x: cases.application_release(application=a, actor=u),
    "take_over": lambda a, u, x: cases.application_take_over(application=a, actor=u, operator=x.yanti),
    "complete_siak": lambda a, u, x: cases.application_complete_siak(
        application=a, actor=u, siak_reference="AL.7307.0012345"
    ),
    "approve": lambda a, u, x: cases.application_approve(application=a, actor=u),
    "send_back": lambda a, u, x: cases.application_send_back(application=a, actor=u, reason="Nama ayah salah ketik"),
    "sign": lambda a, u, x: cases.application_sign(application=a, actor=u),
    "deliver": lambda a, u, x: cases.application_mark_delivered(application=a, actor=u, channel="email"),
    "pick_up": lambda a, u, x: cases.application_pick_up(
        application=a, actor=u, collected_by="Siti Aminah", is_representative=False, originals_seen=["kk"]
    ),
    "cancel": lambda a, u, x: cases.application_cancel(application=a, actor=u, reason="Permintaan pemohon"),
    "expire": lambda a, u, x: cases.application_expire(application=a),
}


def _holder(name: str, actor: User, budi: User) -> User | None:
    """Who holds the application before `name`: an operator completes their own work; others act on budi's."""
    if name == "complete_siak":
        return actor
    if name in ("release", "take_over", "send_back"):
        return budi
    return None


S, R = Status, Role
DESK = (R.SERVICE_OFFICER, R.ADMIN)
STAFF_BUT_LEADERSHIP = (R.SERVICE_OFFICER, R.OPERATOR, R.VERIFIER, R.SIGNER, R.VILLAGE_STAFF, R.ADMIN)

# Where each transition leads.
TARGET = {
    "submit": S.SUBMITTED,
    "resubmit": S.SUBMITTED,
    "accept": S.ACCEPTED,
    "return": S.RETURNED,
    "reject": S.REJECTED,
    "claim": S.IN_PROCESS,
    "release": S.ACCEPTED,
    "take_over": S.IN_PROCESS,
    "complete_siak": S.AWAITING_VERIFICATION,
    "approve": S.AWAITING_SIGNATURE,
    "send_back": S.IN_PROCESS,
    "sign": S.READY,
    "deliver": S.DELIVERED,
    "pick_up": S.PICKED_UP,
    "cancel": S.CANCELLED,
    "expire": S.EXPIRED,
}

# What the officer reads in a refusal.
LABEL = {
    "submit": "Ajukan",
    "resubmit": "Ajukan ulang",
    "accept": "Terima",
    "reject": "Tolak",
    "claim": "Ambil",
    "release": "Lepaskan",
    "approve": "Setujui",
    "sign": "Tanda tangani",
    "pick_up": "Diambil",
    "cancel": "Batalkan",
}

# (transition, from, role) for every allowed combination.
ALLOWED = (
    [("submit", S.DRAFT, r) for r in STAFF_BUT_LEADERSHIP]
    # Staff resubmit only what was registered in the console (a WhatsApp one is the citizen's), and those who add
    # the missing files do it.
    + [("resubmit", S.RETURNED, r) for r in (R.SERVICE_OFFICER, R.OPERATOR, R.VILLAGE_STAFF, R.ADMIN)]
    + [("accept", S.SUBMITTED, r) for r in DESK]
    + [("return", S.SUBMITTED, r) for r in DESK]
    + [("reject", source, r) for source in (S.SUBMITTED, S.RETURNED) for r in DESK]
    + [("claim", S.ACCEPTED, R.OPERATOR)]
    + [("release", S.IN_PROCESS, r) for r in (R.OPERATOR, R.ADMIN)]
    + [("take_over", S.IN_PROCESS, R.ADMIN)]
    + [("complete_siak", S.IN_PROCESS, R.OPERATOR)]
    + [("approve", S.AWAITING_VERIFICATION, R.VERIFIER)]
    + [("send_back", S.AWAITING_VERIFICATION, R.VERIFIER)]
    + [("sign", S.AWAITING_SIGNATURE, R.SIGNER)]
    + [("deliver", S.READY, r) for r in (R.SERVICE_OFFICER, R.OPERATOR, R.ADMIN)]
    + [("pick_up", S.READY, r) for r in DESK]
    + [("cancel", source, r) for source in (S.DRAFT, S.SUBMITTED, S.RETURNED) for r in DESK]
)


def test_every_transition_but_expiry_is_open_to_some_staff_role():
    assert {name for name, _source, _role in ALLOWED} == set(TARGET) - {"expire"} == set(ACT) - {"expire"}


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "source", "role"), ALLOWED, ids=[f"{n}-{s}-{r}" for n, s, r in ALLOWED])
def test_a_role_may_make_each_transition_it_is_allowed(request, make, budi, yanti, name, source, role):
    actor = request.getfixturevalue(PERSONA[role])
    channel = Channel.WALK_IN if name == "resubmit" else Channel.WHATSAPP
    application = make(source, claimed_by=_holder(name, actor, budi), channel=channel)
    target = TARGET[name]

    ACT[name](application, actor, SimpleNamespace(yanti=yanti))

    application.refresh_from_db()
    assert application.status == target
    event = application.events.last()
    assert (event.kind, event.from_status, event.to_status, event.actor) == (name, source, target, actor)
    if target in (Status.DELIVERED, Status.PICKED_UP, Status.REJECTED, Status.CANCELLED):
        assert application.closed_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize("source", [Status.DRAFT, Status.RETURNED])
def test_the_system_expires_a_forgotten_draft_or_returned_application(make, source):
    application = make(source)
    cases.application_expire(application=application)
    application.refresh_from_db()
    assert application.status == Status.EXPIRED
    assert application.closed_at is not None
    assert application.events.last().actor_label == "sistem"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("submit", Status.DRAFT),
        ("resubmit", Status.RETURNED),
        ("cancel", Status.SUBMITTED),
        ("deliver", Status.READY),
    ],
)
def test_the_citizen_or_system_may_submit_cancel_and_deliver(make, name, source):
    application = make(source)
    ACT[name](application, None, SimpleNamespace())
    application.refresh_from_db()
    assert application.status == TARGET[name]
    assert application.events.last().actor is None


def _assert_nothing_happened(application: Application, *, status: str, events: int) -> None:
    application.refresh_from_db()
    assert application.status == status
    assert application.events.count() == events


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "source"),
    [("accept", Status.SUBMITTED), ("claim", Status.ACCEPTED), ("approve", Status.AWAITING_VERIFICATION)],
)
def test_without_a_staff_account_nothing_past_submission_happens(make, name, source):
    application = make(source)
    with pytest.raises(ApplicationPermissionError):
        ACT[name](application, None, SimpleNamespace())
    _assert_nothing_happened(application, status=source, events=1)


REFUSED = [
    (Role.SERVICE_OFFICER, "claim", Status.ACCEPTED),
    (Role.SERVICE_OFFICER, "approve", Status.AWAITING_VERIFICATION),
    (Role.SERVICE_OFFICER, "sign", Status.AWAITING_SIGNATURE),
    (Role.OPERATOR, "accept", Status.SUBMITTED),
    (Role.OPERATOR, "approve", Status.AWAITING_VERIFICATION),
    (Role.OPERATOR, "pick_up", Status.READY),
    (Role.VERIFIER, "accept", Status.SUBMITTED),
    (Role.VERIFIER, "sign", Status.AWAITING_SIGNATURE),
    (Role.VERIFIER, "release", Status.IN_PROCESS),
    (Role.SIGNER, "approve", Status.AWAITING_VERIFICATION),
    (Role.SIGNER, "reject", Status.SUBMITTED),
    (Role.LEADERSHIP, "submit", Status.DRAFT),
    (Role.LEADERSHIP, "accept", Status.SUBMITTED),
    (Role.LEADERSHIP, "sign", Status.AWAITING_SIGNATURE),
    (Role.VILLAGE_STAFF, "accept", Status.SUBMITTED),
    (Role.VILLAGE_STAFF, "cancel", Status.SUBMITTED),
    (Role.VILLAGE_STAFF, "pick_up", Status.READY),
    (Role.ADMIN, "claim", Status.ACCEPTED),
    (Role.ADMIN, "approve", Status.AWAITING_VERIFICATION),
    (Role.ADMIN, "sign", Status.AWAITING_SIGNATURE),
]


def test_every_role_has_something_it_may_not_do():
    assert {role for role, _name, _source in REFUSED} == set(Role)


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "name", "source"), REFUSED, ids=[f"{r}-{n}" for r, n, s in REFUSED])
def test_a_role_is_refused_a_transition_it_may_not_do_and_nothing_changes(request, make, budi, role, name, source):
    actor = request.getfixturevalue(PERSONA[role])
    application = make(source, claimed_by=budi if source == Status.IN_PROCESS else None)
    with pytest.raises(ApplicationPermissionError) as refused:
        ACT[name](application, actor, SimpleNamespace())
    assert f"'{LABEL[name]}'" in refused.value.message
    _assert_nothing_happened(application, status=source, events=1)


EVERY_TRANSITION = [
    ("submit", S.DRAFT),
    ("resubmit", S.RETURNED),
    ("accept", S.SUBMITTED),
    ("return", S.SUBMITTED),
    ("reject", S.SUBMITTED),
    ("claim", S.ACCEPTED),
    ("release", S.IN_PROCESS),
    ("take_over", S.IN_PROCESS),
    ("complete_siak", S.IN_PROCESS),
    ("approve", S.AWAITING_VERIFICATION),
    ("send_back", S.AWAITING_VERIFICATION),
    ("sign", S.AWAITING_SIGNATURE),
    ("deliver", S.READY),
    ("pick_up", S.READY),
    ("cancel", S.DRAFT),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "source"), EVERY_TRANSITION, ids=[n for n, _s in EVERY_TRANSITION])
def test_an_officer_of_another_office_is_refused_everything(make, hasan, budi, yanti, name, source):
    application = make(source, claimed_by=budi if source == Status.IN_PROCESS else None)
    with pytest.raises(ApplicationPermissionError) as refused:
        ACT[name](application, hasan, SimpleNamespace(yanti=yanti))
    # The office decides before the role, the status or who holds it: hasan learns nothing about the application.
    assert refused.value.message == "Anda tidak berwenang atas permohonan ini."
    _assert_nothing_happened(application, status=source, events=1)


@pytest.mark.django_db
def test_an_officer_of_another_office_cannot_register_or_annotate_for_sinjai(office, hasan, akta_kelahiran, make):
    with pytest.raises(ApplicationPermissionError):
        cases.application_create(office=office, service=akta_kelahiran, actor=hasan)
    application = make(Status.SUBMITTED)
    with pytest.raises(ApplicationPermissionError):
        cases.application_note_add(application=application, actor=hasan, note="Halo")
    assert application.events.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "source"), [("submit", Status.DRAFT), ("resubmit", Status.RETURNED)])
def test_village_staff_of_another_village_cannot_act_on_a_bonto_katute_application(make, rudi, name, source):
    application = make(source)
    with pytest.raises(ApplicationPermissionError):
        ACT[name](application, rudi, SimpleNamespace())
    with pytest.raises(ApplicationPermissionError):
        cases.application_note_add(application=application, actor=rudi, note="Berkas sudah lengkap")
    _assert_nothing_happened(application, status=source, events=1)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["andi", "fajar"])
def test_staff_do_not_resubmit_an_application_the_citizen_fixes_on_whatsapp(request, make, persona):
    application = make(Status.RETURNED)
    with pytest.raises(TransitionError) as refused:
        cases.application_resubmit(application=application, actor=request.getfixturevalue(persona))
    assert refused.value.code == "citizen_resubmits"
    _assert_nothing_happened(application, status=Status.RETURNED, events=1)


@pytest.mark.parametrize("persona", ["citra", "dewi"])
@pytest.mark.django_db
def test_who_does_not_file_documents_does_not_resubmit(request, make, persona):
    application = make(Status.RETURNED, channel=Channel.WALK_IN)
    with pytest.raises(ApplicationPermissionError):
        cases.application_resubmit(application=application, actor=request.getfixturevalue(persona))


@pytest.mark.django_db
def test_village_staff_may_register_only_for_their_own_village(office, fajar, rudi, akta_kelahiran, bonto_katute):
    application = cases.application_create(office=office, service=akta_kelahiran, actor=fajar, village=bonto_katute)
    assert application.channel == "aparat_desa"
    with pytest.raises(ApplicationPermissionError):
        cases.application_create(office=office, service=akta_kelahiran, actor=rudi, village=bonto_katute)
    assert Application.objects.count() == 1


WRONG_STATUS = [
    ("andi", "accept", Status.DRAFT),
    ("andi", "accept", Status.ACCEPTED),
    ("andi", "submit", Status.SUBMITTED),
    ("andi", "resubmit", Status.SUBMITTED),
    ("andi", "reject", Status.ACCEPTED),
    ("andi", "cancel", Status.ACCEPTED),
    ("andi", "pick_up", Status.AWAITING_SIGNATURE),
    ("andi", "pick_up", Status.PICKED_UP),
    ("budi", "claim", Status.SUBMITTED),
    ("budi", "claim", Status.IN_PROCESS),
    ("citra", "approve", Status.IN_PROCESS),
    ("dewi", "sign", Status.AWAITING_VERIFICATION),
    ("dewi", "sign", Status.READY),
    ("gita", "release", Status.ACCEPTED),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "name", "source"), WRONG_STATUS, ids=[f"{n}-{s}" for _p, n, s in WRONG_STATUS])
def test_a_transition_from_the_wrong_status_is_refused_with_a_clear_message(request, make, persona, name, source):
    actor = request.getfixturevalue(persona)
    application = make(source)
    with pytest.raises(TransitionError) as refused:
        ACT[name](application, actor, SimpleNamespace())
    assert refused.value.code == "wrong_status"
    assert application.tracking_code in refused.value.message
    assert str(Status(source).label) in refused.value.message
    assert f"'{LABEL[name]}'" in refused.value.message
    _assert_nothing_happened(application, status=source, events=1)


@pytest.mark.django_db
def test_a_return_needs_at_least_one_requirement_that_is_not_ok(make, andi):
    application = make(Status.SUBMITTED)
    requirement = application.service.requirements.first()
    for items in ([], [ReviewVerdict(requirement=requirement, verdict=ReviewItem.Verdict.OK)]):
        with pytest.raises(TransitionError) as refused:
            cases.application_return(application=application, actor=andi, items=items)
        assert refused.value.code == "no_items"
    _assert_nothing_happened(application, status=Status.SUBMITTED, events=1)
    assert not ReviewItem.objects.exists()


@pytest.mark.django_db
def test_a_return_records_what_is_missing_for_the_citizen(make, andi):
    application = make(Status.SUBMITTED)
    cases.application_return(application=application, actor=andi, items=_missing(application))
    event = application.events.last()
    assert event.data["items"][0]["verdict"] == "missing"
    assert event.data["items"][0]["reason"] == "Belum diunggah"
    assert application.review_items.get().resolved is False


@pytest.mark.django_db
def test_a_return_with_a_requirement_of_another_service_is_refused(make, andi, catalog):
    from pencet.catalog.models import Requirement

    application = make(Status.SUBMITTED)
    foreign = Requirement.objects.exclude(service=application.service).first()
    with pytest.raises(TransitionError) as refused:
        cases.application_return(
            application=application,
            actor=andi,
            items=[ReviewVerdict(requirement=foreign, verdict=ReviewItem.Verdict.MISSING)],
        )
    assert refused.value.code == "bad_item"
    _assert_nothing_happened(application, status=Status.SUBMITTED, events=1)


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   "])
def test_a_rejection_needs_a_reason(make, andi, reason):
    application = make(Status.SUBMITTED)
    with pytest.raises(TransitionError) as refused:
        cases.application_reject(application=application, actor=andi, reason=reason)
    assert refused.value.code == "reason_required"
    _assert_nothing_happened(application, status=Status.SUBMITTED, events=1)


@pytest.mark.django_db
def test_a_rejection_keeps_its_reason(make, andi):
    application = make(Status.SUBMITTED)
    cases.application_reject(application=application, actor=andi, reason="Bukan penduduk Sinjai")
    application.refresh_from_db()
    assert application.close_reason == "Bukan penduduk Sinjai"
    assert application.events.last().note == "Bukan penduduk Sinjai"


@pytest.mark.django_db
def test_only_the_operator_holding_an_application_records_its_siak_result(make, budi, yanti):
    application = make(Status.IN_PROCESS, claimed_by=yanti)
    with pytest.raises(TransitionError) as refused:
        cases.application_complete_siak(application=application, actor=budi, siak_reference="AL.7307.0012345")
    assert refused.value.code == "not_holder"
    _assert_nothing_happened(application, status=Status.IN_PROCESS, events=1)


@pytest.mark.django_db
@pytest.mark.parametrize("reference", ["", "  "])
def test_recording_the_siak_result_needs_a_siak_reference(make, budi, reference):
    application = make(Status.IN_PROCESS, claimed_by=budi)
    with pytest.raises(TransitionError) as refused:
        cases.application_complete_siak(application=application, actor=budi, siak_reference=reference)
    assert refused.value.code == "siak_required"
    _assert_nothing_happened(application, status=Status.IN_PROCESS, events=1)


@pytest.mark.django_db
def test_the_siak_reference_is_kept_trimmed(make, budi):
    application = make(Status.IN_PROCESS, claimed_by=budi)
    cases.application_complete_siak(application=application, actor=budi, siak_reference="  AL.7307.0012345 ")
    application.refresh_from_db()
    assert application.siak_reference == "AL.7307.0012345"


@pytest.mark.django_db
def test_an_operator_whose_work_was_taken_over_cannot_finish_it_from_a_stale_page(make, budi, gita, yanti):
    application = make(Status.ACCEPTED)
    cases.application_claim(application=application, actor=budi)
    stale = Application.objects.get(pk=application.pk)  # budi's page, loaded while he held it
    cases.application_take_over(application=application, actor=gita, operator=yanti)
    with pytest.raises(TransitionError) as refused:
        cases.application_complete_siak(application=stale, actor=budi, siak_reference="AL.7307.0012345")
    assert refused.value.code == "not_holder"
    with pytest.raises(TransitionError) as refused:
        cases.application_release(application=stale, actor=budi)
    assert refused.value.code == "held_by_other"
    application.refresh_from_db()
    assert (application.status, application.claimed_by) == (Status.IN_PROCESS, yanti)


@pytest.mark.django_db
def test_an_operator_cannot_release_an_application_another_operator_holds(make, budi, yanti):
    application = make(Status.IN_PROCESS, claimed_by=yanti)
    with pytest.raises(TransitionError) as refused:
        cases.application_release(application=application, actor=budi)
    assert refused.value.code == "held_by_other"
    application.refresh_from_db()
    assert application.claimed_by == yanti
    assert application.events.count() == 1


@pytest.mark.django_db
def test_a_release_puts_the_application_back_in_the_forum_unclaimed(make, budi):
    application = make(Status.ACCEPTED)
    cases.application_claim(application=application, actor=budi)
    cases.application_release(application=application, actor=budi, note="Jaringan SIAK putus")
    application.refresh_from_db()
    assert (application.status, application.claimed_by, application.claimed_at) == (Status.ACCEPTED, None, None)


@pytest.mark.django_db
def test_an_admin_takes_an_application_over_for_another_operator(make, budi, gita, yanti):
    application = make(Status.IN_PROCESS, claimed_by=budi)
    cases.application_take_over(application=application, actor=gita, operator=yanti, note="Budi cuti")
    application.refresh_from_db()
    assert (application.status, application.claimed_by) == (Status.IN_PROCESS, yanti)
    event = application.events.last()
    assert (event.kind, event.actor, event.data) == ("take_over", gita, {"from": budi.pk, "to": yanti.pk})
    cases.application_complete_siak(application=application, actor=yanti, siak_reference="AL.7307.0012345")
    application.refresh_from_db()
    assert application.status == Status.AWAITING_VERIFICATION


@pytest.mark.django_db
@pytest.mark.parametrize("replacement", ["andi", "hasan"])
def test_work_can_only_be_handed_to_an_operator_of_the_same_office(request, make, budi, gita, replacement):
    application = make(Status.IN_PROCESS, claimed_by=budi)
    with pytest.raises(TransitionError) as refused:
        cases.application_take_over(application=application, actor=gita, operator=request.getfixturevalue(replacement))
    assert refused.value.code == "bad_operator"
    application.refresh_from_db()
    assert application.claimed_by == budi


@pytest.mark.django_db
def test_an_operator_cannot_take_over_another_operators_work(make, budi, yanti):
    application = make(Status.IN_PROCESS, claimed_by=yanti)
    with pytest.raises(ApplicationPermissionError):
        cases.application_take_over(application=application, actor=budi, operator=budi)
    application.refresh_from_db()
    assert application.claimed_by == yanti


@pytest.mark.django_db
def test_signing_many_signs_them_all(make, dewi):
    applications = [make(Status.AWAITING_SIGNATURE) for _ in range(3)]
    cases.application_sign_many(applications=applications, actor=dewi)
    assert set(Application.objects.values_list("status", flat=True)) == {Status.READY}
    assert Event.objects.filter(kind="sign").count() == 3


@pytest.mark.django_db
def test_signing_many_is_all_or_nothing(make, dewi):
    applications = [make(Status.AWAITING_SIGNATURE), make(Status.AWAITING_SIGNATURE), make(Status.IN_PROCESS)]
    with pytest.raises(TransitionError) as refused:
        cases.application_sign_many(applications=applications, actor=dewi)
    assert refused.value.code == "wrong_status"
    assert applications[2].tracking_code in refused.value.message
    statuses = [Application.objects.get(pk=a.pk).status for a in applications]
    assert statuses == [Status.AWAITING_SIGNATURE, Status.AWAITING_SIGNATURE, Status.IN_PROCESS]
    assert not Event.objects.filter(kind="sign").exists()


@pytest.mark.django_db
def test_a_resubmission_closes_the_open_review_items(make, andi, fajar):
    application = make(Status.SUBMITTED, channel=Channel.VILLAGE_STAFF)
    cases.application_return(application=application, actor=andi, items=_missing(application))
    cases.application_resubmit(application=application, actor=fajar)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert not application.review_items.filter(resolved=False).exists()
