package dev.ser.engine.autograd;

/**
 * Whether ops record themselves for backward. Off inside {@code try (var g = GradMode.off()) {...}}
 * (inference, optimizer updates, and the backward pass itself, which builds no graph of its own).
 */
public final class GradMode implements AutoCloseable {
    private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.TRUE);
    private final boolean previous;

    private GradMode(boolean enabled) {
        previous = ENABLED.get();
        ENABLED.set(enabled);
    }

    public static boolean enabled() { return ENABLED.get(); }

    /** Disables recording until {@link #close()}. */
    public static GradMode off() { return new GradMode(false); }

    @Override public void close() { ENABLED.set(previous); }
}
