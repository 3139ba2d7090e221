"""Forms of the service-day pages (views_outreach)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pencet.accounts.models import Office
from pencet.catalog.models import Service
from pencet.outreach.models import Programme, ServiceDay
from pencet.regions.models import Region


class ServiceDayForm(forms.Form):
    programme = forms.ChoiceField(label=_("Program"), choices=Programme.choices)
    place = forms.CharField(label=_("Tempat"), max_length=150)
    place_kind = forms.ChoiceField(label=_("Jenis tempat"), choices=ServiceDay.PlaceKind.choices)
    village = forms.ModelChoiceField(label=_("Desa/kelurahan"), queryset=Region.objects.none())
    date = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    starts_at = forms.TimeField(label=_("Mulai"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends_at = forms.TimeField(label=_("Selesai"), widget=forms.TimeInput(attrs={"type": "time"}))
    services = forms.ModelMultipleChoiceField(
        label=_("Layanan"), queryset=Service.objects.filter(is_active=True), widget=forms.CheckboxSelectMultiple
    )
    capacity_per_hour = forms.IntegerField(label=_("Kapasitas per jam"), min_value=1, max_value=200, initial=10)
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: object, office: Office, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Region.objects.filter(
            level=Region.Level.VILLAGE, code__startswith=office.regency_id + "."
        ).order_by("name")


class ProgrammeAnnouncementForm(forms.Form):
    """A programme's news to its followers (and a village's, if chosen), through the approved template."""

    programme = forms.ChoiceField(label=_("Program"), choices=Programme.choices)
    village = forms.ModelChoiceField(label=_("Juga pelanggan desa (opsional)"), queryset=Region.objects.none(),
                                     required=False)  # fmt: skip
    message = forms.CharField(label=_("Isi pengumuman"), max_length=600, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: object, office: Office, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Region.objects.filter(
            level=Region.Level.VILLAGE, code__startswith=office.regency_id + "."
        ).order_by("name")
