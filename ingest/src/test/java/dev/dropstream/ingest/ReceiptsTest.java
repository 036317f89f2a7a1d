package dev.dropstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ReceiptsTest {
    private final Counters counters = new Counters();
    private final RecordingSink sink = new RecordingSink();
    private final Receipts receipts = new Receipts(100, "file:/var/log/kern.log", counters);

    @Test
    void thePositionMovesPastALineOnlyWhenItAndEveryLineBeforeItAreAnswered() {
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> second = new CompletableFuture<>();
        CompletableFuture<Void> third = new CompletableFuture<>();
        receipts.add(sink, first, 110);
        receipts.add(sink, second, 120);
        receipts.add(sink, third, 130);
        second.complete(null);
        third.complete(null);
        assertThat(receipts.position()).as("the first line is not answered").isEqualTo(100);
        assertThat(receipts.inFlight()).isEqualTo(3);
        first.complete(null);
        assertThat(receipts.position()).isEqualTo(130);
        assertThat(receipts.inFlight()).isZero();
        assertThat(counters.lastAckMillis.get()).isPositive();
    }

    @Test
    void aLineThatFailedHoldsThePositionBeforeItSoThatItIsReadAgain() {
        CompletableFuture<Void> first = CompletableFuture.completedFuture(null);
        CompletableFuture<Void> failed = CompletableFuture.failedFuture(new IllegalStateException("gone"));
        CompletableFuture<Void> after = CompletableFuture.completedFuture(null);
        receipts.add(sink, first, 110);
        receipts.add(sink, failed, 120);
        receipts.add(sink, after, 130);
        assertThat(receipts.position()).isEqualTo(110);
        assertThat(receipts.inFlight()).isEqualTo(2);
    }

    @Test
    void theRingGrowsWithoutLosingTheOrderOfLinesInFlight() {
        CompletableFuture<?>[] all = new CompletableFuture<?>[5000];
        for (int i = 0; i < all.length; i++) {
            all[i] = new CompletableFuture<Void>();
            receipts.add(sink, all[i], 101 + i);
            if (i % 3 == 0) {
                // Answered out of order, and the oldest ones now and then, so that the ring wraps before it grows.
                all[i].complete(null);
            }
        }
        assertThat(receipts.position()).isEqualTo(101);
        for (int i = all.length - 1; i >= 1; i--) {
            all[i].complete(null);
            assertThat(receipts.position()).isEqualTo(i == 1 ? 101 + all.length - 1 : 101);
        }
        assertThat(receipts.inFlight()).isZero();
    }

    @Test
    void awaitReturnsTheLinesNotAnsweredByTheDeadline() throws InterruptedException {
        receipts.add(sink, CompletableFuture.completedFuture(null), 110);
        receipts.add(sink, new CompletableFuture<Void>(), 120);
        assertThat(receipts.await(System.currentTimeMillis() + 50)).isEqualTo(1);
        assertThat(receipts.position()).isEqualTo(110);
    }
}
