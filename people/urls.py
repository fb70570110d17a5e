from django.urls import path

from people import team_views, views

app_name = "people"

urlpatterns = [
    path("team/", team_views.dashboard, name="team"),
    path("team/export.csv", team_views.export_csv, name="team_export_csv"),
    path("team/export.xlsx", team_views.export_xlsx, name="team_export_xlsx"),
    path("team/assign/", team_views.assign, name="team_assign"),
    path("team/people/<int:person_id>/", team_views.person, name="team_person"),
    path(
        "learning/record.json",
        views.learning_record,
        {"file_format": "json"},
        name="learning_record_json",
    ),
    path(
        "learning/record.csv",
        views.learning_record,
        {"file_format": "csv"},
        name="learning_record_csv",
    ),
]
