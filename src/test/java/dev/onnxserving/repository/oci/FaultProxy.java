package dev.onnxserving.repository.oci;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A loopback TCP proxy in front of a registry that misbehaves on every connection once it has passed {@code
 * afterBytes} bytes of the registry's answer (headers included): it stalls (keeps the connection open and sends
 * nothing more) or cuts the connection.
 */
final class FaultProxy implements AutoCloseable {

    enum Fault {
        STALL,
        CUT
    }

    private final ServerSocket server;
    private final int targetPort;
    private final Fault fault;
    private final long afterBytes;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    FaultProxy(int targetPort, Fault fault, long afterBytes) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.fault = fault;
        this.afterBytes = afterBytes;
        daemon(this::accept, "fault-proxy-accept");
    }

    /** {@code 127.0.0.1:<port>}, as a location names it. */
    String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket registry = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(registry);
                daemon(() -> copy(client, registry, Long.MAX_VALUE), "fault-proxy-up");
                daemon(() -> copy(registry, client, afterBytes), "fault-proxy-down");
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void copy(Socket from, Socket to, long limit) {
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            byte[] buffer = new byte[8192];
            long passed = 0;
            while (passed < limit) {
                int count = in.read(buffer, 0, (int) Math.min(buffer.length, limit - passed));
                if (count < 0) {
                    return;
                }
                out.write(buffer, 0, count);
                out.flush();
                passed += count;
            }
            if (fault == Fault.STALL) {
                closed.await();
            }
        } catch (IOException | InterruptedException e) {
            // the other side went away, or the proxy closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed.countDown();
        closeQuietly(server);
        sockets.forEach(FaultProxy::closeQuietly);
    }
}
