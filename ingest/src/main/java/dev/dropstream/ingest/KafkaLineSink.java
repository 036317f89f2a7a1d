package dev.dropstream.ingest;

import dev.dropstream.parser.Recognizer;
import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
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
        RuntimeException f = fatal.get();
        if (f != null) {
            throw f;
        }
        if (onlyNetfilter && !Recognizer.mayBeNetfilter(bytes, off, len)) {
            counters.filtered.increment();
            onAck.run();
            return true;
        }
        String key = host != null ? host : SyslogHost.of(bytes, off, len, defaultHost);
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, key, Arrays.copyOfRange(bytes, off, off + len));
        r.headers().add(SOURCE, source.getBytes(StandardCharsets.UTF_8));
        if (lineId != null) {
            r.headers().add(LINE, lineId.getBytes(StandardCharsets.UTF_8));
        }
        if (cut) {
            r.headers().add(CUT, new byte[] {'1'});
        }
        try {
            producer.send(r, (md, e) -> {
                if (e == null) {
                    counters.acked.increment();
                    counters.lastAckMillis.set(System.currentTimeMillis());
                    onAck.run();
                } else if (e instanceof RecordTooLargeException) {
                    // This line can never be written; skip it (counted) rather than stall the file behind it.
                    counters.failed.increment();
                    LOG.warn("a line from {} is larger than the topic accepts; skipped", source);
                    onAck.run();
                } else if (e instanceof AuthorizationException || e instanceof AuthenticationException) {
                    fatal.compareAndSet(null, new IllegalStateException("Kafka refused the shipper: " + e.getMessage(), e));
                } else {
                    counters.failed.increment();
                    LOG.warn("sending a line from {} failed ({}); it will be read and sent again", source, e.toString());
                }
            });
        } catch (TimeoutException e) {
            // The buffer is full or Kafka's metadata is not there: Kafka is away. Keep the place, try later.
            return false;
        } catch (KafkaException e) {
            throw new IllegalStateException("the Kafka producer failed: " + e.getMessage(), e);
        }
        counters.sent.increment();
        return true;
    }

    /** A fatal error a send callback saw, if any. */
    RuntimeException fatal() {
        return fatal.get();
    }

    void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }

    /** Closes without waiting: what is buffered is dropped, as a crash would. */
    void closeNow() {
        producer.close(Duration.ZERO);
    }
}
