package dev.dropstream.streams;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.datasketches.common.ArrayOfStringsSerDe;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.memory.Memory;

/**
 * The heaviest items of a stream (source addresses, hosts) as Apache DataSketches frequent-items sketches
 * ({@link ItemsSketch} of strings) in their serialized form, so they merge across windows and instances like
 * the HLL sketches of {@link Sketches}. A map of 64 keeps the sketch small; its counts are exact while a window holds at most 48 distinct items, and beyond that off
 * by at most about 3.5/64 of the window's packets (the bounds of each {@link Item} say how far).
 */
public final class FrequentItems {
    static final int MAX_MAP_SIZE = 64;
    static final ArrayOfStringsSerDe SERDE = new ArrayOfStringsSerDe();

    private FrequentItems() {
    }

    /** One heavy item: its estimated count and the bounds the true count lies within. */
    public record Item(String value, long estimate, long lowerBound, long upperBound) {
    }

    /** The {@code n} items with the highest estimates, highest first (ties by value). */
    static List<Item> top(ByteBuffer sketch, int n) {
        return sketch == null || !sketch.hasRemaining() ? new ArrayList<>() : top(read(sketch), n);
    }

    /**
     * The union of many sketches, kept live while they are added: merging them in pairs would serialize every
     * intermediate result.
     */
    public static final class Union {
        private ItemsSketch<String> sketch;

        /** Adds a serialized sketch (empty: nothing). */
        public void add(ByteBuffer serialized) {
            if (serialized == null || !serialized.hasRemaining()) {
                return;
            }
            ItemsSketch<String> s = read(serialized);
            if (sketch == null) {
                sketch = s;
            } else {
                sketch.merge(s);
            }
        }

        /** The {@code n} heaviest items of everything added. */
        public List<Item> top(int n) {
            return sketch == null ? new ArrayList<>() : FrequentItems.top(sketch, n);
        }
    }

    private static List<Item> top(ItemsSketch<String> sketch, int n) {
        List<Item> items = new ArrayList<>();
        for (ItemsSketch.Row<String> r : sketch.getFrequentItems(0, ErrorType.NO_FALSE_NEGATIVES)) {
            items.add(new Item(r.getItem(), r.getEstimate(), r.getLowerBound(), r.getUpperBound()));
        }
        items.sort(Comparator.comparingLong(Item::estimate).reversed().thenComparing(Item::value));
        return items.size() > n ? new ArrayList<>(items.subList(0, n)) : items;
    }

    /** The sketch in {@code buf}'s remaining bytes. */
    static ItemsSketch<String> read(ByteBuffer buf) {
        return ItemsSketch.getInstance(Memory.wrap(Sketches.copy(buf)), SERDE);
    }
}
