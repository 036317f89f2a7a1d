package dev.dropstream.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** Reading the rows of {@link LocalStores}, whether built here or parsed from another instance's JSON. */
final class Rows {
    private Rows() {
    }

    /** A sketch field: binary here, base64 text after a trip through JSON. */
    static byte[] bytes(JsonNode row, String field) {
        JsonNode n = row.get(field);
        if (n == null || n.isNull()) {
            return new byte[0];
        }
        try {
            return n.binaryValue();
        } catch (IOException e) {
            throw ApiError.unavailable("an instance sent a sketch that is not base64 (" + e.getMessage() + ")");
        }
    }

    /** The InvalidDrops newest first (those without a time last), at most {@code limit}. */
    static List<ObjectNode> newestFirst(List<ObjectNode> rows, int limit) {
        Comparator<ObjectNode> byTime = Comparator.comparing(Rows::eventTime,
                Comparator.nullsLast(Comparator.reverseOrder()));
        return rows.stream().sorted(byTime).limit(limit).toList();
    }

    private static Instant eventTime(JsonNode drop) {
        JsonNode t = drop.get("eventTime");
        return t == null || t.isNull() ? null : Instant.parse(t.asText());
    }
}
