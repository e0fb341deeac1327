"""The starting list of expertise tags (staff can edit it in the admin afterwards)."""

from django.db import migrations

TAGS = [
    "WhatsApp Business",
    "Marketplace",
    "Media sosial & konten",
    "Foto produk",
    "Pembukuan",
    "QRIS & pembayaran digital",
    "Branding",
    "Pengemasan",
]


def add_tags(apps, schema_editor):
    ExpertiseTag = apps.get_model("mentoring", "ExpertiseTag")
    for name in TAGS:
        ExpertiseTag.objects.get_or_create(name=name)


def remove_tags(apps, schema_editor):
    apps.get_model("mentoring", "ExpertiseTag").objects.filter(name__in=TAGS).delete()


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0001_initial")]

    operations = [migrations.RunPython(add_tags, remove_tags)]
