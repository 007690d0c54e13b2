package dev.onnxserving.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class DirectBuffersTests {

    @Test
    void lendsDirectNativeOrderBuffersLimitedToTheSizeAsked() {
        ByteBuffer buffer = new DirectBuffers(1 << 20).borrow(100);

        assertThat(buffer.isDirect()).isTrue();
        assertThat(buffer.order()).isEqualTo(ByteOrder.nativeOrder());
        assertThat(buffer.position()).isZero();
        assertThat(buffer.limit()).isEqualTo(100);
        assertThat(buffer.capacity()).isEqualTo(128);
    }

    @Test
    void reusesAReleasedBufferOfTheSameSizeClass() {
        DirectBuffers buffers = new DirectBuffers(1 << 20);
        ByteBuffer first = buffers.borrow(100);
        buffers.release(first);

        assertThat(buffers.pooledBytes()).isEqualTo(128);
        assertThat(buffers.borrow(70))
                .isSameAs(first)
                .extracting(ByteBuffer::limit)
                .isEqualTo(70);
        assertThat(buffers.pooledBytes()).isZero();
        assertThat(buffers.borrow(70)).isNotSameAs(first);
    }

    @Test
    void keepsNoMoreThanItsLimitAndNeverPoolsHugeBuffers() {
        DirectBuffers buffers = new DirectBuffers(256);
        ByteBuffer a = buffers.borrow(200);
        ByteBuffer b = buffers.borrow(200);
        buffers.release(a);
        buffers.release(b);
        assertThat(buffers.pooledBytes()).isEqualTo(256);

        ByteBuffer huge = buffers.borrow((1 << 20) + 1);
        assertThat(huge.capacity()).isEqualTo((1 << 20) + 1);
        buffers.release(huge);
        assertThat(buffers.pooledBytes()).isEqualTo(256);
    }
}
