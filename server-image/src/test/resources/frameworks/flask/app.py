"""A Flask app covering what the parity scenario (../scenario.json) sends."""
import hashlib
import os

from flask import (Flask, abort, jsonify, make_response, redirect, render_template, request,
                   send_from_directory, session, stream_with_context, url_for)

app = Flask(__name__)
app.secret_key = "corral-parity-not-a-secret"
FILES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "files")


@app.get("/hello/<name>")
def hello(name):
    return render_template("hello.html", name=name, greeting=request.args.get("greeting", "Hello"))


@app.get("/items/<int:item_id>")
def item(item_id):
    return jsonify(id=item_id, fields=request.args.getlist("fields"))


@app.delete("/items/<int:item_id>")
def delete_item(item_id):
    response = app.response_class(status=204)
    del response.headers["Content-Type"]  # no body, so no type (wsgiref.validate insists)
    return response


@app.route("/form", methods=["GET", "POST"])
def form():
    if request.method == "POST":
        return render_template("thanks.html", name=request.form["name"],
                               colours=request.form.getlist("colour"))
    return render_template("form.html")


@app.post("/upload")
def upload():
    upload = request.files["file"]
    data = upload.read()
    return jsonify(title=request.form["title"], filename=upload.filename, size=len(data),
                   content_type=upload.content_type, sha256=hashlib.sha256(data).hexdigest())


@app.post("/api/echo")
def echo():
    data = request.get_json()
    return jsonify(received=data, keys=sorted(data))


@app.get("/cookies/set")
def set_cookie():
    response = jsonify(set=request.args["flavor"])
    response.set_cookie("flavor", request.args["flavor"], max_age=3600, httponly=True, samesite="Lax")
    return response


@app.get("/cookies")
def cookies():
    return jsonify(flavor=request.cookies.get("flavor"))


@app.route("/session", methods=["GET", "POST"])
def session_value():
    if request.method == "POST":
        session["value"] = request.form["value"]
        return jsonify(stored=session["value"])
    return jsonify(value=session.get("value"))


@app.get("/go")
def go():
    return redirect(url_for("hello", name="world"))


@app.get("/stream")
def stream():
    def lines():
        for i in range(5):
            yield f"chunk {i} of 5\n"
    return app.response_class(stream_with_context(lines()), mimetype="text/plain")


@app.get("/boom")
def boom():
    raise RuntimeError("the handler failed on purpose")


@app.get("/etag")
def etag():
    response = make_response("this representation has a fixed entity tag\n")
    response.mimetype = "text/plain"
    response.set_etag("v1")
    return response.make_conditional(request)


@app.get("/files/<path:name>")
def files(name):
    return send_from_directory(FILES, name)


@app.get("/large")
def large():
    body = b"".join(b"%07d\n" % i for i in range(131072))  # 1 MiB, every line different
    return app.response_class(body, mimetype="application/octet-stream")


@app.errorhandler(404)
def not_found(error):
    return render_template("error.html", status=404, message="No such page."), 404


@app.errorhandler(500)
def server_error(error):
    return render_template("error.html", status=500, message="Something went wrong."), 500


application = app
