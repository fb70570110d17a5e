from lessons.models.pages import (
    Audience,
    ContentLanguage,
    CourseIndexPage,
    CoursePage,
    CourseTopic,
    LessonPage,
    ModulePage,
    format_minutes,
)
from lessons.models.records import Enrollment, StepCompletion

__all__ = [
    "Audience",
    "ContentLanguage",
    "CourseIndexPage",
    "CoursePage",
    "CourseTopic",
    "Enrollment",
    "LessonPage",
    "ModulePage",
    "StepCompletion",
    "format_minutes",
]
