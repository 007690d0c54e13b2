package dev.onnxserving.deploy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 request that is provably in flight: its headers (with {@code Expect: 100-continue}) were accepted by
 * the server, which answered {@code 100 Continue}, and half its body has been sent. The rest is sent when the test
 * chooses, so the test can put a shutdown in between.
 */
final class HeldRequest implements AutoCloseable {

    /** The final answer: status and body. */
    record Response(int status, String body) {}

    private final Socket socket;
    private final byte[] body;
    private final int sent;

    private HeldRequest(Socket socket, byte[] body, int sent) {
        this.socket = socket;
        this.body = body;
        this.sent = sent;
    }

    static HeldRequest start(int port, String path, String requestId, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            String head = "POST " + path + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + port + "\r\n"
                    + "Content-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n"
                    + "Expect: 100-continue\r\n"
                    + "X-Request-Id: " + requestId + "\r\n"
                    + "Connection: close\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String status = readLine(in);
            if (!status.startsWith("HTTP/1.1 100")) {
                throw new IOException("expected 100 Continue, got: " + status);
            }
            while (!readLine(in).isEmpty()) {
                // the interim response's headers
            }
            int half = body.length / 2;
            out.write(body, 0, half);
            out.flush();
            return new HeldRequest(socket, body, half);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends the rest of the body and reads the whole answer (the server closes the connection after it). */
    Response finish() throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(body, sent, body.length - sent);
        out.flush();
        byte[] raw = socket.getInputStream().readAllBytes();
        String text = new String(raw, StandardCharsets.UTF_8);
        int headerEnd = text.indexOf("\r\n\r\n");
        if (headerEnd < 0) {
            throw new IOException("no complete response: '" + text + "'");
        }
        String head = text.substring(0, headerEnd);
        String payload = text.substring(headerEnd + 4);
        int status = Integer.parseInt(head.split(" ")[1]);
        boolean chunked = head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked");
        return new Response(status, chunked ? dechunk(payload) : payload);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static String dechunk(String payload) {
        StringBuilder result = new StringBuilder();
        int position = 0;
        while (true) {
            int lineEnd = payload.indexOf("\r\n", position);
            int size = Integer.parseInt(
                    payload.substring(position, lineEnd).split(";")[0].trim(), 16);
            if (size == 0) {
                return result.toString();
            }
            result.append(payload, lineEnd + 2, lineEnd + 2 + size);
            position = lineEnd + 2 + size + 2;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int next;
        while ((next = in.read()) >= 0 && next != '\n') {
            if (next != '\r') {
                line.write(next);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
