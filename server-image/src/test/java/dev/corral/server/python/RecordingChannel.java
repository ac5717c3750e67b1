package dev.corral.server.python;

import dev.corral.server.wsgi.ResponseChannel;
import dev.corral.server.wsgi.ResponseHead;


import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A ResponseChannel that remembers what the driver sent, converted to plain Java at once. */
public class RecordingChannel implements ResponseChannel {
    String status;
    final List<String> headers = new ArrayList<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    final List<String> events = new ArrayList<>();
    /** The whole file the channel sent, read from the opened channel (then closed, as the real responder does). */
    byte[] fileBytes;
    long fileOffset = -1;
    boolean clientGone;
    String failure;

    @Override
    @HostAccess.Export
    public void start(String head) {
        events.add("start");
        record(ResponseHead.parse(head));
    }

    @Override
    @HostAccess.Export
    public boolean write(Value chunk) {
        events.add("write");
        body.writeBytes(bytes(chunk));
        return !clientGone;
    }

    @Override
    public void finish() {
        events.add("finish");
    }

    @Override
    public void complete(ResponseHead head, Value body) {
        events.add("complete");
        record(head);
        this.body.writeBytes(bytes(body));
    }

    @Override
    public void sendFile(ResponseHead head, java.nio.channels.FileChannel file, long offset) {
        events.add("sendFile");
        record(head);
        try (file) {
            java.nio.ByteBuffer all = java.nio.ByteBuffer.allocate((int) file.size());
            while (all.hasRemaining() && file.read(all, all.position()) > 0) {
                // read until full
            }
            fileBytes = all.array();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        fileOffset = offset;
    }

    @Override
    public void fail(int status, String message) {
        events.add("fail " + status);
        failure = message;
    }

    String text() {
        return body.toString(StandardCharsets.UTF_8);
    }

    String header(String name) {
        for (int i = 0; i < headers.size(); i += 2) {
            if (headers.get(i).equalsIgnoreCase(name)) {
                return headers.get(i + 1);
            }
        }
        return null;
    }

    private void record(ResponseHead head) {
        this.status = head.status() + (head.reason().isEmpty() ? "" : " " + head.reason());
        headers.clear();
        headers.addAll(head.headers());
    }

    private static byte[] bytes(Value v) {
        byte[] out = new byte[(int) v.getBufferSize()];
        if (out.length > 0) {
            v.readBuffer(0, out, 0, out.length);
        }
        return out;
    }
}
