package dev.dropstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dropstream.testkit.KafkaBroker;
import dev.dropstream.testkit.KafkaTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Syslog messages that arrive while the broker is down: with a tiny memory buffer and a tiny producer buffer
 * they go to the spool, and every one of them reaches Kafka once it is back. The testkit's broker can only be
 * restarted (stopped and started in one call), so messages are sent all through that call.
 */
@KafkaTest(fresh = true)
class NetworkOutageIT {
    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final String topic = "ship-outage-" + UUID.randomUUID();

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void everyMessageSentDuringAnOutageArrivesThroughTheSpool(KafkaBroker kafka) throws Exception {
        kafka.createTopic(topic, 1);
        Map<String, Object> client = new HashMap<>();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        // A producer buffer this small fills within the outage, so the shipper has to hold messages itself.
        client.put("buffer.memory", 32 * 1024);
        client.put("batch.size", 8 * 1024);
        Path spool = dir.resolve("spool");
        Shipper s = new Shipper(new Shipper.Settings(List.of(), client, topic, dir.resolve("checkpoints"), "test-host",
                false, 65_536, Duration.ofMillis(50), Duration.ofSeconds(5), false),
                new NetworkSettings(null, new InetSocketAddress("127.0.0.1", 0), 8, 4096, spool, 64L << 20), null);
        s.listen();
        Future<?> running = pool.submit(() -> {
            s.runFiles();
            return null;
        });
        List<String> wanted = new ArrayList<>();
        try (Socket socket = Syslog.connect(s.tcpAddress())) {
            send(socket, wanted, 100);
            await().atMost(Duration.ofSeconds(30)).until(() -> s.counters().acked.sum() == 100);

            Future<?> restart = pool.submit(kafka::restart);
            AtomicBoolean spooled = new AtomicBoolean();
            AtomicLong peak = new AtomicLong();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> {
                send(socket, wanted, 100);
                if (!segments(spool).isEmpty()) {
                    spooled.set(true);
                }
                peak.accumulateAndGet(s.counters().spoolBytes.get(), Math::max);
                return restart.isDone();
            });
            restart.get();
            send(socket, wanted, 100);
            assertThat(spooled).as("spool segments were written during the outage").isTrue();
            assertThat(peak.get()).as("messages waited on disk, beyond what the producer's 32 KiB held")
                    .isGreaterThan(64 * 1024);
        }

        await().atMost(Duration.ofSeconds(120)).until(() -> s.counters().acked.sum() == wanted.size());
        await().atMost(Duration.ofSeconds(30)).until(() -> segments(spool).isEmpty());
        assertThat(s.counters().spoolBytes.get()).isZero();
        assertThat(s.counters().dropped.sum()).isZero();
        s.stop();
        running.get();
        s.close();

        List<ConsumerRecord<String, byte[]>> records =
                TopicRecords.readUntil(kafka, topic, rs -> rs.size() >= wanted.size());
        assertThat(records).extracting(TopicRecords::value).containsExactlyElementsOf(wanted);
    }

    private static void send(Socket socket, List<String> wanted, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            String m = Syslog.rfc5424("edge", "[UFW BLOCK] IN=eth0 OUT= SRC=10.9.0.1 DST=10.9.0.2 PROTO=TCP SPT=4000 "
                    + "DPT=22 message=" + wanted.size());
            wanted.add(m);
            Syslog.write(socket, wanted.size() % 2 == 0 ? Syslog.octets(m) : Syslog.newline(m));
        }
    }

    private static List<Path> segments(Path spool) throws IOException {
        if (!Files.isDirectory(spool)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(spool)) {
            return s.filter(p -> p.toString().endsWith(Spool.SUFFIX)).toList();
        }
    }
}
