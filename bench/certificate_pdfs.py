"""Benchmark: rendering certificate PDFs and streaming a team's ZIP of 1,000 of them.

On a fresh SQLite database (or DATABASE_URL if set): issues the certificates of 30
learners who completed a course with a Finnish certificate template, then times
`render_and_store` for each (median, p95, mean PDF size). Issuing runs with the
dummy task backend, so the render task queued on commit does not run and only the
timed calls render. Then copies one rendered PDF into the private storage for 100
and for 1,000 certificates of two teams and, as each team's manager, streams
/team/certificates/download.zip through the Django test client: time and bytes,
then the peak Python memory (tracemalloc, in a second run), and checks the entries
of the 100-file ZIP.

    .venv/bin/python bench/certificate_pdfs.py [--learners 30] [--files 1000]
"""

import argparse
import io
import statistics
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench.import_people import FIRST, LAST  # noqa: E402
from bench.throwaway import migrated_site  # noqa: E402

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
URL = "/team/certificates/download.zip"
BODY_FI = (
    "{name} on suorittanut verkkokurssin {course} {date}.\n\n"
    "Kurssin laajuus on {duration}. Todistuksen myöntää {organisation}."
)


def seed_course():
    """A catalogue as the default site and a course with a certificate template."""
    from wagtail.models import Page, Site

    from certificates.models import CertificateTemplate
    from lessons.models import CourseIndexPage, CoursePage

    root = Page.get_first_root_node()
    catalogue = root.add_child(instance=CourseIndexPage(title="Kurssit", slug="k"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": catalogue},
    )
    template = CertificateTemplate.objects.create(
        name="Perustodistus",
        title_fi="Todistus",
        body_fi=BODY_FI,
        signer_name="Maija Mäkinen",
        signer_title="Koulutuspäällikkö",
    )
    return catalogue.add_child(
        instance=CoursePage(
            title="Tietoturvan perusteet",
            slug="tietoturva",
            summary="S",
            estimated_minutes=75,
            certificate_template=template,
        )
    )


def person(number, **fields):
    """An unsaved learner with a Finnish name and a unique address."""
    from people.models import User

    return User(
        email=f"todistus{number}@kaupunki.example",
        first_name=FIRST[number % len(FIRST)],
        last_name=LAST[number % len(LAST)],
        password="!",
        **fields,
    )


def issue(course, learners):
    """Create completed enrolments and issue their certificates, without rendering."""
    from django.test import override_settings
    from django.utils import timezone

    from certificates.issuing import issue_certificate
    from lessons.models import Enrollment

    certificates = []
    with override_settings(TASKS=DUMMY_TASKS):
        for number in range(learners):
            user = person(number)
            user.save()
            enrollment = Enrollment.objects.create(user=user, course=course)
            enrollment.completed_at = timezone.now()
            enrollment.save(update_fields=["completed_at"])
            certificates.append(issue_certificate(enrollment))
    return certificates


def time_renders(certificates):
    """Render and store each certificate's PDF; return the seconds and the sizes."""
    from certificates.issuing import render_and_store

    seconds, sizes = [], []
    for certificate in certificates:
        started = time.perf_counter()
        assert render_and_store(certificate), certificate.pk
        seconds.append(time.perf_counter() - started)
        sizes.append(certificate.pdf.size)
    return seconds, sizes


def stored_team(course, pdf, size, start):
    """A manager and a unit of `size` people, each with a certificate of this PDF."""
    from django.core.files.storage import storages
    from django.utils import timezone

    from certificates.codes import new_code
    from certificates.models import Certificate
    from lessons.models import Enrollment
    from people.models import OrgUnit, User

    unit = OrgUnit.add_root(name=f"Tiimi {size}", code=f"U{start}")
    manager = User.objects.create_user(f"esihenkilo{start}@kaupunki.example")
    unit.managers.add(manager)
    users = User.objects.bulk_create(
        [person(start + n, org_unit=unit) for n in range(size)], batch_size=500
    )
    now = timezone.now()
    enrollments = Enrollment.objects.bulk_create(
        [Enrollment(user=u, course=course, completed_at=now) for u in users],
        batch_size=500,
    )
    certificates = [
        Certificate(
            code=new_code(),
            user=e.user,
            course=course,
            enrollment=e,
            completed_at=now,
            holder_name=e.user.get_full_name(),
            course_title=course.title,
            language="fi",
            template=course.certificate_template,
        )
        for e in enrollments
    ]
    storage = storages["private"]
    for certificate in certificates:
        certificate.pdf.name = f"certificates/{certificate.pk}.pdf"
        path = Path(storage.path(certificate.pdf.name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pdf)
    Certificate.objects.bulk_create(certificates, batch_size=500)
    return manager


def fetch(client, keep=False):
    """Request the ZIP and consume it chunk by chunk; return its size (or bytes)."""
    response = client.get(URL)
    assert response.status_code == 200, response.status_code
    assert response.streaming
    if keep:
        return b"".join(response.streaming_content)
    return sum(len(chunk) for chunk in response.streaming_content)


def measure_zip(manager):
    """Time the ZIP download; then repeat it to trace the peak Python memory.

    tracemalloc slows allocation-heavy code several times over, so the timed run
    goes without it.
    """
    from django.test import Client

    client = Client()
    client.force_login(manager)
    started = time.perf_counter()
    size = fetch(client)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    fetch(client)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return client, seconds, size, peak


def zip_entries(client):
    """Download the ZIP whole, check every entry's CRC and return the entry count."""
    with zipfile.ZipFile(io.BytesIO(fetch(client, keep=True))) as archive:
        assert archive.testzip() is None
        return len(archive.namelist())


def report_renders(seconds, sizes):
    cuts = statistics.quantiles(seconds, n=20, method="inclusive")
    print(
        f"PDF render, {len(seconds)} certificates: "
        f"median {statistics.median(seconds) * 1000:.0f} ms, "
        f"p95 {cuts[18] * 1000:.0f} ms, first {seconds[0] * 1000:.0f} ms, "
        f"mean size {statistics.mean(sizes) / 1000:.1f} kB"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--files", type=int, default=1000)
    arguments = parser.parse_args()
    with migrated_site("bench-certificates-"):
        course = seed_course()
        certificates = issue(course, arguments.learners)
        seconds, sizes = time_renders(certificates)
        report_renders(seconds, sizes)
        pdf = certificates[-1].pdf.open("rb").read()
        start = arguments.learners
        for files in (100, arguments.files):
            manager = stored_team(course, pdf, files, start)
            start += files
            client, seconds, size, peak = measure_zip(manager)
            print(
                f"ZIP of {files:5d} PDFs {seconds:6.2f} s {size / 1e6:7.1f} MB out, "
                f"peak {peak / 1e6:5.1f} MB Python memory"
            )
            if files == 100:
                print(f"ZIP of {files:5d} PDFs has {zip_entries(client)} entries")


if __name__ == "__main__":
    main()
