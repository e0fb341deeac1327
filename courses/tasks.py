"""Background jobs of the courses app: drawing certificates."""

from celery import shared_task

from courses.services import certificates


# acks_late: a worker killed mid-certificate leaves the message to be redelivered, which is
# safe because certificate_generate is idempotent.
@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def generate_certificate(certificate_id: int) -> None:
    certificates.certificate_generate(certificate_id=certificate_id)


@shared_task
def requeue_pending_certificates() -> int:
    return certificates.certificates_requeue_stale()
