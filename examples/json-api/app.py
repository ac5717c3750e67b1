"""A small JSON API: routes, a request body, and budgets per route (see corral.json).

GET  /api/items          list items          POST /api/items   add one: {"name": "...", "price": 1.5}
GET  /api/items/<id>     one item, or 404    GET  /api/health  liveness for humans
GET  /api/report?n=N     CPU-heavy; its route may run only one at a time and within 2 s of CPU
GET  /api/export?mb=N    builds N MiB in memory; its route's memory budget is 32 MiB
"""
import json

# Module globals are per worker interpreter: each worker has its own store (as gunicorn workers do).
ITEMS = {1: {"id": 1, "name": "tea", "price": 2.5}}


def respond(start_response, status, payload):
    body = json.dumps(payload).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def read_json(environ):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length > 64 * 1024:
        raise ValueError("body over 64 KiB")
    return json.loads(environ["wsgi.input"].read(length) or b"null")


def application(environ, start_response):
    method, path = environ["REQUEST_METHOD"], environ["PATH_INFO"]
    if path == "/api/health":
        return respond(start_response, "200 OK", {"status": "ok"})
    if path == "/api/items" and method == "GET":
        return respond(start_response, "200 OK", sorted(ITEMS.values(), key=lambda i: i["id"]))
    if path == "/api/items" and method == "POST":
        try:
            item = read_json(environ)
            name, price = str(item["name"]), float(item["price"])
        except (ValueError, KeyError, TypeError) as e:
            return respond(start_response, "400 Bad Request", {"error": "expected {\"name\": str, \"price\": number}: %s" % e})
        new_id = max(ITEMS) + 1
        ITEMS[new_id] = {"id": new_id, "name": name, "price": price}
        return respond(start_response, "201 Created", ITEMS[new_id])
    if path.startswith("/api/items/") and method == "GET":
        try:
            item = ITEMS.get(int(path.rsplit("/", 1)[1]))
        except ValueError:
            item = None
        if item is None:
            return respond(start_response, "404 Not Found", {"error": "no such item"})
        return respond(start_response, "200 OK", item)
    if path == "/api/report":
        n = int(environ.get("QUERY_STRING", "n=200000").partition("=")[2] or 200000)
        total = 0
        for i in range(n):
            total += i * i % 7
        return respond(start_response, "200 OK", {"n": n, "total": total})
    if path == "/api/export":
        mb = int(environ.get("QUERY_STRING", "mb=1").partition("=")[2] or 1)
        chunks = [bytearray(1 << 20) for _ in range(mb)]
        return respond(start_response, "200 OK", {"bytes": sum(len(c) for c in chunks)})
    return respond(start_response, "404 Not Found", {"error": "no route for %s %s" % (method, path)})
