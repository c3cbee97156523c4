package io.restrictd.service.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Concurrent closed-loop load against socketmap and policy-delegation servers (ops/bench/run).
 *
 * <pre>
 *   LoadGen --keys keys.tsv [--rounds 2] [--warmup 5] [--duration 15] [--out results.properties]
 *           --scenario NAME[@RATE]=PROTO:HOST:PORT:CONNS[:any][,PROTO:HOST:PORT:CONNS[:any]...] ...
 * </pre>
 *
 * <p>PROTO is {@code socketmap} (netstring {@code sender KEY}) or {@code policy} (an
 * {@code smtpd_access_policy} block at {@code RCPT} with {@code sender=KEY}). Every connection is a
 * thread that sends its next key as soon as the previous reply is in, for warm-up plus duration
 * seconds; only requests sent inside the measured window are recorded (HdrHistogram, ns). Replies
 * are checked against keys.tsv (restricted: {@code OK REJECT ...} / {@code action=REJECT ...}; others
 * {@code NOTFOUND} / {@code action=DUNNO}) unless the part ends in {@code :any} (the null
 * responder). With {@code @RATE} the scenario is paced instead: RATE requests per second in all,
 * spread evenly over its connections, latency counted from each request's due time (see
 * {@link Client}). Scenarios run interleaved, round after round, so background noise hits each
 * alike; histograms are merged over rounds.
 */
