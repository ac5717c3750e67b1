"""A Bottle app covering what the parity scenario (../scenario.json) sends."""
import hashlib
import os

import bottle
from bottle import HTTPResponse, redirect, request, response, static_file, template

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = os.path.join(HERE, "files")
SECRET = "corral-parity-not-a-secret"
bottle.TEMPLATE_PATH.insert(0, os.path.join(HERE, "views"))  # not the working directory's ./views
# Bottle 0.13 caps a whole multipart body held in memory at MEMFILE_MAX (100 KiB), so a file a little
# over it fails with "Memory limit reached" (bottlepy/bottle#1470); apps that take uploads raise it.
bottle.BaseRequest.MEMFILE_MAX = 1024 * 1024

app = bottle.Bottle()


@app.get("/hello/<name>")
def hello(name):
    return template("hello", name=name, greeting=request.query.greeting or "Hello")


@app.get("/items/<item_id:int>")
def item(item_id):
    return {"id": item_id, "fields": request.query.getall("fields")}


@app.delete("/items/<item_id:int>")
def delete_item(item_id):
    response.status = 204


@app.get("/form")
def form():
    return template("form")


@app.post("/form")
def form_post():
    return template("thanks", name=request.forms.name, colours=request.forms.getall("colour"))


@app.post("/upload")
def upload():
    upload = request.files.get("file")
    data = upload.file.read()
    return {"title": request.forms.title, "filename": upload.filename, "size": len(data),
            "content_type": upload.content_type, "sha256": hashlib.sha256(data).hexdigest()}


@app.post("/api/echo")
def echo():
    data = request.json
    return {"received": data, "keys": sorted(data)}


@app.get("/cookies/set")
def set_cookie():
    response.set_cookie("flavor", request.query.flavor, max_age=3600, path="/", httponly=True, samesite="lax")
    return {"set": request.query.flavor}


@app.get("/cookies")
def cookies():
    return {"flavor": request.get_cookie("flavor")}


# Bottle has no sessions of its own; a signed cookie is its documented way to keep a value.
@app.post("/session")
def session_set():
    response.set_cookie("session", request.forms.value, secret=SECRET, path="/", httponly=True)
    return {"stored": request.forms.value}


@app.get("/session")
def session_get():
    return {"value": request.get_cookie("session", secret=SECRET)}


@app.get("/go")
def go():
    redirect("/hello/world", 302)


@app.get("/stream")
def stream():
    response.content_type = "text/plain; charset=utf-8"
    for i in range(5):
        yield f"chunk {i} of 5\n"


@app.get("/boom")
def boom():
    raise RuntimeError("the handler failed on purpose")


@app.get("/etag")
def etag():
    if request.get_header("If-None-Match") == '"v1"':
        return HTTPResponse(status=304, ETag='"v1"')
    response.set_header("ETag", '"v1"')
    response.content_type = "text/plain; charset=utf-8"
    return "this representation has a fixed entity tag\n"


@app.get("/files/<name:path>")
def files(name):
    return static_file(name, root=FILES)


@app.get("/large")
def large():
    response.content_type = "application/octet-stream"
    return b"".join(b"%07d\n" % i for i in range(131072))  # 1 MiB, every line different


@app.error(404)
def not_found(error):
    return template("error", status=404, message="No such page.")


@app.error(500)
def server_error(error):
    return template("error", status=500, message="Something went wrong.")


application = app
