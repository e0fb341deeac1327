"""Version 1 of the digital-adoption survey: the ten core questions, made the default."""

from django.db import migrations

CORE_V1 = (
    "presence",
    "content_posts",
    "online_orders",
    "digital_payments",
    "bookkeeping",
    "paid_ads",
    "revenue",
    "online_share",
    "workers",
    "customers_outside",
)


def create(apps, schema_editor):
    Survey = apps.get_model("outcomes", "Survey")
    Question = apps.get_model("outcomes", "Question")
    if Survey.objects.filter(version=1).exists():
        return
    survey = Survey.objects.create(
        title="Survei adopsi digital", version=1, is_default=True
    )
    Question.objects.bulk_create(
        Question(survey=survey, position=i, core_key=key, kind="single")
        for i, key in enumerate(CORE_V1, start=1)
    )


def remove(apps, schema_editor):
    apps.get_model("outcomes", "Survey").objects.filter(version=1, responses=None).delete()


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
