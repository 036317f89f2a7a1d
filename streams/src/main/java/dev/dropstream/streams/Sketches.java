package dev.dropstream.streams;

import java.nio.ByteBuffer;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.memory.Memory;

/**
 * Distinct counts as Apache DataSketches HLL sketches in their compact serialized form, so other tools
 * (DataSketches in Java, C++, Python; Druid; Pinot) can read and merge what Dropstream writes.
 * lgK 12 gives about 1.6% relative error; small sets stay in the exact list/set modes and take a few bytes.
 */
final class Sketches {
    static final int LG_K = 12;

    private Sketches() {
    }

    /** The estimated number of distinct items, rounded. */
    static long estimate(ByteBuffer sketch) {
        if (!sketch.hasRemaining()) {
            return 0;
        }
        return Math.round(read(sketch).getEstimate());
    }

    /** The sketch in {@code buf}'s remaining bytes, read-only. */
    static HllSketch read(ByteBuffer buf) {
        return HllSketch.wrap(Memory.wrap(copy(buf)));
    }

    /**
     * {@code buf}'s remaining bytes. Deserialized buffers may be views into a larger array at an offset, which
     * Memory.wrap(ByteBuffer) does not honour, so the bytes are read out.
     */
    static byte[] copy(ByteBuffer buf) {
        ByteBuffer view = buf.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return bytes;
    }
}
