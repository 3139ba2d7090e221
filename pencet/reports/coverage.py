"""Coverage (cakupan kepemilikan dokumen): the semester's population aggregates per village, imported by the office
admin from CSV or XLSX, and the live ownership rates they give once the documents Pencet issued since are added.

Rates, per village, district and the whole office:
    KTP-el          = (pemilik KTP-el + KTP-el baru terbit sejak impor) / wajib KTP-el
    KIA             = (pemilik KIA + KIA terbit sejak impor) / anak 0–17 tahun
    KK              = (pemilik KK + KK baru terbit sejak impor) / keluarga
    akta kelahiran  = (pemilik akta kelahiran + akta kelahiran terbit sejak impor) / penduduk
"Terbit" means handed over (sent or picked up) after the import's moment; a bundle (One Three) counts for each of its
components. A replacement (lost, damaged, changed data) gives nobody a document they did not own, so only the first
issue of each counts (NEW_OWNER_SERVICES).
"""

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pencet.accounts.models import Office, Role, User
from pencet.regions.models import Region

from .models import Grain
from .models_sections import CoverageStat, PopulationImport, VillagePopulation
from .section_stats import OWNER_KIND_SERVICES, closures_between, owner_kinds
from .services import office_day_bounds, office_local_date

COVERAGE_ADMIN_ROLES = (Role.ADMIN,)
KINDS = ("ktp", "kia", "kk", "akta")
KIND_LABELS = {
    "ktp": gettext_lazy("KTP-el"),
    "kia": gettext_lazy("KIA"),
    "kk": gettext_lazy("KK"),
    "akta": gettext_lazy("Akta kelahiran"),
}
# (owners field, denominator field) per kind.
KIND_FIELDS = {
    "ktp": ("ktp_owners", "ktp_required"),
    "kia": ("kia_owners", "children"),
    "kk": ("kk_owners", "families"),
    "akta": ("akta_owners", "population"),
}
# Services whose document gives someone a card or deed they did not have (the roll-up's writer keeps the list).
NEW_OWNER_SERVICES = OWNER_KIND_SERVICES
NUMBER_FIELDS = (
    "population",
    "ktp_required",
    "children",
    "families",
    "ktp_owners",
    "kia_owners",
    "kk_owners",
    "akta_owners",
)
# Normalised header (lower case, letters and digits only, single spaces) → field.
HEADERS = {
    "kode desa": "village",
    "kode desa kelurahan": "village",
    "kode wilayah": "village",
    "kode kelurahan": "village",
    "penduduk": "population",
    "jumlah penduduk": "population",
    "wajib ktp el": "ktp_required",
    "wajib ktp": "ktp_required",
    "wajib ktpel": "ktp_required",
    "anak 0 17": "children",
    "anak 0 17 tahun": "children",
    "anak": "children",
    "keluarga": "families",
    "jumlah keluarga": "families",
    "pemilik ktp el": "ktp_owners",
    "pemilik ktp": "ktp_owners",
    "pemilik ktpel": "ktp_owners",
    "ktp el": "ktp_owners",
    "kia": "kia_owners",
    "pemilik kia": "kia_owners",
    "kk": "kk_owners",
    "pemilik kk": "kk_owners",
    "akta kelahiran": "akta_owners",
    "pemilik akta kelahiran": "akta_owners",
    "akta lahir": "akta_owners",
}
HEADER_NAMES = {
    "village": gettext_lazy("kode desa"),
    "population": gettext_lazy("penduduk"),
    "ktp_required": gettext_lazy("wajib KTP-el"),
    "children": gettext_lazy("anak 0–17"),
    "families": gettext_lazy("keluarga"),
    "ktp_owners": gettext_lazy("pemilik KTP-el"),
    "kia_owners": gettext_lazy("KIA"),
    "kk_owners": gettext_lazy("KK"),
    "akta_owners": gettext_lazy("akta kelahiran"),
}
SEMESTER_PATTERN = re.compile(r"^(20\d\d)-([12])$")
MAX_ROWS = 5000
LAST_DAY = date.max  # "since the import", with no end


