"""The app wrapped in the standard library's PEP 3333 checker, wsgiref.validate, with its warnings
made errors: a violation, by the app or by the server, raises inside the request and fails it.
The same file is the entrypoint under gunicorn and under our server, for every app here: gunicorn
finds it on its --pythonpath (run-gunicorn.sh), and a bundle made of an app directory gets a copy of
it at its root (FrameworkParityIT, bench/framework-start).

One relaxation: the checker predates the wsgi.input_terminated extension and demands a size on every
wsgi.input.read(). A server that sets wsgi.input_terminated (gunicorn and ours do) ends the input at
the end of the body, so an app may read it whole with read(), as Werkzeug and WebOb then do; only
there is read() without a size allowed.
"""
import warnings
import wsgiref.validate

from app import application as app

warnings.simplefilter("error", wsgiref.validate.WSGIWarning)


class TerminatedInput:
    """wsgi.input of a request whose server set wsgi.input_terminated."""

    def __init__(self, stream):
        self.stream = stream

    def read(self, *args):
        return self.stream.read(*args)

    def readline(self, *args):
        return self.stream.readline(*args)

    def readlines(self, *args):
        return self.stream.readlines(*args)

    def __iter__(self):
        return iter(self.stream)


class InputWrapper(wsgiref.validate.InputWrapper):
    def read(self, *args):
        if args or not isinstance(self.input, TerminatedInput):
            return super().read(*args)
        data = self.input.read()
        wsgiref.validate.assert_(type(data) is bytes)
        return data


wsgiref.validate.InputWrapper = InputWrapper  # what validator() wraps wsgi.input in
checked = wsgiref.validate.validator(app)


def application(environ, start_response):
    if environ.get("wsgi.input_terminated"):
        environ["wsgi.input"] = TerminatedInput(environ["wsgi.input"])
    return checked(environ, start_response)
