"""A small real framework app (Bottle): a route with a path parameter, a JSON response, a query string."""
import bottle

app = bottle.Bottle()
PRODUCTS = {i: {"id": i, "name": "product %d" % i, "price": round(1.5 * i, 2)} for i in range(1, 101)}


@app.get("/products/<pid:int>")
def product(pid):
    item = PRODUCTS.get(pid)
    if item is None:
        bottle.abort(404, "no such product")
    fields = bottle.request.query.get("fields")
    return {k: v for k, v in item.items() if not fields or k in fields.split(",")}


application = app
