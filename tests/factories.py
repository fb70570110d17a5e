import factory
import wagtail_factories
from django.contrib.auth.models import Group

from lessons.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from people.models import User
from quizzes.models import QuizPage

PASSWORD = "correct horse battery staple"
"""Every person the factories make has this password."""


class UserFactory(factory.django.DjangoModelFactory):
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(PASSWORD)

    class Meta:
        model = User
        skip_postgeneration_save = True

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        for name in names or ():
            self.groups.add(Group.objects.get(name=name))


class CourseIndexPageFactory(wagtail_factories.PageFactory):
    title = "Kurssit"
    slug = "kurssit"

    class Meta:
        model = CourseIndexPage


class CoursePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Kurssi {n}")
    summary = "Lyhyt kuvaus kurssista."
    description = "Kurssin **kuvaus**."
    estimated_minutes = 45

    class Meta:
        model = CoursePage


class ModulePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Moduuli {n}")

    class Meta:
        model = ModulePage


class LessonPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Oppitunti {n}")
    body = "## Otsikko\n\nOppitunnin *teksti*."
    estimated_minutes = 10

    class Meta:
        model = LessonPage


class QuizPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Loppukoe {n}")
    intro = "Vastaa kysymyksiin."
    pass_mark = 60
    shuffle_choices = False

    class Meta:
        model = QuizPage
