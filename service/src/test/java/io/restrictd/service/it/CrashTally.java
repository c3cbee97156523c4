package io.restrictd.service.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The counts of {@link NodeCrashLoopIT}: restarts, unusable stores (no answer, {@code TEMP}, a position gone
 * back), mixed states (answers the topic never held at the reported position), where the kills landed, and
 * what the node's logs show it did (sweeps, rebuilds). Not thread-safe.
 */
final class CrashTally {
    int restarts;
    int unusable;
    int mixed;
    final List<String> failures = new ArrayList<>();
    final Map<String, Integer> killedIn = new TreeMap<>();
    /** The last position the node reported before it was killed: no restart may come back behind it. */
    Map<Integer, Long> lastSeen = Map.of();
    private int checksBrokerDown;
    private long compared;
    private long ambiguous;
    private long firstAnswerMillis;
    private long firstAnswerMaxMillis;
    private int runsWithSweeps;
    private long sweeps;
    private int rebuildsStarted;
    private int rebuildsPromoted;

    void unusable(String what) {
        unusable++;
        failures.add(what);
        System.out.println("UNUSABLE " + what);
    }

    /** True if {@code position} is behind {@link #lastSeen} on some partition. */
    boolean wentBack(Map<Integer, Long> position) {
        return lastSeen.entrySet().stream().anyMatch(e -> position.getOrDefault(e.getKey(), 0L) < e.getValue());
    }

    void firstAnswer(long millisSinceLaunch) {
        firstAnswerMillis += millisSinceLaunch;
        firstAnswerMaxMillis = Math.max(firstAnswerMaxMillis, millisSinceLaunch);
    }

    /** Records one comparison with the model; a wrong answer makes a mixed state. */
    void checked(String what, String firstAnswerWrong, AnswerCheck.Result r, boolean brokerDown) {
        if (brokerDown) {
            checksBrokerDown++;
        }
        if (r != null) {
            compared += r.compared();
            ambiguous += r.ambiguous();
        }
        String wrong = firstAnswerWrong != null ? "first answer: " + firstAnswerWrong
                : r.wrong().isEmpty() ? null : r.describe();
        if (wrong != null) {
            mixed++;
            failures.add(what + ": " + wrong);
            System.out.println("MIXED " + what + ": " + wrong);
        }
    }

    /** Reads what one run of the node logged: its sweeps and rebuilds. */
    void ran(String log) {
        int swept = count(log, "swept ");
        sweeps += swept;
        runsWithSweeps += swept > 0 ? 1 : 0;
        rebuildsStarted += count(log, ": rebuilding");
        rebuildsPromoted += count(log, "store rebuilt:");
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }

    String details() {
        int kills = killedIn.values().stream().mapToInt(Integer::intValue).sum();
        return String.format("%d kills; %d checked with the broker stopped; %d answers compared, %d left out (expiring at the"
                + " lookup); first answer %d ms after launch on average, %d at most; killed in %s; %d runs swept"
                + " (%d sweeps); rebuilds started %d, promoted %d", kills, checksBrokerDown, compared, ambiguous,
                restarts == 0 ? 0 : firstAnswerMillis / restarts, firstAnswerMaxMillis, killedIn, runsWithSweeps,
                sweeps, rebuildsStarted, rebuildsPromoted);
    }
}
