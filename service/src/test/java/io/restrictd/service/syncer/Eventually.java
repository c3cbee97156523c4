package io.restrictd.service.syncer;

import java.time.Duration;

/** Retries an assertion until it holds or the time is up; then fails with the syncer's log attached. */
final class Eventually {
    private Eventually() {
    }

    static void within(Duration limit, SyncerProcess syncer, Runnable assertion) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        long pause = 50; // grows to 1 s: some assertions read a whole topic
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(e.getMessage() + "\n--- log of " + syncer.name() + " ---\n"
                            + syncer.logText(), e);
                }
                Thread.sleep(pause);
                pause = Math.min(1000, pause * 2);
            }
        }
    }
}
