from celery import shared_task

from . import services


@shared_task(acks_late=True)
def build_data_export(export_id: int) -> None:
    services.export_finish(export_id=export_id)


@shared_task
def cleanup_data_exports() -> int:
    return services.exports_cleanup()
