package dev.onnxserving.repository.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A loopback TCP relay in front of a server that misbehaves on the way back, counted per connection from its first
 * response byte: it stops forwarding after some bytes (a stalled server), hangs up after some bytes (a dropped
 * connection), or flips one byte (a corrupted body). It relays bytes; it does not speak HTTP.
 */
final class FaultProxy implements AutoCloseable {

    /**
     * @param stallAfter response bytes forwarded before the relay goes silent (until closed)
     * @param cutAfter response bytes forwarded before the relay hangs up
     * @param flipAt the response byte that is inverted
     */
    record Fault(long stallAfter, long cutAfter, long flipAt) {

        static Fault stallAfter(long bytes) {
            return new Fault(bytes, Long.MAX_VALUE, Long.MAX_VALUE);
        }

        static Fault cutAfter(long bytes) {
            return new Fault(Long.MAX_VALUE, bytes, Long.MAX_VALUE);
        }

        static Fault flipAt(long offset) {
            return new Fault(Long.MAX_VALUE, Long.MAX_VALUE, offset);
        }
    }

    private final ServerSocket listener;
    private final int upstreamPort;
    private final Fault fault;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    FaultProxy(int upstreamPort, Fault fault) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.upstreamPort = upstreamPort;
        this.fault = fault;
        Thread acceptor = new Thread(this::accept, "fault-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                sockets.add(client);
                sockets.add(server);
                start(() -> relay(client, server));
                start(() -> respond(server, client));
            } catch (IOException closedOrRefused) {
                // the listener closed, or the server is gone: nothing more to relay
            }
        }
    }

    private static void start(Runnable pump) {
        Thread thread = new Thread(pump, "fault-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private void relay(Socket from, Socket to) {
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException hungUp) {
            // either side closed
        }
    }

    private void respond(Socket server, Socket client) {
        try {
            InputStream in = server.getInputStream();
            OutputStream out = client.getOutputStream();
            byte[] buffer = new byte[8192];
            long position = 0;
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (fault.flipAt() >= position && fault.flipAt() < position + read) {
                    buffer[(int) (fault.flipAt() - position)] ^= (byte) 0xFF;
                }
                long limit = Math.min(fault.stallAfter(), fault.cutAfter());
                if (position + read >= limit) {
                    out.write(buffer, 0, (int) (limit - position));
                    out.flush();
                    if (limit == fault.stallAfter()) {
                        closed.await();
                    }
                    break;
                }
                out.write(buffer, 0, read);
                position += read;
            }
        } catch (IOException | InterruptedException hungUp) {
            // either side closed
        } finally {
            closeQuietly(server);
            closeQuietly(client);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed.countDown();
        listener.close();
        sockets.forEach(FaultProxy::closeQuietly);
    }
}
