"""The API's URLs (/api/v1/...) and the token pages of the preferences."""

from django.urls import include, path, re_path

from . import docs, follow_up, resources, views

api = [
    path("", docs.Index.as_view(), name="api-root"),
    path("schema/", docs.Schema.as_view(), name="api-schema"),
    path("docs/", docs.Docs.as_view(), name="api-docs"),
    path("problems/", docs.ProblemTypes.as_view(), name="api-problems"),
    path("chapters/", resources.chapter_list, name="api-chapters"),
    path("chapters/<str:numeral>/", resources.chapter_detail, name="api-chapter"),
    path("paragraphs/", resources.ParagraphList.as_view(), name="api-paragraphs"),
    path("paragraphs/<int:number>/", resources.ParagraphDetail.as_view(), name="api-paragraph"),
    path("recommendations/", resources.RecommendationList.as_view(), name="api-recommendations"),
    path(
        "recommendations/<str:code>/",
        resources.RecommendationDetail.as_view(),
        name="api-recommendation",
    ),
    path("actors/", resources.actor_list, name="api-actors"),
    path("actors/<str:key>/", resources.actor_detail, name="api-actor"),
    path("themes/", resources.theme_list, name="api-themes"),
    path("themes/<str:key>/", resources.theme_detail, name="api-theme"),
    path("agenda-points/", resources.agenda_point_list, name="api-agenda-points"),
    path("agenda-points/<str:key>/", resources.agenda_point_detail, name="api-agenda-point"),
    path("gcm-objectives/", resources.gcm_objective_list, name="api-gcm-objectives"),
    path("gcm-objectives/<str:key>/", resources.gcm_objective_detail, name="api-gcm-objective"),
    path("sdg-targets/", resources.sdg_target_list, name="api-sdg-targets"),
    path("sdg-targets/<str:key>/", resources.sdg_target_detail, name="api-sdg-target"),
    path("lines/", follow_up.LineList.as_view(), name="api-lines"),
    path("lines/<int:line_id>/", follow_up.LineDetail.as_view(), name="api-line"),
    path("lines/<int:line_id>/updates/", follow_up.LineUpdates.as_view(), name="api-line-updates"),
    path("status-updates/", follow_up.UpdateList.as_view(), name="api-updates"),
    path("status-updates/<int:update_id>/", follow_up.UpdateDetail.as_view(), name="api-update"),
    path("rollups/", follow_up.Rollups.as_view(), name="api-rollups"),
    re_path(r"^(?P<rest>.*)$", docs.not_found),
]

urlpatterns = [
    path("api/v1/", include(api)),
    path("preferences/api-tokens/new/", views.token_new, name="api-token-new"),
    path(
        "preferences/api-tokens/<int:token_id>/revoke/", views.token_revoke, name="api-token-revoke"
    ),
]
