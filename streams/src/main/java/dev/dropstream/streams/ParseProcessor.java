package dev.dropstream.streams;

import dev.dropstream.parser.EventMapper;
import dev.dropstream.parser.LineParser;
import dev.dropstream.parser.Outcome;
import dev.dropstream.parser.ParsedLine;
import dev.dropstream.parser.ParserConfig;
import dev.dropstream.schema.ConntrackEvent;
import dev.dropstream.schema.DeadLetter;
import dev.dropstream.schema.PacketEvent;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads raw lines (key: the host a shipper named, or null; value: the line's bytes) and hands on a
 * {@link Parsed}: the packet or conntrack event keyed by its origin host and stamped with its event time,
 * a dead letter (original bytes, source coordinates, reason), or — when the Kafka key is not the origin
 * host and re-keying is on — the original line, to be re-keyed. Lines that are not netfilter are counted
 * and dropped.
 */
final class ParseProcessor implements Processor<String, byte[], String, Parsed> {
    private static final Logger LOG = LoggerFactory.getLogger(ParseProcessor.class);

    private final ParserConfig parserConfig;
    private final boolean rekey;
    private final long maxFutureMs;
    private Sensor future;
    private ProcessorContext<String, Parsed> context;
    private LineParser parser;
    private EventMapper mapper;
    private final ParsedLine line = new ParsedLine();
    private Sensor parsed;
    private Sensor skipped;
    private Sensor deadLettered;

    /** @param rekey whether lines whose key is not their origin host go to the re-keying branch */
    ParseProcessor(ParserConfig parserConfig, boolean rekey, long maxFutureMs) {
        this.parserConfig = Objects.requireNonNull(parserConfig);
        this.rekey = rekey;
        this.maxFutureMs = maxFutureMs;
    }

    @Override
    public void init(ProcessorContext<String, Parsed> ctx) {
        this.context = ctx;
        this.parser = new LineParser(parserConfig);
        this.mapper = new EventMapper();
        parsed = Metrics.sensor(ctx, "lines-parsed");
        skipped = Metrics.sensor(ctx, "lines-skipped");
        deadLettered = Metrics.sensor(ctx, "lines-dead-lettered");
        future = Metrics.sensor(ctx, "lines-from-the-future");
    }

    @Override
    public void process(Record<String, byte[]> record) {
        byte[] value = record.value();
        if (value == null) {
            skipped.record();
            return;
        }
        Outcome outcome;
        try {
            outcome = parser.parse(value, 0, value.length, line);
        } catch (RuntimeException e) {
            // The parser is built never to throw; if it does, the line is kept, not the application stopped.
            deadLetter(record, e.getClass().getName(), String.valueOf(e.getMessage()), null);
            return;
        }
        switch (outcome) {
            case PACKET:
            case CONNTRACK:
                event(record, outcome);
                return;
            case ERROR:
                deadLetter(record, line.error().name(), line.errorMessage(), line.errorPosition());
                return;
            default:
                skipped.record();
        }
    }

    private void event(Record<String, byte[]> record, Outcome outcome) {
        String host = line.host();
        if (host == null) {
            host = record.key();
        }
        String key = host == null ? "" : host;
        if (rekey && !key.equals(record.key())) {
            context.forward(record.withKey(key).withValue(Parsed.rekey(record.value())));
            return;
        }
        parsed.record();
        Long micros = line.eventTimeMicros();
        long timestamp = micros == null ? record.timestamp() : Math.floorDiv(micros, 1000L);
        if (timestamp > context.currentSystemTimeMs() + maxFutureMs) {
            // A clock ahead or a bogus stamp: process it when Kafka got it (the event keeps its own time).
            future.record();
            timestamp = record.timestamp();
        }
        if (outcome == Outcome.PACKET) {
            PacketEvent e = mapper.packetEvent(line, record.key());
            context.forward(new Record<>(key, Parsed.of(Parsed.Kind.PACKET, e), timestamp, record.headers()));
        } else {
            ConntrackEvent c = mapper.conntrackEvent(line, record.key());
            context.forward(new Record<>(key, Parsed.of(Parsed.Kind.CONNTRACK, c), timestamp, record.headers()));
        }
    }

    private void deadLetter(Record<String, byte[]> record, String errorClass, String message, Integer position) {
        deadLettered.record();
        DeadLetter d = new DeadLetter();
        d.setHost(record.key());
        d.setOriginal(ByteBuffer.wrap(record.value()));
        context.recordMetadata().ifPresent((RecordMetadata m) -> {
            d.setTopic(m.topic());
            d.setPartition(m.partition());
            d.setOffset(m.offset());
            LOG.debug("dead letter from {}-{}@{}: {}", m.topic(), m.partition(), m.offset(), errorClass);
        });
        d.setRecordTime(Instant.ofEpochMilli(record.timestamp()));
        d.setErrorClass(errorClass);
        d.setErrorMessage(message);
        d.setErrorPosition(position == null || position < 0 ? null : position);
        String key = record.key() == null ? "" : record.key();
        context.forward(record.withKey(key).withValue(Parsed.of(Parsed.Kind.DEAD_LETTER, d)));
    }
}
