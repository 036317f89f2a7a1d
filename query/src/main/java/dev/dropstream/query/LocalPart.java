package dev.dropstream.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.SortedSet;

/**
 * What one instance contributes to a fleet-wide answer: the store partitions it read (active ones only) and
 * the rows it found there, before any merging. Its JSON form is the answer to a request with {@code local=true}.
 *
 * @param partitions the partitions of the store read
 * @param rows the rows, in the store's own terms (see {@link LocalStores})
 */
record LocalPart(SortedSet<Integer> partitions, List<ObjectNode> rows) {
    ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        ArrayNode ps = o.putArray("partitions");
        partitions.forEach(ps::add);
        o.putArray("rows").addAll(rows);
        return o;
    }
}
