from django.urls import path

from lessons import views

app_name = "lessons"

urlpatterns = [
    path("markdown/preview/", views.markdown_preview, name="markdown_preview"),
    path("markdown/upload/", views.markdown_upload, name="markdown_upload"),
    path("search/", views.search, name="search"),
    path("learning/", views.my_learning, name="my_learning"),
    path("courses/<int:course_id>/enrol/", views.enrol, name="enrol"),
    path(
        "courses/<int:course_id>/completed/",
        views.course_completed,
        name="course_completed",
    ),
    path("steps/<int:page_id>/complete/", views.complete_step, name="complete_step"),
]
