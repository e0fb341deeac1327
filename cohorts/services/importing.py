"""Participant import: read a CSV or XLSX list of participants, preview what it would change
(a dry run), and apply it to a cohort all at once."""

import csv
import io
import logging
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext

from cohorts.models import Cohort, ImportRun, Membership
from cohorts.services.members import cohort_members_add
from ukmlearn.users.choices import Gender, Province, Sector
from ukmlearn.users.models import BusinessProfile, User
from ukmlearn.users.phone import normalize_phone

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# A 5 MB workbook can unzip to gigabytes (a "zip bomb"); a real 20,000-row sheet is ~20 MB.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_COLUMNS = 100
# The title rows some sheets carry above the header: look this far for the header row.
HEADER_SEARCH_ROWS = 10
# One IN (...) list per this many values: well under SQLite's and PostgreSQL's limits.
BATCH_SIZE = 1000

XLSX_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"  # old binary .xls (and .doc)
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

STATUSES = ("new", "updated", "unchanged", "error")

# Canonical field -> header spellings, comma-separated. Compared after _key(): case, spaces
# and punctuation do not matter, so "No. HP", "no hp" and "NO HP:" are the same header.
HEADER_ALIASES = {
    "name": "name, nama, nama lengkap, full name, nama peserta, participant name",
    "phone": (
        "phone, phone number, mobile, mobile number, no hp, nomor hp, no. hp, hp, handphone, "
        "no handphone, whatsapp, wa, no wa, nomor wa, no whatsapp, nomor whatsapp, "
        "whatsapp number, no hp wa, no hp whatsapp, telepon, no telepon, nomor telepon, "
        "no telp, telp"
    ),
    "email": "email, e-mail, surel, email address, e-mail address, alamat email",
    "business_name": "business name, business, nama usaha, usaha, nama bisnis",
    "sector": "sector, business sector, sektor, sektor usaha, bidang usaha, jenis usaha",
    "city": (
        "city, city or regency, regency, kota, kabupaten, kota/kabupaten, kabupaten/kota, "
        "kab/kota, kota/kab"
    ),
    "province": "province, provinsi, prov",
    "gender": "gender, sex, jenis kelamin, jk, l/p",
    "birth_year": "birth year, year of birth, tahun lahir, thn lahir",
}
REQUIRED_COLUMNS = ("name", "phone")
# Shown in the "missing column" message, e.g. "Nama" / "No HP".
HEADER_EXAMPLES = {"name": "Nama", "phone": "No HP"}
# Where each field is stored: its verbose name is the label used in messages.
FIELD_SOURCES = {
    "name": (User, "name"),
    "phone": (User, "phone"),
    "email": (User, "email"),
    "gender": (User, "gender"),
    "birth_year": (User, "birth_year"),
    "business_name": (BusinessProfile, "business_name"),
    "sector": (BusinessProfile, "sector"),
    "city": (BusinessProfile, "city"),
    "province": (BusinessProfile, "province"),
}
USER_FIELDS = ("name", "email", "gender", "birth_year")
BUSINESS_FIELDS = ("business_name", "sector", "city", "province")

SECTOR_ALIASES = {
    Sector.KULINER: (
        "kuliner, makanan, minuman, makanan minuman, makanan dan minuman, mamin, f&b, fnb, "
        "food, food and drink, food and beverage, culinary"
    ),
    Sector.FASHION: "fashion, fesyen, busana, pakaian, konveksi, clothing",
    Sector.KERAJINAN: "kerajinan, kerajinan tangan, kriya, craft, crafts, handicraft",
    Sector.JASA: "jasa, layanan, service, services",
    Sector.PERTANIAN: (
        "pertanian, perikanan, peternakan, perkebunan, pertanian dan perikanan, agriculture, "
        "fisheries, agriculture and fisheries, farming"
    ),
    Sector.PERDAGANGAN: (
        "perdagangan, dagang, toko, toko kelontong, kelontong, reseller, "
        "toko eceran dan reseller, retail, retail and reselling, trade"
    ),
    Sector.LAINNYA: "lainnya, lain-lain, lain, other, others",
}
# On top of every label ("Jawa Barat"), code ("jabar") and English name ("West Java").
PROVINCE_ALIASES = {
    Province.ACEH: "nad, nanggroe aceh darussalam, daerah istimewa aceh",
    Province.DKI: (
        "jakarta, dki, d.k.i. jakarta, daerah khusus ibukota jakarta, daerah khusus jakarta, "
        "jakarta special capital region"
    ),
    Province.DIY: (
        "yogyakarta, jogja, jogjakarta, yogya, d.i. yogyakarta, daerah istimewa yogyakarta, "
        "special region of yogyakarta"
    ),
    Province.BABEL: "bangka belitung, bangka belitung islands",
    Province.KEPRI: "riau islands",
    Province.PAPPEG: "highland papua",
}
# Indonesian compass words in province names -> English, for "West Java", "North Sumatra"...
COMPASS = {
    "barat daya": "southwest",
    "barat": "west",
    "timur": "east",
    "tengah": "central",
    "utara": "north",
    "selatan": "south",
    "tenggara": "southeast",
}
ISLANDS_EN = {"jawa": "java"}
GENDER_ALIASES = {
    Gender.MALE: "l, lk, laki-laki, laki, pria, male, m, man, cowok",
    Gender.FEMALE: "p, pr, perempuan, wanita, female, f, woman, w, cewek",
}


