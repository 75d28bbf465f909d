from django.urls import path

from ctip.statistics import import_views, public_views, views

app_name = "statistics"

urlpatterns = [
    path("statistics/", views.rounds_view, name="rounds"),
    path("statistics/rounds/<int:year>/", views.round_view, name="round"),
    path("statistics/rounds/<int:year>/start/", views.submission_start_view, name="start"),
    path("statistics/rounds/<int:year>/import/", import_views.import_view, name="import"),
    path("statistics/rounds/<int:year>/template.xlsx", import_views.template_view, name="template"),
    path("statistics/rounds/<int:year>/publish/", views.publish_view, name="publish"),
    path("statistics/rounds/<int:year>/export/<str:fmt>/", views.export_view, name="export"),
    path("statistics/rounds/<int:year>/dedup/", views.dedup_run_view, name="dedup_run"),
    path("statistics/rounds/<int:year>/expected/", views.expected_view, name="expected"),
    path("statistics/clusters/<int:cluster_id>/", views.dedup_decide_view, name="dedup_decide"),
    path("statistics/imports/<str:job_id>/", import_views.import_result, name="import_result"),
    path(
        "statistics/imports/<str:job_id>/import/",
        import_views.import_confirm,
        name="import_confirm",
    ),
    path("statistics/rounds/<int:year>/state/", views.round_state_view, name="round_state"),
    path("statistics/submissions/<int:submission_id>/", views.submission_view, name="submission"),
    path("statistics/submissions/<int:submission_id>/grid/", views.submission_grid, name="grid"),
    path(
        "statistics/submissions/<int:submission_id>/records/",
        views.submission_records,
        name="records",
    ),
    path(
        "statistics/submissions/<int:submission_id>/submit/", views.submission_submit, name="submit"
    ),
    path(
        "statistics/submissions/<int:submission_id>/explain/",
        views.submission_explain,
        name="explain",
    ),
    path(
        "statistics/submissions/<int:submission_id>/<str:decision>/",
        views.submission_review,
        name="review",
    ),
    path("public/statistics/", public_views.public_index, name="public_index"),
    path("public/statistics/sdmx-dsd.xml", public_views.public_dsd, name="public_dsd"),
    path("public/statistics/<int:year>/", public_views.public_release, name="public_release"),
    path(
        "public/statistics/<int:year>/<str:fmt>/", public_views.public_export, name="public_export"
    ),
]
