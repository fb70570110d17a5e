"""Benchmark: the team dashboard and its exports for a 20,000-person organisation.

On a fresh SQLite database (or DATABASE_URL if set): imports the 20,000-row HR
export of bench/import_people.py, assigns three courses to every sector, marks
steps done for a third of the people, then times, through the Django test client,
the dashboard's first page for a training admin (everyone) and for a team manager,
and the CSV and XLSX exports of everyone (60,000 rows), with the queries each made
and the peak Python memory (tracemalloc, in a second run) they needed.

    .venv/bin/python bench/team_report.py [--rows 20000]
"""

import argparse
import os
import sys
import time
import tracemalloc
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench.import_people import write_export  # noqa: E402
from bench.throwaway import migrated_site  # noqa: E402


def seed(rows, folder):
    from datetime import date, timedelta

    from django.contrib.auth.models import Group
    from wagtail.models import Page, Site

    from lessons.models import CourseIndexPage, CoursePage, LessonPage, StepCompletion
    from people.importing import import_people
    from people.models import OrgUnit, User
    from team.assignments import assign_course

    export = Path(folder) / "hr.csv"
    write_export(export, rows)
    import_people(export.read_bytes())
    root = Page.get_first_root_node()
    catalogue = root.add_child(instance=CourseIndexPage(title="Kurssit", slug="k"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": catalogue},
    )
    admin = User.objects.create_user("bench.admin@example.org", "bench-password-1")
    admin.groups.add(Group.objects.get(name="Training administrators"))
    courses = []
    for number in range(3):
        course = catalogue.add_child(
            instance=CoursePage(
                title=f"Kurssi {number}", slug=f"kurssi-{number}", summary="S"
            )
        )
        for lesson in range(5):
            course.add_child(
                instance=LessonPage(title=f"Oppitunti {lesson}", slug=f"o-{lesson}")
            )
        courses.append(course)
    for sector in OrgUnit.get_root_nodes():
        for number, course in enumerate(courses):
            assign_course(
                course=course,
                due_date=date.today() + timedelta(days=10 * number - 5),
                assigned_by=admin,
                unit=sector,
            )
    lessons = list(LessonPage.objects.filter(path__startswith=courses[0].path))
    people = list(User.objects.values_list("pk", flat=True)[::3])
    StepCompletion.objects.bulk_create(
        [StepCompletion(user_id=u, page=lesson) for u in people for lesson in lessons],
        batch_size=2000,
    )
    manager = User.objects.filter(managed_units__depth=3).first()
    return admin, manager


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def measure(client, url):
    """Time a request and count its queries; then repeat it to trace memory.

    tracemalloc slows allocation-heavy code several times over, so the timed run
    goes without it.
    """
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        size = fetch(client, url)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    fetch(client, url)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, len(queries), size, peak


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20000)
    rows = parser.parse_args().rows
    with migrated_site("bench-team-") as folder:
        from django.test import Client

        started = time.perf_counter()
        admin, manager = seed(rows, folder)
        print(f"seeded {rows} people in {time.perf_counter() - started:.1f} s")
        if os.environ.get("BENCH_PROFILE"):
            import cProfile

            client = Client()
            client.force_login(admin)
            cProfile.runctx(
                "b''.join(client.get(os.environ['BENCH_PROFILE']).streaming_content)",
                globals(),
                {"client": client, "os": os},
                sort="cumtime",
            )
            return
        for who, person, url in (
            ("training admin", admin, "/team/"),
            ("training admin", admin, "/team/?status=overdue&sort=-completed"),
            ("team manager", manager, "/team/"),
            ("training admin", admin, "/team/export.csv"),
            ("training admin", admin, "/team/export.xlsx"),
        ):
            client = Client()
            client.force_login(person)
            seconds, queries, size, peak = measure(client, url)
            print(
                f"{who:<15} {url:<40} {seconds:6.2f} s {queries:4d} queries "
                f"{size / 1e6:6.1f} MB out, peak {peak / 1e6:5.1f} MB Python memory"
            )


if __name__ == "__main__":
    main()
