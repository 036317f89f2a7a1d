package dev.dropstream.ingest;

import dev.dropstream.parser.Recognizer;
import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends lines to the raw topic: key = origin host, value = the line's bytes as read, headers = where it came
 * from ({@value #SOURCE}), which line it is ({@value #LINE}: file identity and offset, for consumers that
 * drop the duplicates a restart can cause) and whether it was cut ({@value #CUT}). Idempotent producer,
 * acks=all, lz4, batching; memory bounded by {@code buffer.memory}. While Kafka is away the producer retries
 * without end and a full buffer refuses lines for a moment, so readers keep their place.
 */
final class KafkaLineSink implements LineSink, Closeable {
    static final String SOURCE = "dropstream.source";
    static final String LINE = "dropstream.line";
    static final String CUT = "dropstream.cut";
    private static final Logger LOG = LoggerFactory.getLogger(KafkaLineSink.class);

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final String defaultHost;
    private final boolean onlyNetfilter;
    private final Counters counters;
    private final AtomicReference<RuntimeException> fatal = new AtomicReference<>();
    private final LongAdder unfinished = new LongAdder();
    /** Records the producer took and has not answered for yet. */
    private final AtomicLong pending = new AtomicLong();
    private volatile boolean closing;

    KafkaLineSink(Map<String, Object> clientConfig, String topic, String defaultHost, boolean onlyNetfilter,
            Counters counters) {
        this.topic = topic;
        this.defaultHost = defaultHost;
        this.onlyNetfilter = onlyNetfilter;
        this.counters = counters;
        this.producer = new KafkaProducer<>(producerConfig(clientConfig), new StringSerializer(), new ByteArraySerializer());
    }

    /** Our choices, which the user's client settings may override. */
    static Properties producerConfig(Map<String, Object> clientConfig) {
        Properties p = new Properties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 32L * 1024 * 1024);
        // Retry while Kafka is away, however long; a full buffer refuses lines instead of failing them.
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000);
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 10_000);
        p.putAll(clientConfig);
        return p;
    }

    @Override
    public boolean offer(byte[] bytes, int off, int len, String source, String lineId, boolean cut, Runnable onAck) {
        return offer(null, bytes, off, len, source, lineId, cut, onAck);
    }

    /** {@code host} null: the host of the line's syslog header, else this machine's. */
    @Override
    public boolean offer(String host, byte[] bytes, int off, int len, String source, String lineId, boolean cut,
            Runnable onAck) {
        return send(host, defaultHost, bytes, off, len, source, lineId, cut, onAck);
    }

    /** The host of the message's syslog header, else {@code peerHost}. */
    @Override
    public boolean offerFromPeer(String peerHost, byte[] bytes, int off, int len, String source, String lineId,
            boolean cut, Runnable onAck) {
        return send(null, peerHost, bytes, off, len, source, lineId, cut, onAck);
    }

    /**
     * What each sending thread keeps between its lines: a source sends many lines in a row, so its header is made
     * once and shared by their records (the producer only reads it), and the hosts of syslog headers found lately.
     */
    private static final class Sending {
        final SyslogHost hosts = new SyslogHost();
        String source;
        Header sourceHeader;

        Header sourceHeader(String s) {
            if (source != s) {
                source = s;
                sourceHeader = new RecordHeader(SOURCE, s.getBytes(StandardCharsets.UTF_8));
            }
            return sourceHeader;
        }
    }

    private final ThreadLocal<Sending> sending = ThreadLocal.withInitial(Sending::new);

    /** Keyed by {@code host}, or when that is null by the syslog header's host, else by {@code fallbackHost}. */
    private boolean send(String host, String fallbackHost, byte[] bytes, int off, int len, String source,
            String lineId, boolean cut, Runnable onAck) {
        failIfFatal();
        if (onlyNetfilter && !Recognizer.mayBeNetfilter(bytes, off, len)) {
            counters.filtered.increment();
            onAck.run();
            return true;
        }
        ProducerRecord<String, byte[]> r = record(host, fallbackHost, bytes, off, len, source,
                lineId == null ? null : lineId.getBytes(StandardCharsets.UTF_8), cut);
        Delivery delivery = new Delivery(source, onAck);
        pending.incrementAndGet();
        try {
            producer.send(r, delivery);
        } catch (KafkaException e) {
            answered();   // send threw: no callback will come
            throw new IllegalStateException("the Kafka producer failed: " + e.getMessage(), e);
        } finally {
            delivery.sending = null;
        }
        if (delivery.refused) {
            // The buffer is full or Kafka's metadata is not there: Kafka is away. Keep the place, try later.
            return false;
        }
        counters.sent.increment();
        return true;
    }

    /**
     * Sends without a callback: the producer's future is the receipt, which the reader polls ({@link Receipts}).
     * A callback per line would run on the producer's I/O thread, one per record, beside the broker's threads on a
     * busy host's cores; polling the oldest receipt from the reading thread costs a volatile read.
     */
    @Override
    public Future<?> submit(byte[] bytes, int off, int len, String source, byte[] lineId, boolean cut) {
        failIfFatal();
        if (onlyNetfilter && !Recognizer.mayBeNetfilter(bytes, off, len)) {
            counters.filtered.increment();
            return FILTERED;
        }
        Future<RecordMetadata> receipt;
        try {
            receipt = producer.send(record(null, defaultHost, bytes, off, len, source, lineId, cut));
        } catch (KafkaException e) {
            throw new IllegalStateException("the Kafka producer failed: " + e.getMessage(), e);
        }
        if (receipt.isDone() && refused(receipt)) {
            return null;
        }
        counters.sent.increment();
        return receipt;
    }

    /**
     * Whether {@code send} refused the record at once: the producer completes a record it could not take within
     * {@code max.block.ms} (full buffer, no metadata) with a {@link TimeoutException} before returning. A record it
     * took is answered by the broker much later, and never with that exception while delivery never times out.
     */
    private static boolean refused(Future<RecordMetadata> receipt) {
        try {
            receipt.get();
            return false;
        } catch (ExecutionException e) {
            return e.getCause() instanceof TimeoutException;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** A line {@code --only-netfilter} kept back: nothing to wait for, nothing to count as acknowledged. */
    private static final Future<?> FILTERED = CompletableFuture.completedFuture(null);

    @Override
    public Outcome settle(Future<?> receipt, String source) {
        if (receipt == FILTERED) {
            return Outcome.PASSED;
        }
        try {
            receipt.get();
            counters.acked.increment();
            return Outcome.ACKNOWLEDGED;
        } catch (ExecutionException e) {
            return failed(e.getCause(), source);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.FAILED;
        }
    }

    /** What a failed record means: skipped for good, fatal for the shipper, or to be read again. */
    private Outcome failed(Throwable e, String source) {
        if (e instanceof RecordTooLargeException) {
            // This line can never be written; skip it (counted) rather than stall the file behind it.
            counters.failed.increment();
            LOG.warn("a line from {} is larger than the topic accepts; skipped", source);
            return Outcome.PASSED;
        }
        if (e instanceof AuthorizationException || e instanceof AuthenticationException) {
            fatal.compareAndSet(null, new IllegalStateException("Kafka refused the shipper: " + e.getMessage(), e));
        } else if (closing) {
            // The producer was closed before Kafka answered: the line is read (or spooled) and sent again.
            unfinished.increment();
        } else {
            counters.failed.increment();
            LOG.warn("sending a line from {} failed ({}); it will be read and sent again", source, e.toString());
        }
        return Outcome.FAILED;
    }

    private void failIfFatal() {
        RuntimeException f = fatal.get();
        if (f != null) {
            throw f;
        }
    }

    /**
     * One record per line. Its source header is the one its source's lines share (a {@link RecordHeader} made from a
     * key and a value is never changed by the producer, which only reads it), and the headers go in as one list.
     */
    private ProducerRecord<String, byte[]> record(String host, String fallbackHost, byte[] bytes, int off, int len,
            String source, byte[] lineId, boolean cut) {
        Sending t = sending.get();
        String key = host != null ? host : t.hosts.of(bytes, off, len, fallbackHost);
        Header sourceHeader = t.sourceHeader(source);
        Header[] headers;
        if (lineId == null) {
            headers = cut ? new Header[] {sourceHeader, CUT_HEADER} : new Header[] {sourceHeader};
        } else {
            Header line = new RecordHeader(LINE, lineId);
            headers = cut ? new Header[] {sourceHeader, line, CUT_HEADER} : new Header[] {sourceHeader, line};
        }
        byte[] value = Arrays.copyOfRange(bytes, off, off + len);
        return new ProducerRecord<>(topic, null, key, value, Arrays.asList(headers));
    }

    private static final Header CUT_HEADER = new RecordHeader(CUT, new byte[] {'1'});

    /**
     * What becomes of one record. {@code send} does not throw when the producer's buffer stays full or the
     * topic's metadata does not come within {@code max.block.ms}: it completes the record at once, on the
     * calling thread, with a {@link TimeoutException}. That is a refusal, not a failure.
     */
    private final class Delivery implements Callback {
        private final String source;
        private final Runnable onAck;
        /** The thread inside {@code send}, until it returns. */
        volatile Thread sending = Thread.currentThread();
        boolean refused;

        Delivery(String source, Runnable onAck) {
            this.source = source;
            this.onAck = onAck;
        }

        @Override
        public void onCompletion(RecordMetadata md, Exception e) {
            answered();
            if (e == null) {
                counters.acked.increment();
                counters.lastAckMillis.set(System.currentTimeMillis());
                onAck.run();
            } else if (e instanceof TimeoutException && sending == Thread.currentThread()) {
                refused = true;
            } else if (failed(e, source) == Outcome.PASSED) {
                onAck.run();
            }
        }
    }

    /** A fatal error a send callback saw, if any. */
    RuntimeException fatal() {
        return fatal.get();
    }

    void flush() {
        producer.flush();
    }

    /**
     * Waits until Kafka has answered for every record the producer took, or until {@code deadlineMillis} (epoch
     * milliseconds). Unlike {@link #flush()} it does not wait for ever while Kafka is away.
     */
    void awaitSent(long deadlineMillis) throws InterruptedException {
        synchronized (pending) {
            for (long left = deadlineMillis - System.currentTimeMillis(); pending.get() > 0 && left > 0;
                    left = deadlineMillis - System.currentTimeMillis()) {
                pending.wait(left);
            }
        }
    }

    private void answered() {
        if (pending.decrementAndGet() == 0) {
            synchronized (pending) {
                pending.notifyAll();
            }
        }
    }

    /** {@link #close(Duration)} with ten seconds. */
    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    /**
     * Waits up to {@code wait} for Kafka to acknowledge what the producer holds, then closes it; what was not
     * acknowledged by then is abandoned (files read it again, network sources spool it). Idempotent.
     */
    void close(Duration wait) {
        if (closing) {
            return;
        }
        closing = true;
        producer.close(wait);
        if (unfinished.sum() > 0) {
            LOG.info("{} lines were not acknowledged before the shutdown; they will be sent again", unfinished.sum());
        }
    }

    /** Closes without waiting: what is buffered is dropped, as a crash would. */
    void closeNow() {
        closing = true;
        producer.close(Duration.ZERO);
    }
}
