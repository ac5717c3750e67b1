import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N clients each announce a large body and then trickle it: BLOCK bytes every PERIOD, for SECONDS
 * (loopback only, bounded in count and time). Prints how many bytes the clients managed to send in all;
 * the server's RSS is sampled by run.sh around it.
 *   java SlowUploads.java HOST PORT CLIENTS SECONDS
 */
public class SlowUploads {
    static final int BLOCK = 16 * 1024;
    static final Duration PERIOD = Duration.ofMillis(200);
    static final long DECLARED = 8L << 20;

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int clients = Integer.parseInt(args[2]);
        long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[3])).toNanos();
        AtomicLong sent = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        CountDownLatch done = new CountDownLatch(clients);
        byte[] block = new byte[BLOCK];
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                threads.execute(() -> {
                    try (Socket socket = new Socket(host, port)) {
                        socket.setSoTimeout(1000);
                        OutputStream out = socket.getOutputStream();
                        out.write(("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                                + DECLARED + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        long mine = 0;
                        while (System.nanoTime() < deadline && mine + BLOCK <= DECLARED) {
                            out.write(block);
                            mine += BLOCK;
                            sent.addAndGet(BLOCK);
                            Thread.sleep(PERIOD);
                        }
                    } catch (Exception e) {
                        refused.incrementAndGet();
                    } finally {
                        done.countDown();
                    }
                });
            }
            done.await();
        }
        System.out.printf("clients %d, sent %d MiB in all, %d connections cut or refused%n", clients, sent.get() >> 20, refused.get());
    }
}
