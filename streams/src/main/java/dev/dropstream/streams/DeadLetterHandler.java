package dev.dropstream.streams;

import dev.dropstream.schema.DeadLetter;
import dev.dropstream.topics.TopicCatalog;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' exception handlers for what fails outside the parser: a record that cannot be
 * deserialized, a processor that throws, a result that cannot be serialized or is too large. Each such
 * record becomes a {@link DeadLetter} on the dead-letter topic (original bytes, source coordinates, the
 * exception) and processing goes on, so one poison record never stops the application. Failures of the
 * infrastructure itself (a broker that does not answer, an authorization error) are not dead-lettered:
 * they fail, and the application's uncaught-exception handler decides.
 */
public final class DeadLetterHandler
        implements DeserializationExceptionHandler, ProcessingExceptionHandler, ProductionExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);

    private TopicCatalog.Topic<String, DeadLetter> topic;

    @Override
    public void configure(Map<String, ?> configs) {
        this.topic = TopicCatalog.create(configs).deadLetter();
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext ctx, ConsumerRecord<byte[], byte[]> record,
            Exception e) {
        LOG.warn("cannot deserialize the record at {}-{}@{} (processor {}): {}; sent to the dead-letter topic",
                record.topic(), record.partition(), record.offset(), ctx.processorNodeId(), e.toString());
        return DeserializationExceptionHandler.Response.resume(List.of(deadLetter(ctx, record.value(), e)));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext ctx, Record<?, ?> record, Exception e) {
        LOG.warn("processor {} failed on the record from {}-{}@{} (task {}): {}; sent to the dead-letter topic",
                ctx.processorNodeId(), ctx.topic(), ctx.partition(), ctx.offset(), ctx.taskId(), e.toString());
        return ProcessingExceptionHandler.Response.resume(List.of(deadLetter(ctx, ctx.sourceRawValue(), e)));
    }

    @Override
    public ProductionExceptionHandler.Response handleError(ErrorHandlerContext ctx, ProducerRecord<byte[], byte[]> record,
            Exception e) {
        if (e instanceof RecordTooLargeException || e instanceof InvalidTimestampException) {
            // Faults of this one record (its size, its time), not of Kafka: the rest goes on.
            LOG.warn("the broker refused a result for {} ({}; from {}-{}@{}); sent to the dead-letter topic",
                    record.topic(), e.getClass().getSimpleName(), ctx.topic(), ctx.partition(), ctx.offset());
            return ProductionExceptionHandler.Response.resume(List.of(deadLetter(ctx, ctx.sourceRawValue(), e)));
        }
        return ProductionExceptionHandler.Response.fail();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ProductionExceptionHandler.Response handleSerializationError(ErrorHandlerContext ctx, ProducerRecord record,
            Exception e, SerializationExceptionOrigin origin) {
        LOG.warn("cannot serialize a result for {} (from {}-{}@{}): {}; sent to the dead-letter topic",
                record.topic(), ctx.topic(), ctx.partition(), ctx.offset(), e.toString());
        return ProductionExceptionHandler.Response.resume(List.of(deadLetter(ctx, ctx.sourceRawValue(), e)));
    }

    private ProducerRecord<byte[], byte[]> deadLetter(ErrorHandlerContext ctx, byte[] original, Exception e) {
        DeadLetter d = new DeadLetter();
        d.setOriginal(ByteBuffer.wrap(original == null ? new byte[0] : original));
        d.setTopic(ctx.topic());
        d.setPartition(ctx.partition() < 0 ? null : ctx.partition());
        d.setOffset(ctx.offset() < 0 ? null : ctx.offset());
        d.setRecordTime(ctx.timestamp() < 0 ? null : Instant.ofEpochMilli(ctx.timestamp()));
        d.setErrorClass(e.getClass().getName());
        d.setErrorMessage(String.valueOf(e.getMessage()));
        byte[] key = ctx.sourceRawKey();
        String host = key == null ? null : new String(key, java.nio.charset.StandardCharsets.UTF_8);
        d.setHost(host);
        byte[] value = topic.valueSerde().serializer().serialize(topic.name(), d);
        return new ProducerRecord<>(topic.name(), null, ctx.timestamp() < 0 ? null : ctx.timestamp(), key, value);
    }
}