class CoverageImportError(Exception):
    """The file was refused; `errors` are the lines to show, each in Bahasa Indonesia with the row it is about."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def coverage_import_allowed(*, user: User) -> bool:
    return user.is_authenticated and bool(user.office_id) and user.has_role(*COVERAGE_ADMIN_ROLES)


def _header_key(text: object) -> str:
    cleaned = re.sub(r"[^a-z0-9]+", " ", str(text or "").lower().replace("–", "-")).strip()
    return cleaned


def _table_rows(*, content: bytes, filename: str) -> list[list[object]]:
    """The file's cells, row by row, from an XLSX workbook's first sheet or a CSV (comma or semicolon)."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook  # 12 MB in every web worker if imported with the module

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
            raise CoverageImportError([_("Berkas bukan XLSX yang dapat dibaca.")]) from error
        return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    if not filename.lower().endswith(".csv"):
        raise CoverageImportError([_("Berkas harus CSV atau XLSX.")])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")  # an older Excel's "CSV (MS-DOS)" export
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _number(value: object) -> int | None:
    """A count as a spreadsheet holds it: 1234, 1234.0, "1234", "1.234" or "1,234" (thousands); None if not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else None
    text = str(value or "").strip().replace(" ", "")
    if re.fullmatch(r"\d+", text):
        return int(text)
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", text):
        return int(re.sub(r"[.,]", "", text))
    return None


def _village_code(value: object) -> str:
    """73.07.07.2007 as written, or its ten digits 7307072007."""
    text = str(value or "").strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if re.fullmatch(r"\d{10}", text):
        return f"{text[:2]}.{text[2:4]}.{text[4:6]}.{text[6:]}"
    return text


@dataclass
class ParsedRow:
    line: int
    village: Region
    numbers: dict[str, int]


def coverage_rows_parse(*, office: Office, content: bytes, filename: str) -> list[ParsedRow]:
    """Read and check every row; all errors at once (row numbers as the spreadsheet shows them), or the rows."""
    table = _table_rows(content=content, filename=filename)
    while table and not any(str(c or "").strip() for c in table[0]):
        table.pop(0)
    if not table:
        raise CoverageImportError([_("Berkas kosong.")])
    columns: dict[str, int] = {}
    for index, header in enumerate(table[0]):
        name = HEADERS.get(_header_key(header))
        if name and name not in columns:
            columns[name] = index
    missing = [str(HEADER_NAMES[name]) for name in HEADER_NAMES if name not in columns]
    if missing:
        raise CoverageImportError([_("Kolom tidak ditemukan: %(columns)s.") % {"columns": ", ".join(missing)}])
    body = [(line, row) for line, row in enumerate(table[1:], start=2) if any(str(c or "").strip() for c in row)]
    if not body:
        raise CoverageImportError([_("Berkas tidak berisi baris data.")])
    if len(body) > MAX_ROWS:
        raise CoverageImportError([_("Berkas berisi lebih dari %(n)d baris.") % {"n": MAX_ROWS}])
    villages = {
        r.code: r for r in Region.objects.filter(code__startswith=f"{office.regency_id}.", level=Region.Level.VILLAGE)
    }
    errors: list[str] = []
    parsed: list[ParsedRow] = []
    seen: dict[str, int] = {}

    def cell(row: list[object], name: str) -> object:
        index = columns[name]
        return row[index] if index < len(row) else None

    for line, row in body:
        row_errors: list[str] = []
        code = _village_code(cell(row, "village"))
        village = villages.get(code)
        if not code:
            row_errors.append(_("kode desa kosong"))
        elif village is None:
            row_errors.append(_("kode desa %(code)s bukan desa/kelurahan di wilayah kantor ini") % {"code": code})
        elif code in seen:
            row_errors.append(_("desa %(code)s sudah ada di baris %(line)d") % {"code": code, "line": seen[code]})
        numbers: dict[str, int] = {}
        for name in NUMBER_FIELDS:
            value = _number(cell(row, name))
            if value is None:
                row_errors.append(
                    _("%(column)s harus bilangan bulat 0 atau lebih, bukan “%(value)s”")
                    % {"column": HEADER_NAMES[name], "value": cell(row, name) if cell(row, name) is not None else ""}
                )
            else:
                numbers[name] = value
        if len(numbers) == len(NUMBER_FIELDS):
            for part in ("ktp_required", "children", "families"):
                if numbers[part] > numbers["population"]:
                    row_errors.append(
                        _("%(column)s (%(value)d) lebih besar dari penduduk (%(population)d)")
                        % {"column": HEADER_NAMES[part], "value": numbers[part], "population": numbers["population"]}
                    )
        if row_errors:
            errors.append(_("Baris %(line)d: %(errors)s.") % {"line": line, "errors": "; ".join(row_errors)})
            continue
        seen[code] = line
        parsed.append(ParsedRow(line=line, village=village, numbers=numbers))
    if errors:
        raise CoverageImportError(errors)
    return parsed


@transaction.atomic
def coverage_import(*, office: Office, actor: User, semester: str, content: bytes, filename: str) -> PopulationImport:
    """Import one semester; a semester imported before is replaced whole. Nothing is stored if any row is wrong."""
    if not coverage_import_allowed(user=actor) or actor.office_id != office.pk:
        raise CoverageImportError([_("Hanya admin kantor yang dapat mengimpor data penduduk.")])
    semester = semester.strip()
    if not SEMESTER_PATTERN.match(semester):
        raise CoverageImportError([_("Semester ditulis TAHUN-1 atau TAHUN-2, misalnya 2026-2.")])
    rows = coverage_rows_parse(office=office, content=content, filename=filename)
    PopulationImport.objects.filter(office=office, semester=semester).delete()
    population_import = PopulationImport.objects.create(
        office=office, semester=semester, imported_at=timezone.now(), imported_by=actor, source_name=filename[:255]
    )
    VillagePopulation.objects.bulk_create(
        VillagePopulation(population_import=population_import, village=row.village, **row.numbers) for row in rows
    )
    return population_import


def coverage_import_latest(*, office: Office) -> PopulationImport | None:
    return PopulationImport.objects.filter(office=office).order_by("-semester", "-imported_at").first()


def issued_since(
    *, office: Office, since: datetime, kinds: dict[int, set[str]] | None = None
) -> dict[str, dict[str, int]]:
    """Village code → kind → documents handed over since `since` that gave someone a new document, summed per
    village and kind by the database from CoverageStat, and the import's own day split at its moment from the events.

    The import's day is read from the shorter of its two parts: an import in the first half of the day takes the
    day's CoverageStat rows less the events before the moment (an import at midnight reads no event at all), one in
    the second half the events after the moment and CoverageStat from the next day on. The month holding the first
    CoverageStat day is read from whichever is fewer day rows: its days from then on (then the months after from
    month rows), or the month row less its days before (an import on the 1st reads one day row per village and kind,
    not thirty)."""
    kinds = owner_kinds() if kinds is None else kinds
    found: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(KINDS, 0))
    day = office_local_date(office=office, moment=since)
    day_start, day_end = office_day_bounds(office=office, day=day)
    if since - day_start <= day_end - since:
        sign_events, events_span, first_day = -1, (day_start, since), day
    else:
        sign_events, events_span, first_day = 1, (since, day_end), day + timedelta(days=1)
    if events_span[0] < events_span[1]:
        for row in closures_between(office=office, start=events_span[0], end=events_span[1]):
            if row["village_id"] is None:
                continue
            for kind in kinds.get(row["service_id"], ()):
                found[row["village_id"]][kind] += sign_events * row["count"]
    first = first_day.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    if (first_day - first).days < (last - first_day).days + 1:
        # the month row less the days before first_day (none when first_day is the 1st)
        sign, months_from, days = -1, first, (first, first_day - timedelta(days=1))
    else:
        sign, months_from, days = 1, last + timedelta(days=1), (first_day, last)
    adapt = connection.ops.adapt_datefield_value
    sql = (
        f"SELECT village_id, kind, SUM(CASE WHEN grain = %s THEN %s * count ELSE count END) "  # noqa: S608
        f"FROM {CoverageStat._meta.db_table} WHERE (office_id = %s AND grain = %s AND day >= %s) "
        "OR (office_id = %s AND grain = %s AND day >= %s AND day <= %s) GROUP BY village_id, kind"
    )
    params = [Grain.DAY.value, sign, office.pk, Grain.MONTH.value, adapt(months_from), office.pk, Grain.DAY.value,
              adapt(days[0]), adapt(days[1])]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for village_id, kind, count in cursor:
            if kind in KINDS:
                found[village_id][kind] += int(count)
    return found


@dataclass
class CoverageRow:
    key: str
    label: str
    district: str = ""
    owners: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    issued: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    base: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    population: int = 0

    def add(self, other: "CoverageRow") -> None:
        self.population += other.population
        for kind in KINDS:
            self.owners[kind] += other.owners[kind]
            self.issued[kind] += other.issued[kind]
            self.base[kind] += other.base[kind]

    def as_dict(self) -> dict:
        kinds = {}
        for kind in KINDS:
            now = self.owners[kind] + self.issued[kind]
            base = self.base[kind]
            kinds[kind] = {
                "owners_at_import": self.owners[kind],
                "issued": self.issued[kind],
                "owners": now,
                "base": base,
                "share": now / base if base else None,
            }
        return {"key": self.key, "label": self.label, "district": self.district, "population": self.population,
                **kinds}  # fmt: skip


def coverage_report(*, offices: QuerySet[Office] | list[Office]) -> dict:
    """The live ownership table of each office's latest import: per village, per district and in total."""
    villages: list[CoverageRow] = []
    districts: dict[str, CoverageRow] = {}
    total = CoverageRow(key="", label=_("Jumlah"))
    imports = []
    kinds = owner_kinds()  # once for every office
    for office in offices:
        latest = coverage_import_latest(office=office)
        if latest is None:
            continue
        latest.office = office  # the import's office is this one: not read again for its name
        imports.append(latest)
        issued = issued_since(office=office, since=latest.imported_at, kinds=kinds)
        # Plain values, not model instances: a province reads hundreds of villages here.
        numbers = list(dict.fromkeys(["population", *(name for pair in KIND_FIELDS.values() for name in pair)]))
        rows = latest.villages.order_by("village__code").values_list(
            "village_id", "village__name", "village__parent_id", "village__parent__name", *numbers
        )
        for village_id, name, district_code, district_name, *counts in rows:
            counted = dict(zip(numbers, counts, strict=True))
            line = CoverageRow(key=village_id, label=name, district=district_name or "")
            line.population = counted["population"]
            village_issued = issued.get(village_id, {})
            for kind, (owners_field, base_field) in KIND_FIELDS.items():
                line.owners[kind] = counted[owners_field]
                line.base[kind] = counted[base_field]
                line.issued[kind] = village_issued.get(kind, 0)
            villages.append(line)
            district_key = district_code or ""
            if district_key not in districts:
                districts[district_key] = CoverageRow(key=district_key, label=line.district or _("Tanpa kecamatan"))
            districts[district_key].add(line)
            total.add(line)
    return {
        "imports": [
            {"office": i.office.name, "semester": i.semester, "imported_at": i.imported_at, "source": i.source_name}
            for i in imports
        ],
        "kinds": [(kind, str(KIND_LABELS[kind])) for kind in KINDS],
        "villages": [r.as_dict() for r in villages],
        "districts": [r.as_dict() for r in sorted(districts.values(), key=lambda r: r.key)],
        "total": total.as_dict(),
    }
