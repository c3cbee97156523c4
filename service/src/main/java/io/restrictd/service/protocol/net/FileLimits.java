package io.restrictd.service.protocol.net;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's open-file limit, which caps connections before any setting does: each connection is
 * a file descriptor. Past the limit accept fails and new connections wait in the listen queue.
 */
final class FileLimits {
    private static final Logger LOG = LoggerFactory.getLogger(FileLimits.class);

    private FileLimits() {
    }

    /** File descriptors this process may still open, or -1 where the JVM cannot tell. */
    static long available() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount();
        }
        return -1;
    }

    /** Logs a warning naming the setting if {@code maxConnections} cannot be reached within the limit. */
    static void warnIfBelow(String protocol, int maxConnections) {
        long available = available();
        if (available >= 0 && available < maxConnections) {
            LOG.warn("{}.maxConnections is {} but this process can open only {} more files (ulimit -n,"
                    + " LimitNOFILE=): past that, new connections wait unanswered until one closes",
                    protocol, maxConnections, available);
        }
    }
}
