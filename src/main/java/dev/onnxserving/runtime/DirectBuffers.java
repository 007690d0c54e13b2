package dev.onnxserving.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded pool of direct, native-order buffers for the inputs handed to ONNX Runtime, so that a request does not
 * pay for allocating, zeroing and later cleaning a direct buffer per input. Buffers come in power-of-two sizes from
 * 64 bytes to 1 MiB; larger requests get a fresh buffer that is never pooled. At most {@code maxPooledBytes} wait in
 * the pool; what does not fit is left to the garbage collector.
 *
 * <p>A borrowed buffer belongs to the borrower until it hands it back with {@link #release}, which it may do only
 * once nothing reads it any more (the tensor over it is closed and the run has returned). Thread-safe.
 */
final class DirectBuffers {

    private static final int MIN_SHIFT = 6;
    private static final int MAX_SHIFT = 20;

    @SuppressWarnings("unchecked")
    private final ConcurrentLinkedDeque<ByteBuffer>[] pools = new ConcurrentLinkedDeque[MAX_SHIFT + 1];

    private final long maxPooledBytes;
    private final AtomicLong pooledBytes = new AtomicLong();

    DirectBuffers(long maxPooledBytes) {
        this.maxPooledBytes = maxPooledBytes;
        for (int shift = MIN_SHIFT; shift <= MAX_SHIFT; shift++) {
            pools[shift] = new ConcurrentLinkedDeque<>();
        }
    }

    /** A pooled buffer of at least {@code bytes}, positioned at 0 with its limit at {@code bytes}. */
    ByteBuffer borrow(int bytes) {
        int shift = shiftFor(bytes);
        if (shift > MAX_SHIFT) {
            return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }
        ByteBuffer buffer = pools[shift].pollFirst();
        if (buffer == null) {
            buffer = ByteBuffer.allocateDirect(1 << shift).order(ByteOrder.nativeOrder());
        } else {
            pooledBytes.addAndGet(-buffer.capacity());
        }
        buffer.clear().limit(bytes);
        return buffer;
    }

    /** Gives back a buffer from {@link #borrow}; the caller must not touch it afterwards. */
    void release(ByteBuffer buffer) {
        int capacity = buffer.capacity();
        if (Integer.bitCount(capacity) != 1 || capacity < (1 << MIN_SHIFT) || capacity > (1 << MAX_SHIFT)) {
            return;
        }
        if (pooledBytes.addAndGet(capacity) > maxPooledBytes) {
            pooledBytes.addAndGet(-capacity);
            return;
        }
        pools[Integer.numberOfTrailingZeros(capacity)].offerFirst(buffer);
    }

    /** Bytes waiting in the pool now. */
    long pooledBytes() {
        return pooledBytes.get();
    }

    private static int shiftFor(int bytes) {
        int size = Math.max(bytes, 1 << MIN_SHIFT);
        return 32 - Integer.numberOfLeadingZeros(size - 1);
    }
}
