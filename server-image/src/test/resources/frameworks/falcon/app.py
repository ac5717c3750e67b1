"""A Falcon (WSGI App) app covering what the parity scenario (../scenario.json) sends."""
import base64
import hashlib
import hmac
import json
import os

import falcon
from jinja2 import Environment, FileSystemLoader, select_autoescape

HERE = os.path.dirname(os.path.abspath(__file__))
SECRET = b"corral-parity-not-a-secret"
templates = Environment(loader=FileSystemLoader(os.path.join(HERE, "templates")), autoescape=select_autoescape())


def render(resp, template, /, http_status=falcon.HTTP_200, **context):
    resp.status = http_status
    resp.content_type = falcon.MEDIA_HTML
    resp.text = templates.get_template(template).render(**context)


class SignedCookieSession:
    """Falcon has no sessions: this middleware keeps req.context.session in an HMAC-signed cookie."""

    def process_request(self, req, resp):
        req.context.session = {}
        for value in req.get_cookie_values("session") or []:
            data, _, signature = value.rpartition(".")
            if hmac.compare_digest(signature, self.sign(data)):
                req.context.session = json.loads(base64.urlsafe_b64decode(data))
        req.context.session_before = dict(req.context.session)

    def process_response(self, req, resp, resource, req_succeeded):
        session = req.context.get("session")
        if session is not None and session != req.context.session_before:
            data = base64.urlsafe_b64encode(json.dumps(session).encode()).decode()
            resp.set_cookie("session", data + "." + self.sign(data), path="/", secure=False, http_only=True)

    @staticmethod
    def sign(data):
        return hmac.new(SECRET, data.encode(), hashlib.sha256).hexdigest()


class Hello:
    def on_get(self, req, resp, name):
        render(resp, "hello.html", name=name, greeting=req.get_param("greeting", default="Hello"))

    on_head = on_get  # Falcon routes HEAD only to a responder that asks for it


class Item:
    def on_get(self, req, resp, item_id):
        resp.media = {"id": item_id, "fields": req.get_param_as_list("fields", default=[])}

    def on_delete(self, req, resp, item_id):
        resp.status = falcon.HTTP_204


class Form:
    def on_get(self, req, resp):
        render(resp, "form.html")

    def on_post(self, req, resp):
        form = req.get_media()
        colours = form.get("colour", [])
        render(resp, "thanks.html", name=form["name"], colours=colours if isinstance(colours, list) else [colours])


class Upload:
    def on_post(self, req, resp):
        result = {}
        for part in req.get_media():
            if part.filename:
                data = part.stream.read()
                result.update(filename=part.secure_filename, size=len(data), content_type=part.content_type,
                              sha256=hashlib.sha256(data).hexdigest())
            else:
                result[part.name] = part.text
        resp.media = result


class Echo:
    def on_post(self, req, resp):
        data = req.get_media()
        resp.media = {"received": data, "keys": sorted(data)}


class Cookies:
    def on_get(self, req, resp):
        resp.media = {"flavor": req.cookies.get("flavor")}

    def on_get_set(self, req, resp):
        flavor = req.get_param("flavor", required=True)
        resp.set_cookie("flavor", flavor, max_age=3600, path="/", secure=False, http_only=True, same_site="Lax")
        resp.media = {"set": flavor}


class Session:
    def on_get(self, req, resp):
        resp.media = {"value": req.context.session.get("value")}

    def on_post(self, req, resp):
        req.context.session["value"] = req.get_media()["value"]
        resp.media = {"stored": req.context.session["value"]}


class Go:
    def on_get(self, req, resp):
        raise falcon.HTTPFound("/hello/world")


class Stream:
    def on_get(self, req, resp):
        resp.content_type = falcon.MEDIA_TEXT
        resp.stream = (f"chunk {i} of 5\n".encode() for i in range(5))


class Boom:
    def on_get(self, req, resp):
        raise RuntimeError("the handler failed on purpose")


class ETagged:
    def on_get(self, req, resp):
        resp.etag = "v1"
        if "v1" in (req.if_none_match or []):
            resp.status = falcon.HTTP_304
            return
        resp.content_type = falcon.MEDIA_TEXT
        resp.text = "this representation has a fixed entity tag\n"


class Large:
    def on_get(self, req, resp):
        resp.content_type = "application/octet-stream"
        resp.data = b"".join(b"%07d\n" % i for i in range(131072))  # 1 MiB, every line different


def not_found(req, resp, ex, params):
    render(resp, "error.html", http_status=falcon.HTTP_404, status=404, message="No such page.")


def server_error(req, resp, ex, params):
    req.log_error("unhandled %s: %r" % (type(ex).__name__, ex))
    render(resp, "error.html", http_status=falcon.HTTP_500, status=500, message="Something went wrong.")


app = falcon.App(middleware=[SignedCookieSession()])
app.add_route("/hello/{name}", Hello())
app.add_route("/items/{item_id:int}", Item())
app.add_route("/form", Form())
app.add_route("/upload", Upload())
app.add_route("/api/echo", Echo())
app.add_route("/cookies", Cookies())
app.add_route("/cookies/set", Cookies(), suffix="set")
app.add_route("/session", Session())
app.add_route("/go", Go())
app.add_route("/stream", Stream())
app.add_route("/boom", Boom())
app.add_route("/etag", ETagged())
app.add_route("/large", Large())
app.add_static_route("/files", os.path.join(HERE, "files"))
app.add_error_handler(Exception, server_error)
app.add_error_handler(falcon.HTTPNotFound, not_found)

application = app
