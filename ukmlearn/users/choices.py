"""Fixed lists used in profiles and imports: sectors, provinces, time zones."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    KULINER = "kuliner", _("Food and drink")
    FASHION = "fashion", _("Fashion")
    KERAJINAN = "kerajinan", _("Crafts")
    JASA = "jasa", _("Services")
    PERTANIAN = "pertanian", _("Agriculture and fisheries")
    PERDAGANGAN = "perdagangan", _("Retail and reselling")
    LAINNYA = "lainnya", _("Other")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class TimeZone(models.TextChoices):
    WIB = "Asia/Jakarta", _("WIB (western Indonesia, UTC+7)")
    WITA = "Asia/Makassar", _("WITA (central Indonesia, UTC+8)")
    WIT = "Asia/Jayapura", _("WIT (eastern Indonesia, UTC+9)")


class Province(models.TextChoices):
    # Proper names: the same in every language, so not marked for translation.
    ACEH = "aceh", "Aceh"
    SUMUT = "sumut", "Sumatera Utara"
    SUMBAR = "sumbar", "Sumatera Barat"
    RIAU = "riau", "Riau"
    KEPRI = "kepri", "Kepulauan Riau"
    JAMBI = "jambi", "Jambi"
    SUMSEL = "sumsel", "Sumatera Selatan"
    BABEL = "babel", "Kepulauan Bangka Belitung"
    BENGKULU = "bengkulu", "Bengkulu"
    LAMPUNG = "lampung", "Lampung"
    DKI = "dki", "DKI Jakarta"
    JABAR = "jabar", "Jawa Barat"
    BANTEN = "banten", "Banten"
    JATENG = "jateng", "Jawa Tengah"
    DIY = "diy", "DI Yogyakarta"
    JATIM = "jatim", "Jawa Timur"
    BALI = "bali", "Bali"
    NTB = "ntb", "Nusa Tenggara Barat"
    NTT = "ntt", "Nusa Tenggara Timur"
    KALBAR = "kalbar", "Kalimantan Barat"
    KALTENG = "kalteng", "Kalimantan Tengah"
    KALSEL = "kalsel", "Kalimantan Selatan"
    KALTIM = "kaltim", "Kalimantan Timur"
    KALTARA = "kaltara", "Kalimantan Utara"
    SULUT = "sulut", "Sulawesi Utara"
    GORONTALO = "gorontalo", "Gorontalo"
    SULTENG = "sulteng", "Sulawesi Tengah"
    SULBAR = "sulbar", "Sulawesi Barat"
    SULSEL = "sulsel", "Sulawesi Selatan"
    SULTRA = "sultra", "Sulawesi Tenggara"
    MALUKU = "maluku", "Maluku"
    MALUT = "malut", "Maluku Utara"
    PAPUA = "papua", "Papua"
    PAPBAR = "papbar", "Papua Barat"
    PAPBD = "papbd", "Papua Barat Daya"
    PAPTENG = "papteng", "Papua Tengah"
    PAPPEG = "pappeg", "Papua Pegunungan"
    PAPSEL = "papsel", "Papua Selatan"
