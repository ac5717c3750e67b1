package dev.corral.server.http;

import dev.corral.server.RunningServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real pure-Python frameworks, unchanged, vendored into a bundle's lib/ from Debian's packages
 * (python3-bottle, python3-flask). Skipped when absent unless -Dcorral.require.frameworks=true.
 */
class FrameworkAppIT {
    private static final Path DIST_PACKAGES = Path.of("/usr/lib/python3/dist-packages");

    @TempDir
    Path temp;

    @Test
    void aBottleAppRunsUnchanged() throws Exception {
        Path bundle = bundleWith("bottle.py");
        Files.writeString(bundle.resolve("app.py"), """
                import bottle

                app = bottle.Bottle()

                @app.get('/hello/<name>')
                def hello(name):
                    return {'hello': name, 'agent': bottle.request.get_header('User-Agent', '')}

                @app.post('/echo')
                def echo():
                    return bottle.request.body.read().upper()

                @app.get('/cookie')
                def cookie():
                    bottle.response.set_cookie('seen', 'yes')
                    return 'ok'

                application = app
                """);
        try (RunningServer server = RunningServer.start(bundle, temp.resolve("tmp"))) {
            HttpResponse<String> hello = server.get("/hello/corral", "User-Agent", "it");
            assertThat(hello.statusCode()).isEqualTo(200);
            assertThat(hello.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(hello.body()).contains("\"hello\": \"corral\"").contains("\"agent\": \"it\"");
            HttpResponse<String> echo = server.send(HttpRequest.newBuilder(server.uri("/echo")).POST(HttpRequest.BodyPublishers.ofString("shout")));
            assertThat(echo.body()).isEqualTo("SHOUT");
            assertThat(server.get("/cookie").headers().allValues("set-cookie")).anyMatch(c -> c.startsWith("seen=yes"));
            assertThat(server.get("/nope").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aFlaskAppRunsUnchanged() throws Exception {
        Path bundle = bundleWith("flask", "werkzeug", "jinja2", "markupsafe", "itsdangerous", "click", "blinker");
        Files.writeString(bundle.resolve("app.py"), """
                from flask import Flask, jsonify, request, render_template_string

                app = Flask(__name__)

                @app.route('/items/<int:item>')
                def item(item):
                    return jsonify(item=item, q=request.args.get('q'))

                @app.route('/form', methods=['POST'])
                def form():
                    return render_template_string('<p>{{ name }}</p>', name=request.form['name'])

                @app.errorhandler(404)
                def missing(e):
                    return jsonify(error='not here'), 404

                application = app
                """);
        try (RunningServer server = RunningServer.start(bundle, temp.resolve("tmp"))) {
            HttpResponse<String> item = server.get("/items/7?q=x");
            assertThat(item.statusCode()).isEqualTo(200);
            assertThat(item.body()).contains("\"item\":7").contains("\"q\":\"x\"");
            HttpResponse<String> form = server.send(HttpRequest.newBuilder(server.uri("/form"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("name=%3Cb%3Ebold")));
            assertThat(form.body()).as("Jinja2 escapes").isEqualTo("<p>&lt;b&gt;bold</p>");
            HttpResponse<String> missing = server.get("/nowhere");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).contains("not here");
        }
    }

    /** A bundle folder whose lib/ holds copies of the named Debian packages (files or package dirs). */
    private Path bundleWith(String... packages) throws IOException {
        boolean required = Boolean.getBoolean("corral.require.frameworks");
        for (String name : packages) {
            boolean present = Files.exists(DIST_PACKAGES.resolve(name));
            if (required) {
                assertThat(present).as("Debian package providing %s (install python3-bottle / python3-flask)", name).isTrue();
            }
            Assumptions.assumeTrue(present, name + " not installed; apt-get install python3-bottle python3-flask");
        }
        Path bundle = Files.createDirectories(temp.resolve("bundle"));
        Path lib = Files.createDirectories(bundle.resolve("lib"));
        for (String name : packages) {
            copy(DIST_PACKAGES.resolve(name), lib.resolve(name));
        }
        return bundle;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (!source.toString().contains("__pycache__")) {
                    Files.copy(source, target);
                }
            }
        }
    }
}
