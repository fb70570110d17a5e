from django.urls import path

from certificates import team_views, views

app_name = "certificates"

urlpatterns = [
    path("certificates/", views.my_certificates, name="mine"),
    path("certificates/verify/", views.verify_form, name="verify_form"),
    path("certificates/verify/<str:code>/", views.verify, name="verify"),
    path(
        "certificates/<uuid:certificate_id>/download/",
        views.download,
        name="download",
    ),
    path("team/certificates/", team_views.team_certificates, name="team"),
    path("team/certificates/download.zip", team_views.team_zip, name="team_zip"),
    path(
        "team/certificates/register.csv",
        team_views.team_register_csv,
        name="team_register_csv",
    ),
    path(
        "team/certificates/register.xlsx",
        team_views.team_register_xlsx,
        name="team_register_xlsx",
    ),
]
