package io.restrictd.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A small real file system that a test can fill up: a tmpfs mounted on a fresh directory, a filler file
 * that takes all its space but a little, and the space given back. Mounting needs root; tests call
 * {@link #available()} first and skip with its message otherwise.
 *
 * <pre>
 * assumeTrue(SmallDisk.available(), SmallDisk.NEEDS_ROOT);
 * try (SmallDisk disk = SmallDisk.mount(tmp.resolve("small"), "8m")) {
 *     disk.fill(64 &lt;&lt; 10);  // everything but 64 KiB taken
 *     ...
 *     disk.free();         // the space returns
 * }
 * </pre>
 */
public final class SmallDisk implements AutoCloseable {
    /** The message of a test skipped because it cannot mount. */
    public static final String NEEDS_ROOT = "mounting a small tmpfs needs root: run this test as root";
    private static final int BLOCK = 64 << 10;

    private final Path mount;
    private final Path filler;

    private SmallDisk(Path mount) {
        this.mount = mount;
        this.filler = mount.resolve("filler");
    }

    /** Whether this JVM may mount a tmpfs (it runs as root). */
    public static boolean available() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Mounts a tmpfs of {@code size} ({@code mount -o size=}, e.g. {@code 8m}) on {@code dir}, created here. */
    public static SmallDisk mount(Path dir, String size) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Commands.check(List.of("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString()), Map.of(), null,
                Duration.ofSeconds(30));
        return new SmallDisk(dir);
    }

    /** The mount point. */
    public Path path() {
        return mount;
    }

    /** Writes a filler file until the file system is full, then frees {@code leave} bytes of it. */
    public void fill(long leave) throws IOException {
        byte[] block = new byte[BLOCK];
        try (OutputStream out = Files.newOutputStream(filler, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // the disk is full
        }
        try (FileChannel channel = FileChannel.open(filler, StandardOpenOption.WRITE)) {
            channel.truncate(Math.max(0, channel.size() - leave));
        }
    }

    /** Deletes the filler: the space it took returns. */
    public void free() throws IOException {
        Files.deleteIfExists(filler);
    }

    /** Bytes free on the file system now. */
    public long usable() throws IOException {
        return Files.getFileStore(mount).getUsableSpace();
    }

    /** Unmounts (lazily: a process still holding files there keeps them until it closes them). */
    @Override
    public void close() {
        Commands.check(List.of("umount", "-l", mount.toString()), Map.of(), null, Duration.ofSeconds(30));
    }
}
