"""Views for what the parity scenario (../scenario.json) sends."""
import hashlib
import json
import os

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import etag, require_http_methods, require_POST, require_safe

FILES = os.path.realpath(os.path.join(settings.BASE_DIR, "files"))


@require_safe
def hello(request, name):
    return render(request, "hello.html", {"name": name, "greeting": request.GET.get("greeting", "Hello")})


@require_http_methods(["GET", "HEAD", "DELETE"])
def item(request, item_id):
    if request.method == "DELETE":
        response = HttpResponse(status=204)
        del response.headers["Content-Type"]  # no body, so no type (wsgiref.validate insists)
        return response
    return JsonResponse({"id": item_id, "fields": request.GET.getlist("fields")})


@require_http_methods(["GET", "HEAD", "POST"])
def form(request):
    if request.method == "POST":
        return render(request, "thanks.html", {"name": request.POST["name"], "colours": request.POST.getlist("colour")})
    return render(request, "form.html")


@require_POST
def upload(request):
    upload = request.FILES["file"]
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return JsonResponse({"title": request.POST["title"], "filename": upload.name, "size": upload.size,
                         "content_type": upload.content_type, "sha256": digest.hexdigest()})


def json_body(request):
    try:
        return json.loads(request.body)
    except ValueError:
        return None


@require_POST
def echo(request):
    data = json_body(request)
    if data is None:
        return JsonResponse({"error": "request body is not JSON", "length": len(request.body)}, status=400)
    return JsonResponse({"received": data, "keys": sorted(data)})


@require_safe
def set_cookie(request):
    response = JsonResponse({"set": request.GET["flavor"]})
    response.set_cookie("flavor", request.GET["flavor"], max_age=3600, httponly=True, samesite="Lax")
    return response


@require_safe
def cookies(request):
    return JsonResponse({"flavor": request.COOKIES.get("flavor")})


@require_http_methods(["GET", "HEAD", "POST"])
def session_value(request):
    if request.method == "POST":
        request.session["value"] = request.POST["value"]
        return JsonResponse({"stored": request.session["value"]})
    return JsonResponse({"value": request.session.get("value")})


def go(request):
    return redirect("hello", name="world")


def stream(request):
    return StreamingHttpResponse((f"chunk {i} of 5\n" for i in range(5)), content_type="text/plain; charset=utf-8")


def boom(request):
    raise RuntimeError("the handler failed on purpose")


@etag(lambda request: "v1")
def etagged(request):
    return HttpResponse("this representation has a fixed entity tag\n", content_type="text/plain; charset=utf-8")


@require_safe
def files(request, name):
    path = os.path.realpath(os.path.join(FILES, name))
    if not path.startswith(FILES + os.sep) or not os.path.isfile(path):
        raise Http404(name)
    return FileResponse(open(path, "rb"))


def large(request):
    body = b"".join(b"%07d\n" % i for i in range(131072))  # 1 MiB, every line different
    return HttpResponse(body, content_type="application/octet-stream")


@require_http_methods(["GET", "HEAD", "POST"])
def notes(request):
    if not settings.NOTES_DATABASE:
        return JsonResponse({"error": "no database here: the sqlite3 module cannot be imported"}, status=503)
    from notes.models import Note

    if request.method == "POST":
        note = Note.objects.create(text=json_body(request)["text"])
        return JsonResponse({"id": note.id, "text": note.text}, status=201)
    return JsonResponse({"notes": list(Note.objects.order_by("id").values("id", "text"))})


def not_found(request, exception):
    return render(request, "error.html", {"status": 404, "message": "No such page."}, status=404)


def server_error(request):
    return render(request, "error.html", {"status": 500, "message": "Something went wrong."}, status=500)
