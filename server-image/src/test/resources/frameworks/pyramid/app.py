"""A Pyramid app covering what the parity scenario (../scenario.json) sends."""
import hashlib
import os

from pyramid.config import Configurator
from pyramid.httpexceptions import HTTPFound, HTTPNoContent
from pyramid.response import Response
from pyramid.session import SignedCookieSessionFactory
from pyramid.view import exception_view_config, notfound_view_config, view_config

HERE = os.path.dirname(os.path.abspath(__file__))


@view_config(route_name="hello", request_method="GET", renderer="hello.jinja2")
def hello(request):
    return {"name": request.matchdict["name"], "greeting": request.params.get("greeting", "Hello")}


@view_config(route_name="item", request_method="GET", renderer="json")
def item(request):
    return {"id": int(request.matchdict["item_id"]), "fields": request.params.getall("fields")}


@view_config(route_name="item", request_method="DELETE")
def delete_item(request):
    return HTTPNoContent()


@view_config(route_name="form", request_method="GET", renderer="form.jinja2")
def form(request):
    return {}


@view_config(route_name="form", request_method="POST", renderer="thanks.jinja2")
def form_post(request):
    return {"name": request.POST["name"], "colours": request.POST.getall("colour")}


@view_config(route_name="upload", request_method="POST", renderer="json")
def upload(request):
    upload = request.POST["file"]
    data = upload.file.read()
    return {"title": request.POST["title"], "filename": upload.filename, "size": len(data),
            "content_type": upload.type, "sha256": hashlib.sha256(data).hexdigest()}


@view_config(route_name="echo", request_method="POST", renderer="json")
def echo(request):
    data = request.json_body
    return {"received": data, "keys": sorted(data)}


@view_config(route_name="cookies_set", request_method="GET", renderer="json")
def set_cookie(request):
    flavor = request.params["flavor"]
    request.response.set_cookie("flavor", flavor, max_age=3600, path="/", httponly=True, samesite="Lax")
    return {"set": flavor}


@view_config(route_name="cookies", request_method="GET", renderer="json")
def cookies(request):
    return {"flavor": request.cookies.get("flavor")}


@view_config(route_name="session", request_method="POST", renderer="json")
def session_set(request):
    request.session["value"] = request.POST["value"]
    return {"stored": request.session["value"]}


@view_config(route_name="session", request_method="GET", renderer="json")
def session_get(request):
    return {"value": request.session.get("value")}


@view_config(route_name="go")
def go(request):
    return HTTPFound(location=request.route_url("hello", name="world"))


@view_config(route_name="stream")
def stream(request):
    return Response(app_iter=(f"chunk {i} of 5\n".encode() for i in range(5)), content_type="text/plain")


@view_config(route_name="boom")
def boom(request):
    raise RuntimeError("the handler failed on purpose")


@view_config(route_name="etag")
def etag(request):
    response = Response("this representation has a fixed entity tag\n", content_type="text/plain")
    response.etag = "v1"
    response.conditional_response = True  # WebOb answers If-None-Match with 304
    return response


@view_config(route_name="large")
def large(request):
    body = b"".join(b"%07d\n" % i for i in range(131072))  # 1 MiB, every line different
    return Response(body=body, content_type="application/octet-stream")


@notfound_view_config(renderer="error.jinja2")
def not_found(request):
    request.response.status = 404
    return {"status": 404, "message": "No such page."}


@exception_view_config(Exception, renderer="error.jinja2")
def server_error(exc, request):
    request.response.status = 500
    return {"status": 500, "message": "Something went wrong."}


with Configurator(settings={"jinja2.directories": os.path.join(HERE, "templates")}) as config:
    config.include("pyramid_jinja2")
    # reissue_time=None: Pyramid's default (0) re-sends the cookie when a whole second has passed
    # since it was set, so the parity result would depend on how fast each server answered.
    config.set_session_factory(
        SignedCookieSessionFactory("corral-parity-not-a-secret", httponly=True, reissue_time=None)
    )
    config.add_route("hello", "/hello/{name}")
    config.add_route("item", r"/items/{item_id:\d+}")
    config.add_route("form", "/form")
    config.add_route("upload", "/upload")
    config.add_route("echo", "/api/echo")
    config.add_route("cookies_set", "/cookies/set")
    config.add_route("cookies", "/cookies")
    config.add_route("session", "/session")
    config.add_route("go", "/go")
    config.add_route("stream", "/stream")
    config.add_route("boom", "/boom")
    config.add_route("etag", "/etag")
    config.add_route("large", "/large")
    config.add_static_view(name="files", path=os.path.join(HERE, "files"))
    config.scan()
    application = config.make_wsgi_app()
