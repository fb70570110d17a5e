"""Benchmark: reminders for 20,000 people with three assigned courses each, run twice.

On a fresh SQLite database (or DATABASE_URL if set, which must be empty and
migrated): an org tree of sectors, departments and teams (a manager each), the
people (bulk_create) and their enrolments. Per person, course 1 is due tomorrow
and course 2 in 30 days; course 3 was due yesterday for half of each team and is due
in 7 days for the others. So each person gets two reminders and each team's
manager a digest. Then `send_reminders` runs twice on the same day, with the
locmem e-mail backend; the script prints each run's time and queries and asserts
that every due reminder went out exactly once (the outbox and ReminderLog).

    .venv/bin/python bench/reminders_at_scale.py [--people 20000]
"""

import argparse
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench.import_people import FIRST, LAST  # noqa: E402
from bench.throwaway import migrated_site  # noqa: E402

SECTORS, DEPARTMENTS, TEAMS = 10, 10, 2
COURSES = ("Tietoturva", "Saavutettavuuden perusteet", "Tekoäly ja me")


def seed_courses():
    from wagtail.models import Page, Site

    from lessons.models import CourseIndexPage, CoursePage, LessonPage

    root = Page.get_first_root_node()
    catalogue = root.add_child(instance=CourseIndexPage(title="Kurssit", slug="k"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": catalogue},
    )
    courses = []
    for number, title in enumerate(COURSES):
        course = catalogue.add_child(
            instance=CoursePage(title=title, slug=f"c{number}", summary=title)
        )
        course.add_child(instance=LessonPage(title="Aloitus", slug="aloitus"))
        courses.append(course)
    return courses


def seed_teams():
    """The org tree: sectors, departments and teams; return the teams."""
    from people.models import OrgUnit

    city = OrgUnit.add_root(name="Kaupunki", code="CITY")
    teams = []
    for sector_number in range(SECTORS):
        sector = city.add_child(
            name=f"Toimiala {sector_number}", code=f"S{sector_number}"
        )
        for department_number in range(DEPARTMENTS):
            code = f"S{sector_number}D{department_number}"
            department = sector.add_child(name=f"Osasto {code}", code=code)
            for team_number in range(TEAMS):
                teams.append(
                    department.add_child(
                        name=f"Tiimi {code}T{team_number}", code=f"{code}T{team_number}"
                    )
                )
            sector.refresh_from_db()
        city.refresh_from_db()
    return teams


def seed_people(teams, count):
    """`count` people spread over the teams, the first of each team its manager."""
    from people.models import User

    people = User.objects.bulk_create(
        (
            User(
                email=f"person{number}@example.org",
                first_name=FIRST[number % len(FIRST)],
                last_name=LAST[number % len(LAST)],
                employee_number=f"E{number:06d}",
                preferred_language=("fi", "sv", "en")[number % 3],
                org_unit=teams[number % len(teams)],
                password="!",  # noqa: S106 (an unusable password)
            )
            for number in range(count)
        ),
        batch_size=2000,
    )
    Managers = teams[0].managers.through
    Managers.objects.bulk_create(
        Managers(orgunit_id=team.pk, user_id=people[index].pk)
        for index, team in enumerate(teams)
    )
    return people


def seed_enrolments(people, courses, today, teams):
    from lessons.models import Enrollment
    from lessons.models.records import EnrollmentSource

    def due_dates(number):
        overdue = number // len(teams) % 2 == 0  # half of each team
        return (1, 30, -1 if overdue else 7)

    Enrollment.objects.bulk_create(
        (
            Enrollment(
                user=person,
                course=course,
                source=EnrollmentSource.ASSIGNED,
                due_date=today + timedelta(days=days),
            )
            for number, person in enumerate(people)
            for course, days in zip(courses, due_dates(number), strict=True)
        ),
        batch_size=2000,
    )


def timed_run(today):
    """Run the reminders once; return (report, seconds, queries)."""
    from django.db import connection

    from team.reminders import send_reminders

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(count):
        report = send_reminders(today=today)
    return report, time.perf_counter() - started, queries


def check_sent_once(expected):
    from django.core import mail

    from team.models import ReminderLog

    pairs = Counter((tuple(message.to), message.subject) for message in mail.outbox)
    doubled = [pair for pair, times in pairs.items() if times > 1]
    assert not doubled, f"sent more than once: {doubled[:5]}"
    assert len(mail.outbox) == expected, (len(mail.outbox), expected)
    assert ReminderLog.objects.count() == expected


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=20000)
    arguments = parser.parse_args()
    with migrated_site("bench-reminders-"):
        from django.conf import settings
        from django.utils import timezone

        settings.SITE_URL = "https://oppiminen.example.org"
        today = timezone.localdate()
        started = time.perf_counter()
        courses = seed_courses()
        teams = seed_teams()
        people = seed_people(teams, arguments.people)
        seed_enrolments(people, courses, today, teams)
        print(
            f"seeded {len(people)} people in {len(teams)} teams, "
            f"{3 * len(people)} enrolments in {time.perf_counter() - started:.1f} s"
        )
        expected = 2 * len(people) + len(teams)
        for run in (1, 2):
            report, seconds, queries = timed_run(today)
            print(
                f"run {run}: sent {report.sent:6d} ({report.due_soon} due soon, "
                f"{report.overdue} overdue, {report.digests} digests) "
                f"in {seconds:6.1f} s with {queries} queries"
            )
            assert report.sent == (expected if run == 1 else 0), report
            assert report.failed == 0
            check_sent_once(expected)
        print(f"every one of the {expected} due reminders was sent exactly once")


if __name__ == "__main__":
    main()
