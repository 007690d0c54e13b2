package dev.onnxserving.repository.oci;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body as an input stream whose every read waits at most the read timeout for the next bytes: the HTTP
 * client's own timeout ends with the headers, so a body that stalls would otherwise block forever. Asks the client
 * for one chunk at a time, so memory stays bounded whatever the body's length.
 */
final class TimedBodyStream extends InputStream implements Flow.Subscriber<List<ByteBuffer>> {

    private static final Object END = new Object();

    private final BlockingQueue<Object> arrivals = new LinkedBlockingQueue<>();
    private final Duration timeout;
    private volatile Flow.Subscription subscription;
    private volatile boolean closed;
    private Iterator<ByteBuffer> chunk = java.util.Collections.emptyIterator();
    private ByteBuffer current = ByteBuffer.allocate(0);
    private boolean ended;

    private TimedBodyStream(Duration timeout) {
        this.timeout = timeout;
    }

    static TimedBodyStream of(Flow.Publisher<List<ByteBuffer>> body, Duration timeout) {
        TimedBodyStream stream = new TimedBodyStream(timeout);
        body.subscribe(stream);
        return stream;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        if (closed) {
            subscription.cancel();
        } else {
            subscription.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        arrivals.add(buffers);
    }

    @Override
    public void onError(Throwable failure) {
        arrivals.add(failure);
    }

    @Override
    public void onComplete() {
        arrivals.add(END);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (!current.hasRemaining()) {
            if (chunk.hasNext()) {
                current = chunk.next();
            } else if (ended || closed) {
                return -1;
            } else {
                awaitChunk();
            }
        }
        int count = Math.min(length, current.remaining());
        current.get(target, offset, count);
        return count;
    }

    private void awaitChunk() throws IOException {
        Object arrival;
        try {
            arrival = arrivals.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new InterruptedIOException("interrupted while reading a response body");
        }
        if (arrival == null) {
            close();
            throw new HttpTimeoutException("no bytes of the response body arrived for " + timeout.toMillis() + " ms");
        }
        if (arrival == END) {
            ended = true;
        } else if (arrival instanceof Throwable failure) {
            ended = true;
            throw failure instanceof IOException io ? io : new IOException(failure.getMessage(), failure);
        } else {
            @SuppressWarnings("unchecked")
            List<ByteBuffer> buffers = (List<ByteBuffer>) arrival;
            chunk = buffers.iterator();
            subscription.request(1);
        }
    }

    /** Reads the rest, refusing a body longer than {@code limit} bytes. */
    byte[] readAtMost(int limit) throws IOException {
        byte[] bytes = readNBytes(limit + 1);
        if (bytes.length > limit) {
            close();
            throw new BodyTooLongException(limit);
        }
        return bytes;
    }

    /** A body past the length this client reads into memory (a manifest, a page of tags). */
    static final class BodyTooLongException extends IOException {
        BodyTooLongException(int limit) {
            super("the response body is longer than " + limit + " bytes");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Flow.Subscription current = subscription;
            if (current != null) {
                current.cancel();
            }
        }
    }
}
