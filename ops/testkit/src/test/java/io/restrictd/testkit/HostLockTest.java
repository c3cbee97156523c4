package io.restrictd.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HostLockTest {

    /** Another JVM (a child process) holds the file lock: acquire waits until it is killed. */
    @Test
    void shouldWaitForAnotherJvmAndGetTheLockWhenItDies() throws Exception {
        String name = "hostlock-test-" + ProcessHandle.current().pid();
        Path file = Path.of(System.getProperty("java.io.tmpdir"), "restrictd-" + name + ".lock");
        // Java's file locks are POSIX record locks, which flock(1) would not see: a second JVM is the other holder.
        Process other = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Holder.class.getName(), file.toString()))
                .redirectErrorStream(true).start();
        try {
            assertEquals('L', other.getInputStream().read(), "the other JVM reports it holds the lock");
            HostLock lock = new HostLock(name);
            Thread waiter = new Thread(lock::acquire);
            waiter.start();
            waiter.join(500);
            assertTrue(waiter.isAlive(), "acquire must wait while another JVM holds the lock");
            other.destroyForcibly(); // SIGKILL: no cleanup of its own; the kernel drops the lock
            waiter.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(waiter.isAlive(), "acquire must return once the other JVM is killed");
            lock.release();
        } finally {
            other.destroyForcibly();
            other.waitFor();
        }
    }

    @Test
    void shouldLetTheNextHolderInAfterRelease() throws InterruptedException {
        HostLock lock = new HostLock("hostlock-test-" + ProcessHandle.current().pid() + "-local");
        lock.acquire();
        Thread second = new Thread(lock::acquire);
        second.start();
        second.join(300);
        assertTrue(second.isAlive(), "a second acquire waits for the first release");
        lock.release(); // from another thread than the second holder's: JUnit's callbacks may do that
        second.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(second.isAlive(), "the second acquire returns after the release");
        lock.release();
        lock.release(); // not held: nothing happens
    }

    /** Holds the lock file given as argument until its stdin closes; writes 'L' once it holds it. */
    public static final class Holder {
        public static void main(String[] args) throws IOException {
            try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock held = channel.lock()) {
                System.out.write('L');
                System.out.flush();
                while (System.in.read() >= 0) {
                    // wait for the parent to close stdin
                }
            }
        }
    }
}
