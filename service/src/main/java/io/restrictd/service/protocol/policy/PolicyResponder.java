package io.restrictd.service.protocol.policy;

import io.restrictd.schema.AccessAction;
import io.restrictd.schema.InvalidEventException;
import io.restrictd.schema.Kind;
import io.restrictd.service.core.Answer;
import io.restrictd.service.core.Lookup;
import io.restrictd.service.protocol.net.ReplyText;
import java.util.Locale;
import java.util.Set;

/**
 * The policy delegation handler: a pure function from one request to its reply
 * ({@code action=...} and an empty line). Never touches sockets and never throws for any request.
 *
 * <p>It looks up {@code sender} as {@link Kind#SENDER} (an empty sender is the null sender, passed as
 * "" for the core to map to {@code <>}) and {@code sasl_username} as {@link Kind#LOGIN} when it is not
 * empty. If both are restricted the more severe action wins, the sender's on a tie. Nothing
 * restricted: {@code DUNNO}. Either lookup unavailable: the not-ready action, since the answer could
 * be a restriction the node does not know yet.
 *
 * <p>Before MAIL FROM (protocol states CONNECT, EHLO, HELO, VRFY, ETRN, reached only with
 * {@code smtpd_delay_reject = no}) the sender attribute is empty because it is unknown, not because
 * it is the null sender, so an empty sender is not looked up there.
 *
 * <p>Thread-safe if the lookup is.
 */
public final class PolicyResponder {
    /** The reply while the node cannot answer: Postfix defers unless a later restriction rejects. */
    public static final String DEFAULT_NOT_READY_ACTION = "DEFER_IF_PERMIT Service temporarily unavailable";
    /** The only request type Postfix sends. */
    static final String ACCESS_POLICY = "smtpd_access_policy";
    private static final String DUNNO = "DUNNO";
    private static final Set<String> STATES_BEFORE_MAIL = Set.of("CONNECT", "EHLO", "HELO", "VRFY", "ETRN");

    private final Lookup lookup;
    private final String notReadyReply;

    /**
     * @param notReadyAction the access(5) action answered while lookups are unavailable
     * @throws IllegalArgumentException if it is not a restrictive access action
     */
    public PolicyResponder(Lookup lookup, String notReadyAction) {
        this.lookup = lookup;
        this.notReadyReply = reply(checkAction(notReadyAction));
    }

    /** Validates and normalises an access action (REJECT, DEFER, DEFER_IF_PERMIT, 4NN, 5NN...). */
    public static String checkAction(String action) {
        try {
            return AccessAction.parse(action).render();
        } catch (InvalidEventException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The reply to one well-formed request. */
    public String respond(PolicyRequest request) {
        String type = request.get("request");
        if (!ACCESS_POLICY.equals(type)) {
            return malformed(type == null ? "no request attribute"
                    : "unsupported request type '" + ReplyText.excerpt(type, 64) + "'");
        }
        Answer sender = senderAnswer(request);
        String login = request.get("sasl_username");
        Answer user = login == null || login.isEmpty() ? null : lookup.find(Kind.LOGIN, login);
        if (sender instanceof Answer.Unavailable || user instanceof Answer.Unavailable) {
            return notReadyReply;
        }
        Answer.Restricted winner = moreSevere(sender, user);
        return winner == null ? reply(DUNNO) : reply(winner.action());
    }

    /** The reply to a request that could not be parsed: Postfix defers, never accepts by mistake. */
    public static String malformed(String why) {
        return reply("DEFER_IF_PERMIT restrictd: malformed policy request: " + why);
    }

    private Answer senderAnswer(PolicyRequest request) {
        String sender = request.get("sender");
        if (sender == null) {
            return null;
        }
        if (sender.isEmpty()) {
            String state = request.get("protocol_state");
            if (state != null && STATES_BEFORE_MAIL.contains(state.toUpperCase(Locale.ROOT))) {
                return null;
            }
        }
        return lookup.find(Kind.SENDER, sender);
    }

    /** The more severe of two answers' restrictions, the first on a tie; null if neither is restricted. */
    private static Answer.Restricted moreSevere(Answer first, Answer second) {
        Answer.Restricted a = first instanceof Answer.Restricted r ? r : null;
        Answer.Restricted b = second instanceof Answer.Restricted r ? r : null;
        if (a == null || b == null) {
            return a != null ? a : b;
        }
        return severity(b) > severity(a) ? b : a;
    }

    private static int severity(Answer.Restricted restricted) {
        if (restricted.decision() != null && restricted.decision().winner() != null) {
            return restricted.decision().winner().action().severity();
        }
        try {
            return AccessAction.parse(restricted.action()).severity();
        } catch (InvalidEventException e) {
            return 0;
        }
    }

    private static String reply(String action) {
        return "action=" + ReplyText.singleLine(action, PolicyLimits.MAX_ACTION_BYTES) + "\n\n";
    }
}
