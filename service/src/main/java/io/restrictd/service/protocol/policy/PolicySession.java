package io.restrictd.service.protocol.policy;

import io.restrictd.service.protocol.net.ProtocolMetrics;
import io.restrictd.service.protocol.net.Session;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One policy delegation connection: the request parser and the responder. A malformed request is
 * answered with {@link PolicyResponder#malformed}; if the error lost the framing (a limit was
 * exceeded) the connection is then closed, otherwise it carries on with the next request.
 */
final class PolicySession implements Session {
    private final PolicyRequestParser parser;
    private final PolicyResponder responder;
    private final ProtocolMetrics metrics;

    PolicySession(PolicyLimits limits, PolicyResponder responder, ProtocolMetrics metrics) {
        this.parser = new PolicyRequestParser(limits);
        this.responder = responder;
        this.metrics = metrics;
    }

    @Override
    public boolean receive(ByteBuffer input, ByteArrayOutputStream out) {
        parser.feed(input);
        while (true) {
            String reply;
            try {
                PolicyRequest request = parser.next();
                if (request == null) {
                    return true;
                }
                reply = responder.respond(request);
                if (!PolicyResponder.ACCESS_POLICY.equals(request.get("request"))) {
                    metrics.badRequest();
                }
            } catch (PolicyRequestException e) {
                metrics.badRequest();
                out.writeBytes(PolicyResponder.malformed(e.getMessage()).getBytes(StandardCharsets.UTF_8));
                if (e.kind().fatal()) {
                    return false;
                }
                continue;
            }
            out.writeBytes(reply.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public boolean midRequest() {
        return parser.hasPartial();
    }
}
