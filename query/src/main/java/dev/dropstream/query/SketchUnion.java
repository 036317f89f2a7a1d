package dev.dropstream.query;

import dev.dropstream.streams.FrequentItems;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.Union;
import org.apache.datasketches.memory.Memory;

/**
 * Unions of the sketches of many windows and instances, kept live while they are added (merging pairs would
 * serialize every intermediate result): HLL for a distinct count, frequent items for the heaviest items. Empty
 * sketches (windows without the item) are skipped.
 */
final class SketchUnion {
    /** As the topology writes them (lgK 12); the union keeps the precision of its inputs. */
    private static final int LG_MAX_K = 12;
    private final Union hll = new Union(LG_MAX_K);
    private final FrequentItems.Union items = new FrequentItems.Union();
    private boolean any;

    /** Adds an HLL sketch (compact serialized form). */
    SketchUnion addHll(byte[] sketch) {
        if (sketch.length > 0) {
            hll.update(HllSketch.wrap(Memory.wrap(sketch)));
            any = true;
        }
        return this;
    }

    /** Adds a frequent-items sketch. */
    SketchUnion addItems(byte[] sketch) {
        items.add(ByteBuffer.wrap(sketch));
        return this;
    }

    /** Estimated distinct items of every HLL sketch added, rounded. */
    long distinct() {
        return any ? Math.round(hll.getEstimate()) : 0;
    }

    /** The {@code n} heaviest items of every frequent-items sketch added. */
    List<FrequentItems.Item> top(int n) {
        return items.top(n);
    }
}
