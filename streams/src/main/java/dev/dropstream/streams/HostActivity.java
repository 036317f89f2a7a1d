package dev.dropstream.streams;

import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What the store {@link Names#HOSTS_STORE} holds per origin host: the latest event time of its records and
 * how many records (LOG records and conntrack diagnostics) it sent. Stored as two big-endian longs: the value
 * never leaves the store and its changelog, so a schema would buy nothing.
 *
 * @param lastSeenMillis latest event time seen, epoch millis
 * @param records records counted since the store began
 */
public record HostActivity(long lastSeenMillis, long records) {
    private static final int SIZE = 2 * Long.BYTES;

    /** This activity with one more record at {@code timestamp}. */
    HostActivity plus(long timestamp) {
        return new HostActivity(Math.max(lastSeenMillis, timestamp), records + 1);
    }

    /** The store's value serde. */
    public static Serde<HostActivity> serde() {
        Serializer<HostActivity> ser = (topic, a) -> a == null ? null
                : ByteBuffer.allocate(SIZE).putLong(a.lastSeenMillis).putLong(a.records).array();
        Deserializer<HostActivity> de = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length != SIZE) {
                throw new IllegalArgumentException("a host activity is " + SIZE + " bytes, not " + bytes.length);
            }
            ByteBuffer b = ByteBuffer.wrap(bytes);
            return new HostActivity(b.getLong(), b.getLong());
        };
        return Serdes.serdeFrom(ser, de);
    }
}
