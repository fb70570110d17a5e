from django_tasks import task

from certificates.issuing import store_pdf
from certificates.models import Certificate


class MissingTemplate(Exception):
    """The certificate has no template to render: running the task again cannot help."""


@task()
def render_certificate(certificate_id: str) -> bool:
    """Render and store a certificate's PDF once; False if there is nothing to do.

    A certificate whose holder was anonymised (no name) keeps no PDF. Running the
    task again (after a failure or a killed worker) stores no second PDF.
    """
    certificate = (
        Certificate.objects.select_related("template", "course")
        .filter(pk=certificate_id)
        .first()
    )
    if certificate is None or certificate.pdf or not certificate.holder_name:
        return False
    if certificate.template is None:
        raise MissingTemplate(
            f"The certificate {certificate.display_code} has no template."
        )
    return store_pdf(certificate)
