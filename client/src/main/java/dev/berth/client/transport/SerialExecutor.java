package dev.berth.client.transport;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/** Runs tasks one at a time, in order, on a delegate executor: one call's listener callbacks. */
final class SerialExecutor implements Executor {
    private final Executor delegate;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean running;
    /** A class, not this::drain: the AOT cache holds classes, a lambda is spun at each start. */
    private final Runnable drainer = new Runnable() {
        @Override
        public void run() {
            drain();
        }
    };

    SerialExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        try {
            delegate.execute(drainer);
        } catch (RejectedExecutionException e) {
            // the channel's callback executor is shut down: nothing is delivered any more
            synchronized (tasks) {
                tasks.clear();
                running = false;
            }
        }
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (tasks) {
                next = tasks.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            boolean ran = false;
            try {
                next.run();
                ran = true;
            } finally {
                if (!ran) {
                    // a callback threw: the tasks behind it still run, on a fresh drain
                    boolean more;
                    synchronized (tasks) {
                        more = !tasks.isEmpty();
                        running = more;
                    }
                    if (more) {
                        delegate.execute(drainer);
                    }
                }
            }
        }
    }
}