class ImportFileError(Exception):
    """The file as a whole cannot be imported; str(exc) is a translated message for people."""


class ImportHasErrors(Exception):
    """The commit was refused because some rows have errors; nothing was written."""

    def __init__(self, plan: "ImportPlan"):
        self.plan = plan
        super().__init__(gettext("Some rows have errors, so nothing was imported."))


@dataclass
class RowResult:
    row_number: int
    status: str
    errors: list[tuple[str, str]] = field(default_factory=list)
    name: str = ""
    phone: str = ""
    changes: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    rows: list[RowResult]
    counts: dict[str, int]
    columns: dict[str, str]

    @property
    def has_errors(self) -> bool:
        return self.counts.get("error", 0) > 0


def import_plan(*, cohort: Cohort, file, file_name: str) -> ImportPlan:
    """Dry run: read the file and say, row by row, what an import would do. Writes nothing."""
    plan, _items = _plan(cohort=cohort, file=file, file_name=file_name, for_update=False)
    return plan


def import_commit(*, cohort: Cohort, file, file_name: str, imported_by) -> ImportRun:
    """Apply the file to the cohort, all or nothing.

    The file is read and planned again inside the transaction (the people in it may have
    changed since the preview); any row with an error refuses the whole import.
    """
    try:
        with transaction.atomic():
            # Two imports into the same cohort queue up instead of racing each other.
            list(Cohort.objects.select_for_update().filter(pk=cohort.pk).values_list("pk"))
            plan, items = _plan(cohort=cohort, file=file, file_name=file_name, for_update=True)
            if plan.has_errors:
                raise ImportHasErrors(plan)
            _apply(items)
            cohort_members_add(
                cohort=cohort,
                user_ids=[item.user.pk for item in items],
                role=Membership.Role.LEARNER,
            )
            return ImportRun.objects.create(
                cohort=cohort,
                file_name=file_name[:200],
                rows=len(plan.rows),
                created=plan.counts["new"],
                updated=plan.counts["updated"],
                unchanged=plan.counts["unchanged"],
                imported_by=imported_by,
            )
    except IntegrityError as exc:
        # Another import or a sign-up took one of these numbers or addresses after our read.
        logger.warning("participant import into cohort %s collided", cohort.pk, exc_info=True)
        raise ImportFileError(
            gettext(
                "Some of these people were changed at the same time by someone else. "
                "Upload the file again and check the preview."
            )
        ) from exc


# --- Planning -----------------------------------------------------------------------------


@dataclass(eq=False)
class _Item:
    """One data row: what the file says (cleaned) and whom it matches."""

    result: RowResult
    name: str = ""
    phone: str = ""
    email: str = ""
    gender: str = ""
    birth_year: int | None = None
    business: dict[str, str] | None = None
    user: User | None = None
    user_changes: set[str] = field(default_factory=set)
    business_changes: set[str] = field(default_factory=set)


def _plan(*, cohort, file, file_name, for_update) -> tuple[ImportPlan, list[_Item]]:
    columns, raw_rows = _read_table(file, file_name)
    headers = {name: header for name, (_index, header) in columns.items()}
    items = _clean_rows(raw_rows, columns, headers)
    _match_people(items, cohort=cohort, headers=headers, for_update=for_update)
    counts = dict.fromkeys(STATUSES, 0)
    for item in items:
        counts[item.result.status] += 1
    plan = ImportPlan(rows=[item.result for item in items], counts=counts, columns=headers)
    return plan, items


