package io.restrictd.service.it;

import io.restrictd.testkit.CommandResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Asks a node for sender keys with Postfix's own client ({@code postmap -q} over socketmap), round robin on a
 * thread of its own until closed, and keeps what each key answered, in order, repeats folded: a value,
 * {@link #NOT_FOUND}, or {@code "(error N: ...)"} for any other outcome (TEMP, a refused connection). Tests then
 * ask whether any answer was wrong while brokers were killed:
 * <ul>
 *   <li>{@link #changedOnceAnswered()}: for keys that never change, an answer once given never changes;</li>
 *   <li>{@link #notInCommittedOrder}: for keys that change, the answers are the committed states in the
 *       committed order (some skipped, none invented, none reverted), and never an error.</li>
 * </ul>
 */
final class AnswerWatch implements AutoCloseable {
    static final String NOT_FOUND = "(not found)";

    private final NodeProcess node;
    private final List<String> keys;
    private final Map<String, List<String>> answers = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong lookups = new AtomicLong();
    private final Thread thread;

    /** Starts asking {@code node} for {@code keys} (sender addresses), in this order, over and over. */
    AnswerWatch(NodeProcess node, List<String> keys) {
        this.node = node;
        this.keys = List.copyOf(keys);
        this.thread = new Thread(this::run, "answer-watch-" + node.name());
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        for (int i = 0; running.get(); i = (i + 1) % keys.size()) {
            String key = keys.get(i);
            String answer = answer(node.postmap(key));
            lookups.incrementAndGet();
            List<String> seen = answers.computeIfAbsent(key, k -> new ArrayList<>());
            synchronized (seen) {
                if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(answer)) {
                    seen.add(answer);
                }
            }
        }
    }

    private static String answer(CommandResult r) {
        if (r.succeeded()) {
            return r.value();
        }
        return r.exitCode() == 1 ? NOT_FOUND : "(error " + r.exitCode() + ": " + r.stderr().strip() + ")";
    }

    /** Lookups made so far. */
    long lookups() {
        return lookups.get();
    }

    /** Each key's answers in order, repeats folded; keys not asked yet are absent. */
    Map<String, List<String>> answers() {
        Map<String, List<String>> out = new java.util.TreeMap<>();
        answers.forEach((k, v) -> {
            synchronized (v) {
                out.put(k, List.copyOf(v));
            }
        });
        return out;
    }

    /** Keys that answered a value and later anything else but an error: "KEY: A then B". */
    List<String> changedOnceAnswered() {
        List<String> wrong = new ArrayList<>();
        answers().forEach((key, seen) -> {
            String first = null;
            for (String a : seen) {
                if (a.startsWith("(error ")) {
                    continue;
                }
                if (first == null && !a.equals(NOT_FOUND)) {
                    first = a;
                } else if (first != null && !a.equals(first)) {
                    wrong.add(key + ": " + first + " then " + a);
                }
            }
        });
        return wrong;
    }

    /**
     * Keys whose answers are not a subsequence of their committed states: {@code committed} maps each key to
     * the answers its committed records give, in offset order, starting with the answer before the first record
     * ({@link #NOT_FOUND} for a key the topic did not hold when watching began, its value otherwise).
     * An error is always wrong: the node answers from its store whatever the brokers do.
     */
    List<String> notInCommittedOrder(Map<String, List<String>> committed) {
        List<String> wrong = new ArrayList<>();
        answers().forEach((key, seen) -> {
            List<String> states = committed.getOrDefault(key, List.of(NOT_FOUND));
            int at = 0;
            for (String a : seen) {
                while (at < states.size() && !states.get(at).equals(a)) {
                    at++;
                }
                if (at == states.size()) {
                    wrong.add(key + ": answered " + seen + ", committed " + states);
                    return;
                }
            }
        });
        return wrong;
    }

    /** Stops asking and waits for the last lookup to end. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(120_000);
    }
}
