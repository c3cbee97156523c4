package io.restrictd.service.protocol.socketmap;

import io.restrictd.schema.Kind;
import io.restrictd.schema.Utf8;
import io.restrictd.service.core.Answer;
import io.restrictd.service.core.Lookup;
import io.restrictd.service.protocol.net.ReplyText;
import java.nio.charset.CharacterCodingException;
import java.util.Map;

/**
 * The socketmap request handler: a pure function from one request payload ({@code name key}, the
 * content of a netstring) to its reply. Never touches sockets and never throws for any input.
 *
 * <p>The map name selects the kind ({@code sender} → {@link Kind#SENDER}, {@code login} →
 * {@link Kind#LOGIN} by default); the key goes to the {@link Lookup} exactly as Postfix sent it.
 * Requests the responder cannot understand get {@code PERM}: the framing is intact, so the
 * connection stays usable.
 *
 * <p>Thread-safe if the lookup is.
 */
public final class SocketmapResponder {
    private final Lookup lookup;
    private final Map<String, Kind> maps;

    /** @param maps map name (as in {@code socketmap:...:name}) to the kind it looks up */
    public SocketmapResponder(Lookup lookup, Map<String, Kind> maps) {
        this.lookup = lookup;
        this.maps = Map.copyOf(maps);
    }

    /** The default map names: {@code sender} and {@code login}. */
    public static Map<String, Kind> defaultMaps() {
        return Map.of(SocketmapLimits.DEFAULT_SENDER_MAP, Kind.SENDER, SocketmapLimits.DEFAULT_LOGIN_MAP, Kind.LOGIN);
    }

    /** The reply to one request payload. */
    public SocketmapReply respond(byte[] payload) {
        String request;
        try {
            request = Utf8.decodeStrict(payload);
        } catch (CharacterCodingException e) {
            return SocketmapReply.perm("request is not valid UTF-8");
        }
        int space = request.indexOf(' ');
        if (space <= 0) {
            return SocketmapReply.perm("malformed request: expected '<map> <key>'");
        }
        String name = request.substring(0, space);
        Kind kind = maps.get(name);
        if (kind == null) {
            return SocketmapReply.perm("unknown map '" + ReplyText.excerpt(name, 64) + "'");
        }
        return reply(lookup.find(kind, request.substring(space + 1)));
    }

    private static SocketmapReply reply(Answer answer) {
        if (answer instanceof Answer.Restricted restricted) {
            return SocketmapReply.ok(restricted.action());
        }
        if (answer instanceof Answer.Unavailable unavailable) {
            return SocketmapReply.temp(unavailable.reason());
        }
        if (answer instanceof Answer.NotRestricted) {
            return SocketmapReply.notFound();
        }
        return SocketmapReply.temp("lookup returned no answer");
    }
}
