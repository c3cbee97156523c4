package io.restrictd.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lock on a resource of the whole host, such as Samba's fixed LDAP port 389, held by one test JVM at a
 * time: the suite runs its integration tests in more than one fork, and two forks must not start a Samba
 * DC at once. A lock file in {@code java.io.tmpdir} carries it; the kernel releases it when the holding
 * JVM dies, so a killed fork never blocks the next run.
 *
 * <p>Not reentrant: a second {@link #acquire()} waits for {@link #release()}, which may come from another
 * thread than the acquiring one (JUnit's before- and after-all callbacks).
 */
public final class HostLock {
    private static final Logger LOG = LoggerFactory.getLogger(HostLock.class);
    private static final long REPORT_WAIT_MS = 1000;

    private final String name;
    private final Path file;
    private final Semaphore inJvm = new Semaphore(1);
    /** Open (and locked) while held; only the holder touches it. */
    private volatile FileChannel held;

    /** @param name the resource, part of the lock file's name ({@code restrictd-<name>.lock}) */
    public HostLock(String name) {
        this.name = name;
        this.file = Path.of(System.getProperty("java.io.tmpdir"), "restrictd-" + name + ".lock");
    }

    /** Waits until no other holder, in this JVM or another, has the lock, then holds it. */
    public void acquire() {
        inJvm.acquireUninterruptibly();
        long t0 = System.nanoTime();
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            channel.lock(); // released with the channel
        } catch (IOException e) {
            abandon(channel);
            throw new UncheckedIOException("cannot lock " + file, e);
        } catch (RuntimeException e) {
            abandon(channel);
            throw e;
        }
        held = channel;
        long waited = (System.nanoTime() - t0) / 1_000_000;
        if (waited > REPORT_WAIT_MS) {
            LOG.info("waited {} ms for the host lock '{}': another test JVM held it", waited, name);
        }
    }

    /** Lets the next holder have it; does nothing unless it is held. */
    public void release() {
        FileChannel channel = held;
        if (channel == null) {
            return;
        }
        held = null;
        closeQuietly(channel);
        inJvm.release();
    }

    private void abandon(FileChannel channel) {
        closeQuietly(channel);
        inJvm.release();
    }

    private void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("cannot close {} (the lock is released with the JVM): {}", file, e.toString());
        }
    }
}
