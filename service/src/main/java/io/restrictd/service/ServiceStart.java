package io.restrictd.service;

import io.dropwizard.configuration.ConfigurationException;
import io.restrictd.service.allinone.AllInOneException;
import io.restrictd.syncer.source.Syncer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/** What the long-running commands (node, all-in-one) share about starting: the one-line failure, the marker. */
public final class ServiceStart {
    /**
     * Set by the launcher ({@code ops/bin/restrictd}) when this run writes its class-data archive at exit: the
     * file to create once the service has fully started, so the launcher keeps only an archive of a whole start
     * (not of a run that failed on a bad config).
     */
    static final String READY_PROPERTY = "restrictd.cds.ready";

    private ServiceStart() {
    }

    /** The service is up: creates the file {@value #READY_PROPERTY} names, if any (failures are only logged). */
    public static void started() {
        String ready = System.getProperty(READY_PROPERTY);
        if (ready == null || ready.isBlank()) {
            return;
        }
        try {
            Files.writeString(Path.of(ready), "");
        } catch (IOException e) {
            LoggerFactory.getLogger(ServiceStart.class).debug("cannot create {}: {}", ready, e.toString());
        }
    }

    /** One line: what the operator must fix. */
    public static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && !(t instanceof AllInOneException) && !(t instanceof ConfigurationException)
                && !(t instanceof java.net.BindException)) {
            t = t.getCause();
        }
        if (t instanceof AllInOneException || t instanceof ConfigurationException) {
            return t.getMessage().lines().map(String::strip).filter(l -> !l.isEmpty())
                    .takeWhile(l -> !l.startsWith("at:") && !l.startsWith("^"))
                    .reduce((a, b) -> a + " " + b).orElse(t.toString());
        }
        if (t instanceof java.net.BindException || t instanceof java.io.IOException) {
            String m = e.getMessage() != null && e.getMessage().contains(":") ? e.getMessage() : t.getMessage();
            return "cannot listen: " + m + " (is another restrictd or another server using that port?)";
        }
        return Syncer.oneLine(t);
    }
}
