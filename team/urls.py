from django.urls import path

from team import assignment_views, certificate_views, privacy_views, views

app_name = "team"

urlpatterns = [
    path("team/", views.dashboard, name="dashboard"),
    path("team/export.csv", views.export_csv, name="export_csv"),
    path("team/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("team/assign/", views.assign, name="assign"),
    path("team/people/<int:person_id>/", views.person, name="person"),
    path("team/assignments/", assignment_views.assignment_list, name="assignments"),
    path(
        "team/assignments/<int:assignment_id>/",
        assignment_views.assignment_detail,
        name="assignment",
    ),
    path(
        "team/assignments/<int:assignment_id>/withdraw/",
        assignment_views.assignment_withdraw,
        name="assignment_withdraw",
    ),
    path(
        "team/certificates/", certificate_views.team_certificates, name="certificates"
    ),
    path(
        "team/certificates/download.zip",
        certificate_views.team_zip,
        name="certificates_zip",
    ),
    path(
        "team/certificates/register.csv",
        certificate_views.team_register_csv,
        name="certificates_csv",
    ),
    path(
        "team/certificates/register.xlsx",
        certificate_views.team_register_xlsx,
        name="certificates_xlsx",
    ),
    path(
        "learning/record.json",
        privacy_views.learning_record,
        {"file_format": "json"},
        name="learning_record_json",
    ),
    path(
        "learning/record.csv",
        privacy_views.learning_record,
        {"file_format": "csv"},
        name="learning_record_csv",
    ),
]