def _clean_rows(raw_rows, columns, headers) -> list[_Item]:
    max_year = timezone.now().year - 10
    seen_phones: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    items = []
    for row_number, cells in raw_rows:
        values = {
            name: (cells[index] if index < len(cells) else "")
            for name, (index, _header) in columns.items()
        }
        item = _clean_row(row_number, values, headers, max_year=max_year)
        if item.phone:
            first = seen_phones.setdefault(item.phone, row_number)
            if first != row_number:
                _error(
                    item,
                    headers,
                    "phone",
                    gettext("Same number as row {row}.").format(row=first),
                )
        if item.email:
            first = seen_emails.setdefault(item.email, row_number)
            if first != row_number:
                _error(
                    item,
                    headers,
                    "email",
                    gettext("Same e-mail address as row {row}.").format(row=first),
                )
        items.append(item)
    return items


def _clean_row(row_number: int, values: dict[str, str], headers, *, max_year: int) -> _Item:
    name = " ".join(values.get("name", "").split())
    raw_phone = _phone_text(values.get("phone", ""))
    item = _Item(result=RowResult(row_number=row_number, status="", name=name, phone=raw_phone))
    item.name = name
    if not name:
        _error(item, headers, "name", gettext("The name is missing."))
    elif len(name) > 150:
        _error(item, headers, "name", gettext("The name is too long (at most 150 characters)."))

    if not raw_phone:
        _error(item, headers, "phone", gettext("The phone number is missing."))
    else:
        try:
            item.phone = normalize_phone(raw_phone)
        except ValidationError as exc:
            _error(item, headers, "phone", exc.messages[0])
        else:
            item.result.phone = item.phone

    email = values.get("email", "")
    if email:
        email = email.lower()
        try:
            validate_email(email)
            valid = len(email) <= 254  # the column's length
        except ValidationError:
            valid = False
        if valid:
            item.email = email
        else:
            _error(item, headers, "email", gettext("This e-mail address is not valid."))

    gender = values.get("gender", "")
    if gender:
        item.gender = _GENDERS.get(_key(gender), "")
        if not item.gender:
            _error(
                item,
                headers,
                "gender",
                gettext("Unknown gender “{value}”. Write L or P.").format(value=gender),
            )

    birth_year = values.get("birth_year", "")
    if birth_year:
        year = int(birth_year) if re.fullmatch(r"[0-9]{4}", birth_year) else None
        if year is None or not 1900 <= year <= max_year:
            _error(
                item,
                headers,
                "birth_year",
                gettext("The birth year must be a year from 1900 to {max}.").format(max=max_year),
            )
        else:
            item.birth_year = year

    business_name = " ".join(values.get("business_name", "").split())
    if business_name:
        item.business = _clean_business(item, values, headers, business_name)
    return item


def _clean_business(item: _Item, values, headers, business_name: str) -> dict[str, str]:
    """Business columns count only when the business name is filled in; then all are needed,
    since a business profile cannot exist without them."""
    city = " ".join(values.get("city", "").split())
    sector_text = values.get("sector", "")
    province_text = values.get("province", "")
    business = {"business_name": business_name, "city": city, "sector": "", "province": ""}
    if len(business_name) > 120:
        _error(
            item,
            headers,
            "business_name",
            gettext("The business name is too long (at most 120 characters)."),
        )
    if not sector_text:
        _error(item, headers, "sector", gettext("The sector is missing."))
    else:
        business["sector"] = _SECTORS.get(_key(sector_text), "")
        if not business["sector"]:
            _error(
                item,
                headers,
                "sector",
                gettext("Unknown sector “{value}”. Write one of: {choices}.").format(
                    value=sector_text, choices=", ".join(Sector.values)
                ),
            )
    if not city:
        _error(item, headers, "city", gettext("The city or regency is missing."))
    elif len(city) > 80:
        _error(item, headers, "city", gettext("The city name is too long (at most 80 characters)."))
    if not province_text:
        _error(item, headers, "province", gettext("The province is missing."))
    else:
        business["province"] = _province(province_text)
        if not business["province"]:
            _error(
                item,
                headers,
                "province",
                gettext("Unknown province “{value}”. Write its name, e.g. Jawa Barat.").format(
                    value=province_text
                ),
            )
    return business


