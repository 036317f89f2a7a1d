package dev.dropstream.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shipper's kernel sources: each runs in its own thread, feeding the shared sink; their checkpoints are saved
 * every second by one more thread, and once more by {@link #save()} after the last flush. A source that fails
 * with an exception (Kafka refused the shipper) stops the whole shipper through {@code onFailure}.
 */
final class KernelSources {
    private static final Logger LOG = LoggerFactory.getLogger(KernelSources.class);

    private final List<KernelSource> sources = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private ScheduledExecutorService saver;

    synchronized void add(KernelSource s) {
        if (!threads.isEmpty()) {
            throw new IllegalStateException("kernel sources are added before the shipper runs");
        }
        sources.add(s);
    }

    synchronized List<String> names() {
        return sources.stream().map(KernelSource::name).toList();
    }

    synchronized void start(LineSink sink, Runnable onFailure) {
        if (sources.isEmpty() || !threads.isEmpty()) {
            return;
        }
        for (KernelSource s : sources) {
            Thread t = new Thread(() -> {
                try {
                    s.run(sink);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    LOG.error("the {} source failed: {}", s.name(), e.getMessage());
                    failure.compareAndSet(null, e);
                    onFailure.run();
                }
            }, "ship-" + s.name());
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        saver = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ship-kernel-checkpoints");
            t.setDaemon(true);
            return t;
        });
        saver.scheduleWithFixedDelay(this::saveQuietly, 1, 1, TimeUnit.SECONDS);
    }

    /** Stops every source and waits for its thread (10 s at most each); the periodic saving ends too. */
    void stop() throws InterruptedException {
        List<Thread> running;
        synchronized (this) {
            sources.forEach(KernelSource::stop);
            running = List.copyOf(threads);
            if (saver != null) {
                saver.shutdown();
            }
        }
        for (Thread t : running) {
            t.join(10_000);
            if (t.isAlive()) {
                LOG.warn("the {} thread did not stop within 10 s", t.getName());
            }
        }
        if (saver != null) {
            saver.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** What ended a source, if one failed. */
    RuntimeException failure() {
        return failure.get();
    }

    void save() throws IOException {
        for (KernelSource s : sources) {
            s.save();
        }
    }

    private void saveQuietly() {
        for (KernelSource s : sources) {
            try {
                s.save();
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot save the {} checkpoint: {}", s.name(), e.toString());
            }
        }
    }
}
