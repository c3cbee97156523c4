package io.restrictd.service.protocol.net;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Unix-domain socket file housekeeping: stale files and permissions. */
final class UnixSockets {
    private static final Logger LOG = LoggerFactory.getLogger(UnixSockets.class);

    private UnixSockets() {
    }

    /**
     * Removes a socket file left by a process that died without cleaning up. Refuses to touch a
     * regular file or a directory, or a socket something still answers on.
     */
    static void removeStale(Endpoint.Unix unix) throws ListenException {
        Path path = unix.path();
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new ListenException(unix.configKey(), unix.toString(), "the path exists and is not a socket", null);
        }
        if (answers(path)) {
            throw new ListenException(unix.configKey(), unix.toString(), "another process is listening on it", null);
        }
        try {
            Files.delete(path);
            LOG.info("removed stale socket file {}", path);
        } catch (IOException e) {
            throw new ListenException(unix.configKey(), unix.toString(), "cannot remove stale socket file: " + e, e);
        }
    }

    /** Sets the socket file's permissions; connecting to a unix socket needs write permission on it. */
    static void setPermissions(Endpoint.Unix unix) throws ListenException {
        try {
            Files.setPosixFilePermissions(unix.path(), unix.permissions());
        } catch (UnsupportedOperationException e) {
            LOG.warn("{}: cannot set permissions of {} on this file system", unix.configKey(), unix.path());
        } catch (IOException e) {
            throw new ListenException(unix.configKey(), unix.toString(), "cannot set permissions: " + e, e);
        }
    }

    private static boolean answers(Path path) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