def _match_people(items: list[_Item], *, cohort, headers, for_update: bool) -> None:
    """Find who each row is (by phone number) and decide new / updated / unchanged / error.
    A fixed number of queries per thousand rows, never one per row."""
    users: dict[str, User] = {}
    memberships: dict[int, tuple[str, object]] = {}
    phones = list(dict.fromkeys(item.phone for item in items if item.phone))
    for chunk in _chunks(phones):
        people = User.objects.filter(phone__in=chunk).select_related("business_profile")
        if for_update:
            people = people.select_for_update(of=("self",))
        users.update((user.phone, user) for user in people)
        memberships.update(
            (user_id, (role, left_at))
            for user_id, role, left_at in Membership.objects.filter(
                cohort=cohort, user__phone__in=chunk
            ).values_list("user_id", "role", "left_at")
        )
    email_owners: dict[str, int] = {}
    for chunk in _chunks(list(dict.fromkeys(item.email for item in items if item.email))):
        email_owners.update(
            User.objects.annotate(email_lower=Lower("email"))
            .filter(email_lower__in=chunk)
            .values_list("email_lower", "pk")
        )

    for item in items:
        user = users.get(item.phone) if item.phone else None
        if user is not None:
            role, left_at = memberships.get(user.pk, (None, None))
            if user.is_staff or user.is_superuser:
                _error(
                    item,
                    headers,
                    "phone",
                    gettext(
                        "This number belongs to a programme staff account; an import never "
                        "changes staff accounts."
                    ),
                )
            elif role == Membership.Role.MENTOR and left_at is None:
                _error(item, headers, "phone", gettext("This person is a mentor of this cohort."))
        owner = email_owners.get(item.email) if item.email else None
        if owner is not None and (user is None or owner != user.pk):
            _error(
                item, headers, "email", gettext("This e-mail address belongs to another person.")
            )
        result = item.result
        if result.errors:
            result.status = "error"
        elif user is None:
            result.status = "new"
        else:
            item.user = user
            result.changes = _changes(item, user, memberships.get(user.pk))
            result.status = "updated" if result.changes else "unchanged"


def _changes(item: _Item, user: User, membership) -> list[str]:
    """Labels of what the import would change for an existing person. Empty optional cells
    change nothing: a file without e-mail addresses does not erase anybody's.

    A person who has signed in (or set a password) keeps what they entered themselves: an
    import only adds the membership. Otherwise any staff member's file could rewrite the
    name, e-mail and business of a learner of someone else's cohort (issue 9). Details are
    still filled in for people who have not claimed their account yet (imported, invited)."""
    role, left_at = membership or (None, None)
    joins = role != Membership.Role.LEARNER or left_at is not None
    if user.has_usable_password() or user.last_login is not None:
        return [gettext("cohort membership")] if joins else []
    for name in USER_FIELDS:
        value = getattr(item, name)
        if value not in ("", None) and value != getattr(user, name):
            item.user_changes.add(name)
    if item.business is not None:
        profile = getattr(user, "business_profile", None)
        for name in BUSINESS_FIELDS:
            if profile is None or getattr(profile, name) != item.business[name]:
                item.business_changes.add(name)
    labels = [
        str(_label(name))
        for name in (*USER_FIELDS, *BUSINESS_FIELDS)
        if name in item.user_changes or name in item.business_changes
    ]
    if joins:
        labels.append(gettext("cohort membership"))
    return labels


def _error(item: _Item, headers: dict[str, str], name: str, message) -> None:
    item.result.errors.append((headers.get(name) or str(_label(name)), str(message)))


def _label(name: str):
    model, field_name = FIELD_SOURCES[name]
    return model._meta.get_field(field_name).verbose_name


def _chunks(values: list) -> Iterator[list]:
    for start in range(0, len(values), BATCH_SIZE):
        yield values[start : start + BATCH_SIZE]


# --- Writing ------------------------------------------------------------------------------


