package dev.onnxserving.pipeline;

import java.time.Duration;

/**
 * The moment by which a request must have been answered, on the monotonic {@link System#nanoTime()} clock, together
 * with the time budget it was created from (for messages). Immutable.
 *
 * <p>{@link #none()} never expires; it is what a run without a deadline (warm-up, benchmarks) uses.
 */
public final class Deadline {

    private static final Deadline NONE = new Deadline(Long.MAX_VALUE, null);

    private final long expiresAtNanos;
    private final Duration budget;

    private Deadline(long expiresAtNanos, Duration budget) {
        this.expiresAtNanos = expiresAtNanos;
        this.budget = budget;
    }

    /** A deadline {@code budget} from now; the budget must be positive. */
    public static Deadline after(Duration budget) {
        return after(budget, System.nanoTime());
    }

    /** A deadline {@code budget} after {@code startNanos}, a {@link System#nanoTime()} reading. */
    public static Deadline after(Duration budget, long startNanos) {
        if (budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("a deadline needs a positive budget, got " + budget);
        }
        long nanos = budget.compareTo(Duration.ofDays(365)) > 0
                ? Duration.ofDays(365).toNanos()
                : budget.toNanos();
        return new Deadline(startNanos + nanos, budget);
    }

    public static Deadline none() {
        return NONE;
    }

    public boolean isNone() {
        return this == NONE;
    }

    /** Nanoseconds left, 0 once expired; {@link Long#MAX_VALUE} for {@link #none()}. */
    public long remainingNanos() {
        if (isNone()) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, expiresAtNanos - System.nanoTime());
    }

    public boolean isExpired() {
        return !isNone() && expiresAtNanos - System.nanoTime() <= 0;
    }

    /** The budget the deadline was created with, e.g. {@code 250 ms}, for messages; "none" without a deadline. */
    public String describeBudget() {
        return isNone() ? "none" : budget.toMillis() + " ms";
    }

    /**
     * @throws DeadlineExceededException when the deadline has passed, saying {@code what} did not happen in time
     */
    public void check(String what) {
        if (isExpired()) {
            throw new DeadlineExceededException("the request's deadline of " + describeBudget() + " passed " + what);
        }
    }

    @Override
    public String toString() {
        return isNone() ? "Deadline[none]" : "Deadline[" + describeBudget() + ", " + remainingNanos() + " ns left]";
    }
}
