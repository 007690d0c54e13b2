package dev.onnxserving.batching;

/** What admission and batching report about one model version. Implementations are thread-safe. */
public interface AdmissionMetrics {

    /** A request left the queue to run after waiting {@code nanos}. */
    void waited(long nanos);

    /** A batch of {@code rows} rows from {@code requests} requests is about to run. */
    void batchRan(int rows, int requests);

    /** A request was refused because the queue was full. */
    void refused();

    /** A request's deadline passed before it ran. */
    void expired();

    AdmissionMetrics NONE = new AdmissionMetrics() {
        @Override
        public void waited(long nanos) {}

        @Override
        public void batchRan(int rows, int requests) {}

        @Override
        public void refused() {}

        @Override
        public void expired() {}
    };
}
