import pytest
from wagtail.models import Page

from lessons.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from tests.factories import CoursePageFactory, LessonPageFactory, ModulePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(catalogue):
    return CoursePageFactory(parent=catalogue)


def test_catalogue_lives_only_at_the_top_of_the_tree_and_only_once(catalogue, course):
    root = Page.get_first_root_node()
    assert CourseIndexPage.can_exist_under(root)
    assert not CourseIndexPage.can_create_at(root)
    assert not CourseIndexPage.can_exist_under(course)
    assert not CourseIndexPage.can_create_at(catalogue)


def test_courses_go_only_into_the_catalogue(catalogue, course):
    assert CoursePage.can_create_at(catalogue)
    assert not CoursePage.can_create_at(Page.get_first_root_node())
    assert not CoursePage.can_create_at(course)


def test_modules_go_only_into_a_course(catalogue, course):
    module = ModulePageFactory(parent=course)
    assert ModulePage.can_create_at(course)
    assert not ModulePage.can_create_at(catalogue)
    assert not ModulePage.can_create_at(module)


def test_lessons_go_into_a_course_or_a_module_and_hold_nothing(catalogue, course):
    module = ModulePageFactory(parent=course)
    lesson = LessonPage(title="Oppitunti", body="Teksti")
    module.add_child(instance=lesson)
    assert LessonPage.can_create_at(course)
    assert LessonPage.can_create_at(module)
    assert not LessonPage.can_create_at(catalogue)
    for page_type in (CoursePage, ModulePage, LessonPage):
        assert not page_type.can_create_at(lesson)


def test_the_admin_lists_a_course_and_a_module_in_the_learners_order(
    client, editor, course
):
    first = ModulePageFactory(parent=course, title="Ensimmäinen osio")
    second = ModulePageFactory(parent=course, title="Toinen osio")
    LessonPageFactory(parent=second, title="B")
    LessonPageFactory(parent=second, title="C").save_revision().publish()
    first.save_revision().publish()
    client.force_login(editor)

    for parent, titles in [
        (course, ["Ensimmäinen osio", "Toinen osio"]),
        (second, ["B", "C"]),
    ]:
        response = client.get(f"/admin/pages/{parent.pk}/")
        listed = [page.title for page in response.context["pages"]]
        assert listed == titles
