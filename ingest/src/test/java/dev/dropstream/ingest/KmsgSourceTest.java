package dev.dropstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The /dev/kmsg reader on a stand-in device. Every record here is constructed for the test in the device's format
 * ({@code PRIO,SEQ,USEC,FLAGS;MESSAGE}, one record per read, dictionary lines starting with a space); real records
 * are in {@code KmsgShipIT} and {@code KernelLabShipIT}.
 */
class KmsgSourceTest {
    private static final String BOOT = "0b8e6a0e-2f4c-4a4e-9d5e-000000000001";

    @TempDir
    Path dir;

    private final Counters counters = new Counters();
    private final RecordingSink sink = new RecordingSink();

    /** A device that returns each element once (a String is one read, an IOException a failed read), then ends. */
    private static KmsgSource.Opener device(Object... reads) {
        Deque<Object> left = new ArrayDeque<>(List.of(reads));
        return () -> new KmsgSource.Device() {
            @Override
            public int read(byte[] b) throws IOException {
                Object next = left.poll();
                if (next == null) {
                    return -1;
                }
                if (next instanceof IOException e) {
                    throw e;
                }
                byte[] r = ((String) next).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(r, 0, b, 0, r.length);
                return r.length;
            }

            @Override
            public void close() {
            }
        };
    }

    private static String rec(long seq, String message) {
        return "4," + seq + "," + (1_000_000 + seq) + ",-;" + message;
    }

    private KmsgSource source(KmsgSource.Opener opener, String bootId, int maxLine) {
        return new KmsgSource(opener, bootId, dir.resolve("ship.kmsg"), "this-host", maxLine, counters);
    }

    private List<String> run(KmsgSource.Opener opener) throws Exception {
        KmsgSource s = source(opener, BOOT, 65_536);
        s.run(sink);
        s.save();
        return sink.lines();
    }

    @Test
    void sendsEachRecordLineAsItIsAndDropsTheContinuationLines() throws Exception {
        List<String> lines = run(device(
                rec(0, "Linux version 6.18.44") + "\n",
                rec(1, "acpi PNP0A08:00: _OSC: OS supports [ExtendedConfig]") + "\n SUBSYSTEM=acpi\n DEVICE=+acpi:PNP0A08:00\n",
                rec(2, "DSSHIP-1: IN=lo OUT= SRC=127.0.0.1 DST=127.0.0.1 PROTO=TCP SPT=1 DPT=2 SYN URGP=0 ") + "\n"));

        assertThat(lines).containsExactly(rec(0, "Linux version 6.18.44"),
                rec(1, "acpi PNP0A08:00: _OSC: OS supports [ExtendedConfig]"),
                rec(2, "DSSHIP-1: IN=lo OUT= SRC=127.0.0.1 DST=127.0.0.1 PROTO=TCP SPT=1 DPT=2 SYN URGP=0 "));
        assertThat(sink.ids()).containsExactly("kmsg:" + BOOT + ":0", "kmsg:" + BOOT + ":1", "kmsg:" + BOOT + ":2");
        assertThat(sink.taken).allSatisfy(t -> {
            assertThat(t.host()).isEqualTo("this-host");
            assertThat(t.source()).isEqualTo("kmsg");
            assertThat(t.cut()).isFalse();
        });
        assertThat(counters.read.sum()).isEqualTo(3);
        assertThat(counters.kmsgLost.sum()).isZero();
        assertThat(Files.readString(dir.resolve("ship.kmsg"))).isEqualTo(BOOT + "\t2\n");
    }

    @Test
    void aGapInSequenceNumbersAfterEpipeIsCountedAsLost() throws Exception {
        List<String> lines = run(device(rec(10, "a") + "\n", rec(11, "b") + "\n",
                new IOException("Broken pipe"), rec(15, "c") + "\n", rec(16, "d") + "\n", rec(20, "e") + "\n"));

        assertThat(lines).containsExactly(rec(10, "a"), rec(11, "b"), rec(15, "c"), rec(16, "d"), rec(20, "e"));
        assertThat(counters.kmsgLost.sum()).as("12..14 and 17..19").isEqualTo(6);
    }

    @Test
    void theFirstRunSendsTheWholeRingBufferAndCountsNothingBeforeItsFirstRecordAsLost() throws Exception {
        run(device(rec(500, "oldest left") + "\n", rec(501, "next") + "\n"));

        assertThat(sink.lines()).hasSize(2);
        assertThat(counters.kmsgLost.sum()).isZero();
    }

