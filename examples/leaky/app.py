"""A deliberately leaky handler, to show an OOM kill contained to one pod.

Each GET /leak keeps 16 MiB in a module global. No single request exceeds its memory budget (it
allocates 16 MiB), so per-request budgets cannot catch this: the pod's memory grows until the kernel
OOM-kills that pod's server, and only it. The operator reports the kill, raises the quota, and after
a few raises that do not help, says MemoryLeakSuspected. GET / keeps answering on the other pods.
"""
HOARD = []


def application(environ, start_response):
    if environ["PATH_INFO"] == "/leak":
        HOARD.append(bytearray(16 << 20))
        body = ("kept %d MiB\n" % (16 * len(HOARD))).encode()
    else:
        body = b"still here\n"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
