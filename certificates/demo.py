"""The demo certificate template, used by every demo course."""

from certificates.models import CertificateTemplate

DEMO_TEMPLATE = {
    "name": "Esimerkkikaupungin todistus",
    "title_fi": "Todistus",
    "body_fi": (
        "{name} on suorittanut kurssin {course} {date}.\n\n"
        "Kurssin arvioitu kesto on {duration}. Kurssi on osa henkilöstön "
        "verkkokoulutusta, jonka järjestää {organisation}."
    ),
    "title_sv": "Intyg",
    "body_sv": (
        "{name} har genomgått kursen {course} {date}.\n\n"
        "Kursens beräknade längd är {duration}. Kursen hör till personalutbildningen "
        "på webben i {organisation}."
    ),
    "title_en": "Certificate",
    "body_en": (
        "{name} has completed the course {course} on {date}.\n\n"
        "The course takes about {duration}. It is part of the online staff training "
        "of {organisation}."
    ),
    "signer_name": "Aino Ylläpitäjä",
    "signer_title": "Koulutuspäällikkö",
    "signer_title_sv": "Utbildningschef",
    "signer_title_en": "Head of Training",
}

# Courses whose certificate must be renewed (months), the rest never expire.
VALIDITY_MONTHS = {"dataskydd-i-vardagen": 24, "saavutettavuuden-perusteet": 36}


def ensure_template() -> CertificateTemplate:
    template, _created = CertificateTemplate.objects.update_or_create(
        name=DEMO_TEMPLATE["name"], defaults=DEMO_TEMPLATE
    )
    return template
