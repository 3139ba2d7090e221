"""Reports count services and documents separately: a One Three application is one service ("layanan") and three
documents ("dokumen"), a single akta one of each."""

import pytest

from pencet.cases import services as cases
from pencet.catalog.models import Service
from pencet.reports.models import DailyStat, Dimension, Grain
from pencet.reports.services import daily_stats_rebuild, office_local_date

pytestmark = pytest.mark.django_db


def test_a_one_three_application_is_one_service_and_three_documents(office, akta_kelahiran, bonto_katute):
    for service in (Service.objects.get(code="one-three"), akta_kelahiran):
        application = cases.application_create(office=office, service=service, village=bonto_katute)
        cases.application_submit(application=application, actor=None)
    day = office_local_date(office=office, moment=application.submitted_at)

    daily_stats_rebuild(office=office, day=day)

    by_service = DailyStat.objects.filter(office=office, grain=Grain.DAY, day=day, dimension=Dimension.SERVICE)
    codes = dict(Service.objects.values_list("pk", "code"))
    rows = {codes[int(r.key)]: (r.received, r.documents) for r in by_service}
    assert rows == {"one-three": (1, 3), "akta-kelahiran": (1, 1)}
    month = DailyStat.objects.get(office=office, grain=Grain.MONTH, dimension=Dimension.CHANNEL)
    assert (month.received, month.documents) == (2, 4)
