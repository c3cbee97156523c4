package io.restrictd.service.protocol.policy;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.validation.ValidationMethod;
import io.restrictd.service.core.Lookup;
import io.restrictd.service.protocol.net.MeteredLookup;
import io.restrictd.service.protocol.net.ProtocolMetrics;
import io.restrictd.service.protocol.net.ProtocolServer;
import io.restrictd.service.protocol.net.ServerFactory;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;

/**
 * {@code policy:} — the Postfix policy delegation server, for
 * {@code check_policy_service inet:127.0.0.1:10040}. Shared settings: {@link ServerFactory}.
 */
public class PolicyFactory extends ServerFactory {
    /** The name of this protocol's settings and metrics. */
    public static final String NAME = "policy";

    /** The longest attribute line accepted, in bytes; a longer one is refused and the connection closed. */
    @Min(64)
    @Max(1 << 20)
    private int maxLineBytes = PolicyLimits.DEFAULT_MAX_LINE_BYTES;

    /** The most attributes in one request; more are refused and the connection closed. */
    @Min(1)
    @Max(10_000)
    private int maxAttributes = PolicyLimits.DEFAULT_MAX_ATTRIBUTES;

    /** The access(5) action answered while the node cannot look up (still catching up, store failed). */
    @NotEmpty
    private String notReadyAction = PolicyResponder.DEFAULT_NOT_READY_ACTION;

    public PolicyFactory() {
        super("127.0.0.1:10040", PolicyLimits.DEFAULT_MAX_REQUEST_BYTES);
    }

    @Override
    protected String configKey() {
        return NAME;
    }

    /** Builds the server, not started: register it with the lifecycle, which starts and stops it. */
    public ProtocolServer build(Lookup lookup, MetricRegistry metrics) {
        ProtocolMetrics protocolMetrics = new ProtocolMetrics(metrics, NAME);
        PolicyResponder responder = new PolicyResponder(new MeteredLookup(lookup, protocolMetrics), notReadyAction);
        PolicyLimits limits = policyLimits();
        return new ProtocolServer(NAME, endpoints(), limits(),
                () -> new PolicySession(limits, responder, protocolMetrics), protocolMetrics, getEventLoops());
    }

    /** The request limits. */
    public PolicyLimits policyLimits() {
        return new PolicyLimits(getMaxRequestBytes(), maxLineBytes, maxAttributes);
    }

    @JsonIgnore
    @ValidationMethod(message = "notReadyAction must be an access(5) action: REJECT, DEFER, DEFER_IF_PERMIT,"
            + " DISCARD, HOLD, 4NN or 5NN, with optional text")
    public boolean isNotReadyActionValid() {
        try {
            PolicyResponder.checkAction(notReadyAction);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @JsonIgnore
    @ValidationMethod(message = "maxLineBytes must not exceed maxRequestBytes")
    public boolean isMaxLineWithinRequest() {
        return maxLineBytes <= getMaxRequestBytes();
    }

    @JsonProperty
    public int getMaxLineBytes() {
        return maxLineBytes;
    }

    @JsonProperty
    public void setMaxLineBytes(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    @JsonProperty
    public int getMaxAttributes() {
        return maxAttributes;
    }

    @JsonProperty
    public void setMaxAttributes(int maxAttributes) {
        this.maxAttributes = maxAttributes;
    }

    @JsonProperty
    public String getNotReadyAction() {
        return notReadyAction;
    }

    @JsonProperty
    public void setNotReadyAction(String notReadyAction) {
        this.notReadyAction = notReadyAction;
    }
}
