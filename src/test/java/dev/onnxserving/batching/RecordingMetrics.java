package dev.onnxserving.batching;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts what a batcher or bounded session reports. */
final class RecordingMetrics implements AdmissionMetrics {

    final List<Integer> batchRows = new CopyOnWriteArrayList<>();
    final AtomicInteger waits = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    final AtomicInteger expired = new AtomicInteger();

    @Override
    public void waited(long nanos) {
        waits.incrementAndGet();
    }

    @Override
    public void batchRan(int rows, int requests) {
        batchRows.add(rows);
    }

    @Override
    public void refused() {
        refused.incrementAndGet();
    }

    @Override
    public void expired() {
        expired.incrementAndGet();
    }
}
