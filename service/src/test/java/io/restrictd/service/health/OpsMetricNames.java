package io.restrictd.service.health;

import io.restrictd.testkit.Repository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The metric names the shipped dashboards ({@code ops/grafana/*.json}) and alert rules
 * ({@code ops/prometheus/alerts.yml}) query, and the checks a real scrape must pass against them.
 */
public final class OpsMetricNames {
    private static final Pattern NAME = Pattern.compile("\\b((?:restrictd|jvm)_[a-z0-9_]+)\\b");

    private OpsMetricNames() {
    }

    /** Every {@code restrictd_*} and {@code jvm_*} sample name the dashboards and alert rules use. */
    public static Set<String> referenced() {
        Path ops = Repository.root().resolve("ops");
        Set<String> names = new TreeSet<>();
        try (Stream<Path> dashboards = Files.list(ops.resolve("grafana"))) {
            for (Path file : Stream.concat(dashboards, Stream.of(ops.resolve("prometheus/alerts.yml"))).toList()) {
                Matcher m = NAME.matcher(Files.readString(file));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    /** The names among {@code wanted} that no sample line of the Prometheus text {@code scrape} carries. */
    public static List<String> missing(String scrape, Set<String> wanted) {
        Set<String> present = new TreeSet<>();
        scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .forEach(l -> present.add(l.split("[{ ]", 2)[0]));
        return wanted.stream().filter(n -> !present.contains(n)).toList();
    }

    /** The restrictd metric families in {@code scrape} without a {@code # HELP} line that describes them. */
    public static List<String> undescribed(String scrape) {
        Set<String> described = new TreeSet<>();
        scrape.lines().filter(l -> l.startsWith("# HELP restrictd_") && !l.contains("Not described yet"))
                .forEach(l -> described.add(l.split(" ")[2]));
        return scrape.lines().filter(l -> l.startsWith("# TYPE restrictd_")).map(l -> l.split(" ")[2])
                .filter(n -> !described.contains(n)).toList();
    }
}
