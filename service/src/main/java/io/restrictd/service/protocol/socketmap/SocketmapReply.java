package io.restrictd.service.protocol.socketmap;

import io.restrictd.service.protocol.net.ReplyText;

/**
 * One socketmap reply, before netstring encoding: a status and its text. The text is made a single
 * line of printable characters and capped so the encoded reply stays under Postfix's limit.
 */
public record SocketmapReply(Status status, String text) {
    /** The statuses of socketmap_table(5). */
    public enum Status {
        /** Found: the text is the table value. */
        OK,
        /** Not found: no text (the reply is {@code "NOTFOUND "}, with the space). */
        NOTFOUND,
        /** Temporary failure: Postfix defers. */
        TEMP,
        /** The server timed out: Postfix defers. */
        TIMEOUT,
        /** Permanent failure, e.g. an unknown map or a malformed request. */
        PERM
    }

    private static final int MAX_TEXT_BYTES = SocketmapLimits.MAX_REPLY_BYTES - "TIMEOUT ".length();

    public SocketmapReply {
        text = status == Status.NOTFOUND ? "" : ReplyText.singleLine(text, MAX_TEXT_BYTES);
    }

    public static SocketmapReply ok(String data) {
        return new SocketmapReply(Status.OK, data);
    }

    public static SocketmapReply notFound() {
        return new SocketmapReply(Status.NOTFOUND, "");
    }

    public static SocketmapReply temp(String reason) {
        return new SocketmapReply(Status.TEMP, reason == null || reason.isBlank() ? "temporarily unavailable" : reason);
    }

    public static SocketmapReply perm(String reason) {
        return new SocketmapReply(Status.PERM, reason);
    }

    /** The reply payload: {@code STATUS text}; for NOTFOUND exactly {@code "NOTFOUND "}. */
    public String render() {
        return status.name() + " " + text;
    }

    /** The reply as a netstring, ready to write. */
    public byte[] encode() {
        return NetstringEncoder.encode(render());
    }

    @Override
    public String toString() {
        return render();
    }
}
