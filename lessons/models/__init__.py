from lessons.models.pages import (
    Audience,
    ContentLanguage,
    CourseIndexPage,
    CoursePage,
    CourseStep,
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
    "CourseStep",
    "CourseTopic",
    "Enrollment",
    "LessonPage",
    "ModulePage",
    "StepCompletion",
    "format_minutes",
]
