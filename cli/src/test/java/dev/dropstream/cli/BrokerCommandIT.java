package dev.dropstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code dropstream broker} through its Java entry point, as the launcher would, and uses it as a client would. */
class BrokerCommandIT {
    @TempDir
    Path dataDir;

    private final List<Running> runs = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (Running run : runs) {
            run.stop();
        }
    }

    @Test
    void printsAnAddressClientsUseAndKeepsTheDataAcrossARestart() throws Exception {
        Running first = start();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, first.address),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("netlog.raw", "host-a", "kernel: [UFW BLOCK] IN=eth0")).get();
        }
        assertThat(read(first.address, 1)).containsExactly("kernel: [UFW BLOCK] IN=eth0");
        StringWriter err = new StringWriter();
        assertThat(DropstreamCommand.commandLine().setErr(new PrintWriter(err, true))
                .execute("broker", "--data-dir", dataDir.toString(), "--port", "0"))
                .as("a second broker on the same data directory").isEqualTo(2);
        assertThat(err.toString()).isEqualTo("dropstream: the data directory " + dataDir.toAbsolutePath()
                + " is in use by another running broker." + System.lineSeparator());
        assertThat(first.stop()).as("exit status").isZero();

        Running second = start();

        assertThat(read(second.address, 1)).as("records written before the restart")
                .containsExactly("kernel: [UFW BLOCK] IN=eth0");
        assertThat(second.stop()).isZero();
        assertThat(first.out.toString()).as("stdout is the address alone").isEqualTo(first.address + System.lineSeparator());
        assertThat(dataDir.resolve("logs/broker.log")).as("the broker logs to a file")
                .content().contains("KafkaRaftServer");
    }

    private Running start() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread command = new Thread(() -> exit.complete(DropstreamCommand.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute("broker", "--data-dir", dataDir.toString(), "--port", "0")), "dropstream-broker-command");
        command.start();
        await("the bootstrap address on stdout").atMost(Duration.ofSeconds(60))
                .failFast("the command ended early", exit::isDone)
                .until(() -> out.toString().endsWith(System.lineSeparator()));
        Running run = new Running(out.toString().strip(), out, command, exit);
        runs.add(run);
        return run;
    }

    private static List<String> read(String address, int count) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, address,
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("netlog.raw"));
            await(count + " records").atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    values.add(r.value());
                }
                return values.size() >= count;
            });
        }
        return values;
    }

    /** One run of the command: its printed address, its stdout, its thread and its exit status to come. */
    private record Running(String address, StringWriter out, Thread thread, CompletableFuture<Integer> exit) {
        /** Interrupts the command, as an embedding caller stops it, and returns its exit status. */
        int stop() throws Exception {
            thread.interrupt();
            return exit.get(60, TimeUnit.SECONDS);
        }
    }
}
