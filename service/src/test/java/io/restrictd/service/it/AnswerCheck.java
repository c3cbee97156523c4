package io.restrictd.service.it;

import io.restrictd.schema.Restriction;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares a node's socketmap answers with a {@link TopicModel}: each answer must be one its subject has at
 * some position between two that {@code /status} reported, one read before the lookups and one after (the
 * same position when the broker is stopped). Restrictions that expire within {@link #MARGIN} of a lookup are
 * left out: the node's clock decides which side of the expiry they fall on.
 */
final class AnswerCheck {
    static final Duration MARGIN = Duration.ofSeconds(2);
    private static final Duration FIRST_ANSWER_TIMEOUT = Duration.ofMinutes(3);

    /** The outcome of one comparison; {@code wrong} holds a line per answer that fits no allowed value. */
    record Result(int compared, int ambiguous, List<String> wrong, Map<Integer, Long> from, Map<Integer, Long> to) {
        String describe() {
            return wrong.size() + " of " + compared + " answers differ from the topic between positions "
                    + NodeCrashLoopIT.sorted(from) + " and " + NodeCrashLoopIT.sorted(to) + ", e.g. "
                    + wrong.subList(0, Math.min(3, wrong.size()));
        }
    }

    /** The first socketmap answer after a start, asked as soon as the port accepts a connection. */
    record FirstAnswer(String reply, Instant at, long sinceLaunchMillis) {
    }

    private final TopicModel model;

    AnswerCheck(TopicModel model) {
        this.model = model;
    }

    /** Connects as soon as the node's socketmap port accepts (retrying every 5 ms) and asks for {@code subject}. */
    static FirstAnswer first(NodeProcess node, String subject) throws IOException {
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < FIRST_ANSWER_TIMEOUT.toNanos()) {
            Wire w;
            try {
                w = node.socketmap();
            } catch (ConnectException e) {
                if (!node.isRunning()) {
                    throw new AssertionError(node.name() + " exited before its socketmap port accepted\n"
                            + tail(node.logText()));
                }
                NodeProcess.sleep(5);
                continue;
            }
            try (w) {
                Instant at = Instant.now();
                return new FirstAnswer(w.lookup("sender", subject), at, (System.nanoTime() - t0) / 1_000_000);
            }
        }
        throw new AssertionError(node.name() + " did not accept on its socketmap port within " + FIRST_ANSWER_TIMEOUT);
    }

    /** What a node answered for some subjects, and when each was asked. */
    record Lookups(int[] subjects, String[] replies, Instant[] at) {
    }

    /** Looks every subject up on one connection. */
    static Lookups lookUp(NodeProcess node, int[] subjects) throws IOException {
        String[] replies = new String[subjects.length];
        Instant[] at = new Instant[subjects.length];
        try (Wire w = node.socketmap()) {
            for (int n = 0; n < subjects.length; n++) {
                at[n] = Instant.now();
                replies[n] = w.lookup("sender", CrashBacklog.subject(subjects[n]));
            }
        }
        return new Lookups(subjects, replies, at);
    }

    /** Looks every subject up and compares; {@code stopped}: the broker is stopped, the position cannot move. */
    Result compare(NodeProcess node, int[] subjects, Map<Integer, Long> before, boolean stopped) throws IOException {
        Lookups lookups = lookUp(node, subjects);
        Map<Integer, Long> after = NodeCrashLoopIT.position(NodeCrashLoopIT.status(node));
        Result r = judge(lookups, before, after);
        if (!r.wrong().isEmpty() && !stopped) {
            // A commit in flight shows its changes before its position: read the position again once it is done.
            NodeProcess.sleep(2000);
            r = judge(lookups, before, NodeCrashLoopIT.position(NodeCrashLoopIT.status(node)));
        }
        if (stopped && !after.equals(before)) {
            List<String> wrong = new ArrayList<>(r.wrong());
            wrong.add(0, "the position moved with the broker stopped");
            r = new Result(r.compared(), r.ambiguous(), wrong, before, after);
        }
        return r;
    }

    /** Compares answers with the values their subjects have at some position from {@code from} to {@code to}. */
    Result judge(Lookups lookups, Map<Integer, Long> from, Map<Integer, Long> to) {
        List<String> wrong = new ArrayList<>();
        int ambiguous = 0;
        int[] subjects = lookups.subjects();
        for (int n = 0; n < subjects.length; n++) {
            String w = wrong(CrashBacklog.key(subjects[n]), lookups.replies()[n], lookups.at()[n], from, to);
            if (w == null) {
                continue;
            }
            if (w.isEmpty()) {
                ambiguous++;
            } else {
                wrong.add(w);
            }
        }
        return new Result(subjects.length - ambiguous, ambiguous, wrong, from, to);
    }

    /**
     * Null if {@code reply} is an answer {@code key} gives at some position from {@code from} to {@code to} at
     * the instant {@code at}; empty if that cannot be told (an expiry too close to {@code at}); else what is wrong.
     */
    String wrong(String key, String reply, Instant at, Map<Integer, Long> from, Map<Integer, Long> to) {
        Set<String> allowed = new HashSet<>();
        for (Restriction r : model.valuesBetween(key, from, to)) {
            String expected = TopicModel.reply(r, at, MARGIN);
            if (expected == null) {
                return "";
            }
            allowed.add(expected);
        }
        return allowed.contains(reply) ? null : key + " answered '" + reply + "', the topic says one of " + allowed;
    }

    private static String tail(String log) {
        return log.length() <= 4000 ? log : log.substring(log.length() - 4000);
    }
}
