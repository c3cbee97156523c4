package io.restrictd.service.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Writes the benchmark's data set (ops/bench/run): the same restrictions in every contender's
 * format, and the lookup keys. Deterministic for a given seed, so two runs measure the same thing.
 *
 * <pre>
 *   BenchData DIR [--restrictions 100000] [--keys 50000] [--later 100000] [--seed 20261125]
 * </pre>
 *
 * <p>Restricted senders are {@code user<N>@<domain>} with N drawn from [0, 10^7) over four domains.
 * Half of the keys are restricted senders, the other half senders of the same shape that are not;
 * no domain is restricted as a whole, so a "not found" walks the node's whole access(5) key list.
 *
 * <p>Files: {@code restrictions.csv} (for {@code restrict import}), {@code lmdb.txt} (for
 * {@code postmap lmdb:}), {@code people.ldif} (for slapadd), {@code keys.txt} (one key a line, for
 * {@code postmap -q -}), {@code keys.tsv} (key TAB R|-, for {@link LoadGen}),
 * {@code sample.txt}/{@code sample.expected} (the first keys and what {@code postmap -q -} must print
 * for them), {@code later.csv} (other restrictions, for the steady-state ingest test).
 */
public final class BenchData {
    public static final String ACTION =
            "REJECT This account is not allowed to send emails, plz talk to abuse@example.org";
    static final List<String> DOMAINS = List.of("example.org", "example.com", "example.net", "mail.example.org");
    static final int SAMPLE = 2000;
    private static final int SPACE = 10_000_000;

    private BenchData() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: BenchData DIR [--restrictions N] [--keys N] [--later N] [--seed S]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int restrictions = intOption(args, "--restrictions", 100_000);
        int keys = intOption(args, "--keys", 50_000);
        int later = intOption(args, "--later", 100_000);
        long seed = intOption(args, "--seed", 20_261_125);
        Files.createDirectories(dir);
        write(dir, restrictions, keys, later, new Random(seed));
    }

    private static int intOption(String[] args, String name, int fallback) {
        for (int i = 1; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }

    private static void write(Path dir, int restrictions, int keys, int later, Random random) throws IOException {
        List<String> restricted = distinct(restrictions, random, new HashSet<>());
        Set<String> taken = new HashSet<>(restricted);
        List<String> free = distinct(keys - keys / 2, random, taken);
        List<String> lookups = new ArrayList<>(keys);
        List<String> shuffled = new ArrayList<>(restricted);
        Collections.shuffle(shuffled, random);
        lookups.addAll(shuffled.subList(0, keys / 2));
        lookups.addAll(free);
        Collections.shuffle(lookups, random);
        Set<String> isRestricted = new HashSet<>(restricted);

        try (BufferedWriter csv = writer(dir, "restrictions.csv");
                BufferedWriter lmdb = writer(dir, "lmdb.txt");
                BufferedWriter ldif = writer(dir, "people.ldif")) {
            csv.write("kind,subject,action,reason\n");
            for (String sender : restricted) {
                csv.write("sender," + sender + ",\"" + ACTION + "\",bench\n");
                lmdb.write(sender + " " + ACTION + "\n");
                ldif.write(entry(sender));
            }
        }
        try (BufferedWriter txt = writer(dir, "keys.txt"); BufferedWriter tsv = writer(dir, "keys.tsv");
                BufferedWriter sample = writer(dir, "sample.txt");
                BufferedWriter expected = writer(dir, "sample.expected")) {
            for (int i = 0; i < lookups.size(); i++) {
                String key = lookups.get(i);
                boolean hit = isRestricted.contains(key);
                txt.write(key + "\n");
                tsv.write(key + "\t" + (hit ? "R" : "-") + "\n");
                if (i < SAMPLE) {
                    sample.write(key + "\n");
                    if (hit) {
                        expected.write(key + "\t" + ACTION + "\n");
                    }
                }
            }
        }
        List<String> late = distinct(later, random, taken);
        try (BufferedWriter csv = writer(dir, "later.csv")) {
            csv.write("kind,subject,action,reason\n");
            for (String sender : late) {
                csv.write("sender," + sender + ",\"" + ACTION + "\",bench-later\n");
            }
        }
    }

    /** {@code n} senders not in {@code taken}; adds them to it. */
    private static List<String> distinct(int n, Random random, Set<String> taken) {
        List<String> out = new ArrayList<>(n);
        while (out.size() < n) {
            String sender = "user" + random.nextInt(SPACE) + "@" + DOMAINS.get(random.nextInt(DOMAINS.size()));
            if (taken.add(sender)) {
                out.add(sender);
            }
        }
        return out;
    }

    private static String entry(String sender) {
        String local = sender.substring(0, sender.indexOf('@'));
        String uid = local + "." + DOMAINS.indexOf(sender.substring(sender.indexOf('@') + 1));
        return "dn: uid=" + uid + ",ou=people,dc=example,dc=org\n"
                + "objectClass: inetOrgPerson\n"
                + "objectClass: restrictdAccount\n"
                + "uid: " + uid + "\n"
                + "cn: " + local + "\n"
                + "sn: " + local + "\n"
                + "mail: " + sender + "\n"
                + "smtpdSenderRestrictions: TRUE\n\n";
    }

    private static BufferedWriter writer(Path dir, String name) throws IOException {
        return Files.newBufferedWriter(dir.resolve(name), StandardCharsets.UTF_8);
    }
}