def _apply(items: list[_Item]) -> None:
    """Create and update people and business profiles in batches (the caller holds the
    transaction). Afterwards every item has its user with a primary key."""
    new_items = [item for item in items if item.result.status == "new"]
    new_users = [
        User(
            phone=item.phone,
            name=item.name,
            email=item.email,
            gender=item.gender,
            birth_year=item.birth_year,
            phone_verified=False,
            is_learner=True,
            # The same as create_user() without a password: they set one through an invitation.
            password=make_password(None),
        )
        for item in new_items
    ]
    User.objects.bulk_create(new_users, batch_size=BATCH_SIZE)
    if any(user.pk is None for user in new_users):  # backends that cannot return ids
        ids = {}
        for chunk in _chunks([user.phone for user in new_users]):
            ids.update(User.objects.filter(phone__in=chunk).values_list("phone", "pk"))
        for user in new_users:
            user.pk = ids[user.phone]
    for item, user in zip(new_items, new_users, strict=True):
        item.user = user

    changed_users = []
    changed_fields: set[str] = set()
    for item in items:
        if item.user_changes:
            for name in item.user_changes:
                setattr(item.user, name, getattr(item, name))
            changed_users.append(item.user)
            changed_fields |= item.user_changes
    if changed_users:
        User.objects.bulk_update(changed_users, sorted(changed_fields), batch_size=BATCH_SIZE)

    now = timezone.now()
    new_profiles, changed_profiles = [], []
    for item in items:
        if item.business is None:
            continue
        is_new = item.result.status == "new"
        profile = None if is_new else getattr(item.user, "business_profile", None)
        if profile is None:
            new_profiles.append(BusinessProfile(user=item.user, **item.business))
        elif item.business_changes:
            for name in item.business_changes:
                setattr(profile, name, item.business[name])
            profile.updated_at = now  # bulk_update does not apply auto_now
            changed_profiles.append(profile)
    BusinessProfile.objects.bulk_create(new_profiles, batch_size=BATCH_SIZE)
    if changed_profiles:
        BusinessProfile.objects.bulk_update(
            changed_profiles, [*BUSINESS_FIELDS, "updated_at"], batch_size=BATCH_SIZE
        )


# --- Reading the file ---------------------------------------------------------------------


def _read_table(file, file_name: str) -> tuple[dict[str, tuple[int, str]], list]:
    """Return ({field: (column index, header as written)}, [(row number, cells)]) for the
    non-blank data rows. Row numbers are the ones a spreadsheet program shows."""
    file.seek(0)
    data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            gettext("The file is larger than {size} MB. Split it into smaller files.").format(
                size=MAX_FILE_BYTES // (1024 * 1024)
            )
        )
    if not data.strip():
        raise ImportFileError(gettext("The file is empty."))
    # The file's content decides, not its name: a CSV saved as "peserta.xlsx" still reads.
    rows = _xlsx_rows(data) if data.startswith(XLSX_SIGNATURE) else _csv_rows(data)
    try:
        columns = _find_header(rows)
        data_rows = []
        for row_number, cells in rows:
            if not any(cells):
                continue
            if len(data_rows) == MAX_ROWS:
                # Stop here: a 100,000-row file fails as fast as a 20,001-row one.
                raise ImportFileError(
                    gettext(
                        "The file has more than {max} participant rows. "
                        "Split it into smaller files."
                    ).format(max=number_format(MAX_ROWS, force_grouping=True))
                )
            data_rows.append((row_number, cells))
    finally:
        rows.close()
    if not data_rows:
        raise ImportFileError(gettext("The file has a header row but no participants."))
    return columns, data_rows


def _find_header(rows) -> dict[str, tuple[int, str]]:
    """The first row naming both a name and a phone column; title rows above it are allowed."""
    first_found = None
    for seen, (_row_number, cells) in enumerate((row for row in rows if any(row[1])), start=1):
        found = _columns(cells)
        if all(name in found for name in REQUIRED_COLUMNS):
            return found
        if first_found is None:
            first_found = found
        if seen == HEADER_SEARCH_ROWS:
            break
    if first_found is None:
        raise ImportFileError(gettext("The file is empty."))
    raise ImportFileError(_missing_columns_message(first_found))


def _columns(cells: list[str]) -> dict[str, tuple[int, str]]:
    found: dict[str, tuple[int, str]] = {}
    for index, header in enumerate(cells[:MAX_COLUMNS]):
        if not header:
            continue
        name = _HEADERS.get(_key(header)) or _HEADERS.get(_key(re.sub(r"\(.*?\)", "", header)))
        if name and name not in found:  # the first of two "phone" columns wins
            found[name] = (index, header)
    return found


