"""Create a 60-lesson course and a logged-in learner; print the lesson URL and cookie.

Run by bench/lesson_page.py with the benchmark's environment.
"""

import json

import django

django.setup()

from django.test import Client  # noqa: E402
from wagtail.models import Page, Site  # noqa: E402

from lessons import progress  # noqa: E402
from lessons.models import CourseIndexPage, CoursePage, LessonPage, ModulePage  # noqa: E402
from people.models import User  # noqa: E402

BODY = (
    "## Otsikko\n\n"
    + "Tässä on oppitunnin tekstiä, jossa on **lihavointia** ja *kursiivia*. " * 20
    + "\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n/// tip | Vinkki\nHyvä vinkki.\n///\n"
)


def main():
    root = Page.get_first_root_node()
    catalogue = CourseIndexPage(title="Kurssit", slug="bench-kurssit")
    root.add_child(instance=catalogue)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": catalogue},
    )
    course = CoursePage(
        title="Pitkä kurssi", slug="pitka-kurssi", summary="60 oppituntia"
    )
    catalogue.add_child(instance=course)
    modules = []
    for number in range(3):
        module = ModulePage(title=f"Osio {number + 1}", slug=f"osio-{number + 1}")
        course.add_child(instance=module)
        modules.append(module)
    lessons = []
    for number in range(60):
        lesson = LessonPage(
            title=f"Oppitunti {number + 1}", slug=f"oppitunti-{number + 1}", body=BODY
        )
        modules[number // 20].add_child(instance=lesson)
        lessons.append(lesson)
    learner = User.objects.create_user("bench.learner@example.org", "bench-password-1")
    for lesson in lessons[:30]:
        progress.complete_step(user=learner, step=lesson)
    client = Client()
    client.force_login(learner)
    print(
        json.dumps(
            {
                "lesson_url": lessons[31].url,
                "session": client.cookies["sessionid"].value,
            }
        )
    )


main()
