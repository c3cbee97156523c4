package io.restrictd.service.syncer;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/** {@code mapping:} — how a restricted entry becomes restriction events. */
public class MappingFactory {
    /** The events' source (the first part of each record key). */
    @NotEmpty
    @JsonProperty
    public String source = "ldap";

    /** Attributes holding envelope sender addresses. */
    @NotNull
    @JsonProperty
    public List<String> senderAttributes = List.of("mail");

    /** Attributes holding SASL login names; empty for none. */
    @NotNull
    @JsonProperty
    public List<String> loginAttributes = List.of();

    /** The access(5) action every restricted entry gets, unless its own action attribute says otherwise. */
    @NotEmpty
    @JsonProperty
    public String action = "REJECT This account is not allowed to send emails";

    /** Per-entry message attribute (replaces the action's text); empty to ignore. */
    @JsonProperty
    public String messageAttribute = "smtpdSenderRestrictionMessage";

    /** Per-entry action attribute; empty to ignore. */
    @JsonProperty
    public String actionAttribute = "smtpdSenderRestrictionAction";

    /** Per-entry expiry attribute (GeneralizedTime); empty to ignore. */
    @JsonProperty
    public String expiryAttribute = "smtpdSenderRestrictionExpiry";
}