def _missing_columns_message(found) -> str:
    missing = [name for name in REQUIRED_COLUMNS if name not in found]
    return " ".join(
        gettext(
            "The file has no column for the {field}. Head it, for example, “{example}”."
        ).format(field=str(_label(name)), example=HEADER_EXAMPLES[name])
        for name in missing
    )


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    import openpyxl  # only imports of XLSX files pay for it

    unreadable = ImportFileError(
        gettext(
            "This Excel file cannot be opened. Save it again as an Excel workbook (.xlsx) "
            "or as CSV."
        )
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
        if unzipped > MAX_UNZIPPED_BYTES:
            raise unreadable
        with warnings.catch_warnings():
            # "Data Validation extension is not supported" and the like: harmless here.
            warnings.simplefilter("ignore", UserWarning)
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ImportFileError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a zip that is not a workbook
        raise unreadable from exc
    try:
        if not workbook.worksheets:
            raise unreadable
        sheet = workbook.worksheets[0]
        # Read-only worksheets yield empty rows for gaps, so the position is the row number.
        for row_number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield row_number, [_cell_text(value) for value in values[:MAX_COLUMNS]]
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Numbers typed into a cell come back as floats: 81234567890.0, 6.28123456789e12.
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    if data.startswith(OLE_SIGNATURE):
        raise ImportFileError(
            gettext(
                "Old Excel files (.xls) cannot be read. In Excel choose Save As, then "
                "Excel Workbook (.xlsx) or CSV."
            )
        )
    text = _decode(data)
    first_line = text.split("\n", 1)[0].strip()
    if re.fullmatch(r"sep=.", first_line):
        # Excel's own hint line; Excel does not show it as a row, so neither do we.
        delimiter = first_line[4]
        text = text.split("\n", 1)[1] if "\n" in text else ""
    else:
        delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row_number, cells in enumerate(reader, start=1):
            yield row_number, [cell.strip() for cell in cells[:MAX_COLUMNS]]
    except csv.Error as exc:
        raise ImportFileError(
            gettext("This file cannot be read. Upload a CSV file or an Excel workbook (.xlsx).")
        ) from exc


def _delimiter(text: str) -> str:
    """Comma, or semicolon (Excel in Indonesian and most European locales), or tab: whichever
    the header line uses most."""
    for line in io.StringIO(text):
        if line.strip():
            counts = {sep: line.count(sep) for sep in (",", ";", "\t")}
            best = max(counts, key=counts.get)
            return best if counts[best] else ","
    return ","


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), else
    Windows-1252 (what Excel on Windows writes as "CSV")."""
    not_text = ImportFileError(
        gettext("This file cannot be read. Upload a CSV file or an Excel workbook (.xlsx).")
    )
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16")
        else:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise not_text from exc
    # Text has no control characters besides tabs and line breaks; binary data has plenty.
    if "\x00" in text or len(CONTROL_CHARS.findall(text)) > len(text) // 1000:
        raise not_text
    return text


# --- Values -------------------------------------------------------------------------------


def _key(text: str) -> str:
    """Compare words, not spelling: lower case, accents dropped, punctuation as spaces."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def _phone_text(text: str) -> str:
    text = text.lstrip("'")  # Excel users type '0812... to keep the zero
    # Excel stores 0812... typed into a number cell as 812...: give the zero back.
    if re.fullmatch(r"8[0-9]{8,11}", text):
        return "0" + text
    return text


def _province(text: str) -> str:
    key = _key(text).replace("sumatra", "sumatera")
    key = re.sub(r"^(provinsi|prov)\s+", "", key)
    key = re.sub(r"^kep\s+", "kepulauan ", key)
    return _PROVINCES.get(key, "")


def _province_lookup() -> dict[str, str]:
    lookup = {}
    for value, label in Province.choices:
        lookup[_key(value)] = value
        lookup[_key(label)] = value
        # English names: "Jawa Barat" -> "west java", "Sumatera Utara" -> "north sumatera".
        for word, english in COMPASS.items():
            if label.lower().endswith(" " + word):
                island = label.lower()[: -len(word) - 1]
                lookup[_key(f"{english} {ISLANDS_EN.get(island, island)}")] = value
                break
    lookup.update(_lookup(PROVINCE_ALIASES))
    return lookup


def _lookup(aliases: dict[str, str]) -> dict[str, str]:
    """{value: "alias, alias"} -> {key of alias: value}."""
    return {
        _key(alias): str(value) for value, names in aliases.items() for alias in names.split(", ")
    }


_HEADERS = _lookup(HEADER_ALIASES)
_SECTORS = _lookup(SECTOR_ALIASES) | {_key(value): value for value in Sector.values}
_PROVINCES = _province_lookup()
_GENDERS = _lookup(GENDER_ALIASES)
