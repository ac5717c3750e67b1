"""A Bottle app, unchanged from how it would run under gunicorn: a tiny notes service with templates.

Bottle is not committed: `./dev bundle examples/notes` installs requirements.txt's Bottle into lib/ (from PyPI).
"""
import os
import tempfile

import bottle

app = bottle.Bottle()
# Each worker is its own interpreter (module globals are not shared, as between gunicorn workers), so the
# notes live in a file in the pod's temp dir, shared by the pod's workers. A real app would use a database.
NOTES_FILE = os.path.join(tempfile.gettempdir(), "notes.txt")


def notes():
    try:
        with open(NOTES_FILE, encoding="utf-8") as f:
            return [line.rstrip("\n") for line in f]
    except FileNotFoundError:
        return []

PAGE = """<!doctype html>
<title>Notes</title>
<h1>Notes ({{len(notes)}})</h1>
<ul>
% for note in notes:
<li>{{note}}</li>
% end
</ul>
<form method="post" action="/notes"><input name="text"><button>Add</button></form>
"""


@app.get("/")
def index():
    return bottle.template(PAGE, notes=notes())


@app.post("/notes")
def add():
    text = (bottle.request.forms.getunicode("text") or "").strip()
    if not text:
        bottle.abort(400, "a note needs text")
    with open(NOTES_FILE, "a", encoding="utf-8") as f:
        f.write(text[:200].replace("\n", " ") + "\n")
    bottle.redirect("/")


@app.get("/api/notes")
def api_notes():
    return {"notes": notes()}


application = app
