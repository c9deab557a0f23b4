from django.urls import path

from roleplay import apis

# `<str:...>` rather than `<int:...>`: a non-numeric id must still reach the view and
# answer 404 in the API's JSON error shape, not Django's HTML 404 page.
urlpatterns = [
    path("categories", apis.CategoryListApi.as_view(), name="category-list"),
    path("roleplays/official", apis.RoleplayOfficialListApi.as_view(), name="roleplay-official"),
    path("roleplays/mine", apis.RoleplayMineListApi.as_view(), name="roleplay-mine"),
    path("roleplays/<str:roleplay_id>", apis.RoleplayDetailApi.as_view(), name="roleplay-detail"),
    path(
        "roleplays/<str:roleplay_id>/lines",
        apis.RoleplayLineListApi.as_view(),
        name="roleplay-lines",
    ),
]
