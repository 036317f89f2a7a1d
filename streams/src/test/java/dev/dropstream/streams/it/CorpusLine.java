package dev.dropstream.streams.it;

/**
 * One corpus line as a test produces it to the raw topic.
 *
 * @param file the file, relative to the corpus root
 * @param number the line number in the file, from 1
 * @param key the Kafka key: the host named by the line's syslog header, or null (the topology re-keys)
 * @param recordTime the record time to produce with, or null for the producer's clock (lines with a calendar stamp)
 */
public record CorpusLine(String file, int number, String text, String key, Long recordTime) {
}