    @Test
    void aRestartInTheSameBootResumesAfterTheCheckpointAndCountsWhatWasOverwrittenMeanwhile() throws Exception {
        Files.writeString(dir.resolve("ship.kmsg"), BOOT + "\t5\n");

        run(device(rec(3, "sent before") + "\n", rec(4, "sent before") + "\n", rec(5, "sent before") + "\n",
                rec(6, "new") + "\n", rec(7, "new") + "\n"));

        assertThat(sink.ids()).containsExactly("kmsg:" + BOOT + ":6", "kmsg:" + BOOT + ":7");
        assertThat(counters.kmsgLost.sum()).isZero();

        RecordingSink later = new RecordingSink();
        KmsgSource again = source(device(rec(9, "after an overwrite") + "\n"), BOOT, 65_536);
        again.run(later);
        assertThat(later.ids()).containsExactly("kmsg:" + BOOT + ":9");
        assertThat(counters.kmsgLost.sum()).as("record 8 was overwritten while the shipper was away").isEqualTo(1);
    }

    @Test
    void aCheckpointOfAnotherBootSendsEverything() throws Exception {
        Files.writeString(dir.resolve("ship.kmsg"), "another-boot\t900\n");

        run(device(rec(0, "a") + "\n", rec(1, "b") + "\n"));

        assertThat(sink.lines()).containsExactly(rec(0, "a"), rec(1, "b"));
        assertThat(Files.readString(dir.resolve("ship.kmsg"))).isEqualTo(BOOT + "\t1\n");
    }

    @Test
    void aRefusedRecordIsOfferedAgainUntilTakenAndNothingIsDropped() throws Exception {
        sink.refuse.set(3);

        run(device(rec(0, "a") + "\n", rec(1, "b") + "\n"));

        assertThat(sink.lines()).containsExactly(rec(0, "a"), rec(1, "b"));
        assertThat(sink.offers).isEqualTo(5);
    }

    @Test
    void theCheckpointIsTheLastRecordThatItAndEveryOneBeforeItWereAcknowledged() throws Exception {
        sink.ackAtOnce = false;
        KmsgSource s = source(device(rec(0, "a") + "\n", rec(1, "b") + "\n", rec(2, "c") + "\n"), BOOT, 65_536);
        s.run(sink);

        s.save();
        assertThat(dir.resolve("ship.kmsg")).doesNotExist();
        sink.taken.get(0).onAck().run();
        sink.taken.get(2).onAck().run();
        s.save();
        assertThat(Files.readString(dir.resolve("ship.kmsg"))).isEqualTo(BOOT + "\t0\n");
        sink.taken.get(1).onAck().run();
        s.save();
        assertThat(Files.readString(dir.resolve("ship.kmsg"))).isEqualTo(BOOT + "\t2\n");
    }

    @Test
    void aRecordLongerThanTheLimitIsCutAndFlagged() throws Exception {
        KmsgSource s = source(device(rec(0, "x".repeat(1000)) + "\n"), BOOT, 256);
        s.run(sink);

        assertThat(sink.taken).singleElement().satisfies(t -> {
            assertThat(t.line()).hasSize(256).startsWith("4,0,");
            assertThat(t.cut()).isTrue();
        });
        assertThat(counters.cut.sum()).isEqualTo(1);
    }

    @Test
    void anotherReadErrorReopensTheDeviceAndSkipsWhatWasSent() throws Exception {
        List<Object[]> opens = new ArrayList<>();
        opens.add(new Object[] {rec(0, "a") + "\n", rec(1, "b") + "\n", new IOException("Input/output error")});
        opens.add(new Object[] {rec(0, "a") + "\n", rec(1, "b") + "\n", rec(2, "c") + "\n"});
        KmsgSource s = source(() -> device(opens.remove(0)).open(), BOOT, 65_536);

        s.run(sink);

        assertThat(sink.lines()).containsExactly(rec(0, "a"), rec(1, "b"), rec(2, "c"));
    }

    @Test
    void theSequenceNumberIsTheSecondFieldOfARecordHeader() {
        assertThat(seq("6,1234,5678,-;message")).isEqualTo(1234);
        assertThat(seq("12,0,0,c,caller=T1;message")).isZero();
        assertThat(seq(" SUBSYSTEM=acpi")).isEqualTo(-1);
        assertThat(seq("6,12a,0,-;x")).isEqualTo(-1);
        assertThat(seq("6,12,0,-")).as("no ';'").isEqualTo(-1);
        assertThat(seq("Nov 25 kernel: x")).isEqualTo(-1);
    }

    private static long seq(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return KmsgSource.seq(b, 0, b.length);
    }

    @Test
    void eachReadIsOneRecordButSeveralInOneChunkAreSentToo() throws Exception {
        run(device(rec(0, "a") + "\n" + rec(1, "b") + "\n SUBSYSTEM=x\n" + rec(2, "c")));

        assertThat(sink.lines()).containsExactly(rec(0, "a"), rec(1, "b"), rec(2, "c"));
    }
}
