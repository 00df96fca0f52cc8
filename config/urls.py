"""The site's URLs."""

from django.contrib import admin
from django.urls import include, path

from cursus.web.views.accounts import set_language

urlpatterns = [
    path("admin/", admin.site.urls),
    # Django's language switch, remembering the choice of a logged-in user.
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", include("cursus.api.urls")),
    path("", include("cursus.web.urls")),
]
