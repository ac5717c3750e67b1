from django.urls import path

import views

urlpatterns = [
    path("hello/<str:name>", views.hello, name="hello"),
    path("items/<int:item_id>", views.item),
    path("form", views.form),
    path("upload", views.upload),
    path("api/echo", views.echo),
    path("cookies/set", views.set_cookie),
    path("cookies", views.cookies),
    path("session", views.session_value),
    path("go", views.go),
    path("stream", views.stream),
    path("boom", views.boom),
    path("etag", views.etagged),
    path("files/<path:name>", views.files),
    path("large", views.large),
    path("db/notes", views.notes),
]

handler404 = "views.not_found"
handler500 = "views.server_error"
