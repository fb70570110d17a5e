from django_tasks import task

from certificates.issuing import render_and_store
from certificates.models import Certificate


@task()
def render_certificate(certificate_id: str) -> bool:
    """Render and store a certificate's PDF (once; again only if it is missing).

    A certificate whose holder was anonymised (no name) keeps no PDF.
    """
    certificate = (
        Certificate.objects.select_related("template", "course")
        .filter(pk=certificate_id)
        .first()
    )
    if certificate is None or certificate.pdf or not certificate.holder_name:
        return False
    if not render_and_store(certificate):
        raise RuntimeError(f"Rendering certificate {certificate_id} failed")
    return True
