"""ASGI hello world for uvicorn and Granian's ASGI interface, answering what wsgi_hello answers.

/peer-info answers with the event loop this worker really runs on, so the harness can check that the
peer's speedup (uvloop) is in use rather than trust its command line.
"""
import asyncio
import json

BODY = b"Hello from Corral!\n"


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    body = BODY
    if scope["path"] == "/peer-info":
        loop = type(asyncio.get_running_loop())
        body = json.dumps({"loop": loop.__module__ + "." + loop.__qualname__}).encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