public final class LoadGen {
    private LoadGen() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        List<Key> keys = Key.read(options.keys);
        boolean[] restricted = new boolean[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            restricted[i] = keys.get(i).restricted();
        }
        Map<Protocol, byte[][]> requests = new EnumMap<>(Protocol.class);
        for (Protocol p : Protocol.values()) {
            requests.put(p, keys.stream().map(k -> p.request(k.sender())).toArray(byte[][]::new));
        }
        Map<String, Map<String, Result>> merged = new LinkedHashMap<>();
        Map<String, Map<String, List<Double>>> rates = new LinkedHashMap<>();
        for (int round = 0; round < options.rounds; round++) {
            List<Scenario> order = rotate(options.scenarios, round);
            for (Scenario scenario : order) {
                System.err.printf(Locale.ROOT, "loadgen: round %d/%d %s (%ds warm-up + %ds)%n", round + 1,
                        options.rounds, scenario.name, options.warmup, options.duration);
                Map<String, Result> run = run(scenario, requests, restricted, options, round);
                for (Map.Entry<String, Result> e : run.entrySet()) {
                    merged.computeIfAbsent(scenario.name, k -> new LinkedHashMap<>())
                            .merge(e.getKey(), e.getValue(), Result::plus);
                    rates.computeIfAbsent(scenario.name, k -> new LinkedHashMap<>())
                            .computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                            .add(e.getValue().count() / (double) options.duration);
                }
            }
        }
        report(options, merged, rates);
    }

    private static List<Scenario> rotate(List<Scenario> scenarios, int by) {
        List<Scenario> out = new ArrayList<>();
        for (int i = 0; i < scenarios.size(); i++) {
            out.add(scenarios.get((i + by) % scenarios.size()));
        }
        return out;
    }

    /** One run of a scenario: all its connections at once; results per protocol. */
    private static Map<String, Result> run(Scenario scenario, Map<Protocol, byte[][]> requests, boolean[] restricted,
            Options options, int round) throws InterruptedException {
        List<Client> clients = new ArrayList<>();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        long measureFrom = start + TimeUnit.SECONDS.toNanos(options.warmup);
        long measureTo = measureFrom + TimeUnit.SECONDS.toNanos(options.duration);
        int id = 0;
        int total = scenario.targets.stream().mapToInt(Target::connections).sum();
        long interval = scenario.rate > 0 ? Math.round(1e9 * total / scenario.rate) : 0;
        for (Target target : scenario.targets) {
            for (int i = 0; i < target.connections; i++, id++) {
                long phase = interval * id / total;
                // Spread the connections over the keys, differently each round.
                int offset = (int) ((long) restricted.length * (id * 31L + round * 7L) / 97 % restricted.length);
                clients.add(new Client(target, requests.get(target.protocol()), restricted, offset, start, measureFrom,
                        measureTo, interval, phase));
            }
        }
        List<Thread> threads = new ArrayList<>();
        for (Client c : clients) {
            Thread t = new Thread(c, "loadgen-" + threads.size());
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        Map<String, Result> out = new LinkedHashMap<>();
        for (Client c : clients) {
            out.merge(c.target.protocol.label(), c.result(), Result::plus);
        }
        return out;
    }

    private static void report(Options options, Map<String, Map<String, Result>> merged,
            Map<String, Map<String, List<Double>>> rates) throws IOException {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        Map<String, String> props = new LinkedHashMap<>();
        out.printf(Locale.ROOT, "%-16s %-10s %5s %9s %8s %8s %8s %8s %9s %7s %6s%n", "scenario", "protocol",
                "conns", "req/s", "p50", "p90", "p99", "p99.9", "max", "wrong", "errors");
        for (Map.Entry<String, Map<String, Result>> s : merged.entrySet()) {
            for (Map.Entry<String, Result> p : s.getValue().entrySet()) {
                Result r = p.getValue();
                Histogram h = r.histogram();
                double rps = median(rates.get(s.getKey()).get(p.getKey()));
                String wrong = r.verified() ? Long.toString(r.wrong()) : "n/a";
                out.printf(Locale.ROOT, "%-16s %-10s %5d %9.0f %8s %8s %8s %8s %9s %7s %6d%n", s.getKey(), p.getKey(),
                        r.connections() / options.rounds, rps, us(h.getValueAtPercentile(50)),
                        us(h.getValueAtPercentile(90)), us(h.getValueAtPercentile(99)),
                        us(h.getValueAtPercentile(99.9)), us(h.getMaxValue()), wrong, r.errors());
                String prefix = s.getKey() + "." + p.getKey() + ".";
                props.put(prefix + "rps", String.format(Locale.ROOT, "%.0f", rps));
                props.put(prefix + "p50_us", us(h.getValueAtPercentile(50)));
                props.put(prefix + "p99_us", us(h.getValueAtPercentile(99)));
                props.put(prefix + "p999_us", us(h.getValueAtPercentile(99.9)));
                props.put(prefix + "max_us", us(h.getMaxValue()));
                props.put(prefix + "count", Long.toString(h.getTotalCount()));
                props.put(prefix + "wrong", Long.toString(r.wrong()));
                props.put(prefix + "errors", Long.toString(r.errors()));
            }
        }
        out.printf(Locale.ROOT, "(latencies in µs; %d round(s) of %ds after %ds warm-up each, "
                + "histograms merged over rounds; req/s is the median over rounds)%n",
                options.rounds, options.duration, options.warmup);
        out.flush();
        System.out.print(text);
        if (options.out != null) {
            StringBuilder b = new StringBuilder();
            props.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
            Files.writeString(options.out, b.toString(), StandardCharsets.UTF_8);
        }
    }

    private static String us(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1000.0);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** A lookup key and whether the data set restricts it. */
    record Key(String sender, boolean restricted) {
        static List<Key> read(Path file) throws IOException {
            List<Key> keys = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    keys.add(new Key(line.substring(0, tab), line.substring(tab + 1).equals("R")));
                }
            }
            if (keys.isEmpty()) {
                throw new IllegalArgumentException(file + ": no keys");
            }
            return keys;
        }
    }

    /** What one connection (or several, merged) saw inside the measured window. */
    record Result(Histogram histogram, long wrong, long errors, int connections, boolean verified) {
        long count() {
            return histogram.getTotalCount();
        }

        Result plus(Result other) {
            Histogram h = histogram.copy();
            h.add(other.histogram);
            return new Result(h, wrong + other.wrong, errors + other.errors, connections + other.connections,
                    verified && other.verified);
        }
    }

    /** Where to send one kind of load, and how many connections. */
    record Target(Protocol protocol, String host, int port, int connections, boolean verify) {
        static Target parse(String spec) {
            String[] f = spec.split(":");
            if (f.length < 4 || f.length > 5 || (f.length == 5 && !f[4].equals("any"))) {
                throw new IllegalArgumentException("expected PROTO:HOST:PORT:CONNS[:any], not " + spec);
            }
            return new Target(Protocol.of(f[0]), f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                    f.length == 4);
        }
    }

    /** @param rate requests per second over all connections, or 0 for a closed loop */
    record Scenario(String name, double rate, List<Target> targets) {
        static Scenario parse(String spec) {
            int eq = spec.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected NAME[@RATE]=TARGET[,TARGET...], not " + spec);
            }
            List<Target> targets = new ArrayList<>();
            for (String t : spec.substring(eq + 1).split(",")) {
                targets.add(Target.parse(t));
            }
            String name = spec.substring(0, eq);
            int at = name.indexOf('@');
            double rate = at < 0 ? 0 : Double.parseDouble(name.substring(at + 1));
            return new Scenario(at < 0 ? name : name.substring(0, at), rate, targets);
        }
    }

    static final class Options {
        Path keys;
        Path out;
        int rounds = 2;
        int warmup = 5;
        int duration = 15;
        final List<Scenario> scenarios = new ArrayList<>();

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--keys" -> o.keys = Path.of(value);
                    case "--out" -> o.out = Path.of(value);
                    case "--rounds" -> o.rounds = Integer.parseInt(value);
                    case "--warmup" -> o.warmup = Integer.parseInt(value);
                    case "--duration" -> o.duration = Integer.parseInt(value);
                    case "--scenario" -> o.scenarios.add(Scenario.parse(value));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
                i++;
            }
            if (o.keys == null || o.scenarios.isEmpty() || o.rounds < 1 || o.duration < 1) {
                throw new IllegalArgumentException("usage: LoadGen --keys FILE --scenario NAME=... "
                        + "[--rounds N] [--warmup S] [--duration S] [--out FILE]");
            }
            return o;
        }
    }
}
