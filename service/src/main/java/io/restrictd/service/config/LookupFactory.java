package io.restrictd.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.restrictd.service.core.LookupKeys;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** {@code lookup:} — how sender keys are expanded, to match Postfix's own access(5) lookups. */
public class LookupFactory {
    /** Postfix's recipient_delimiter: characters that start an address extension; empty for none. */
    @NotNull
    @Pattern(regexp = "[^@\\s]*", message = "must be delimiter characters (not '@' or whitespace)")
    private String recipientDelimiter = "+";

    /**
     * As Postfix's parent_domain_matches_subdomains for smtpd_access_maps: when true a restriction on
     * example.org also matches mx.example.org; when false only .example.org does.
     */
    private boolean parentDomainMatchesSubdomains = true;

    @JsonProperty
    public String getRecipientDelimiter() {
        return recipientDelimiter;
    }

    @JsonProperty
    public void setRecipientDelimiter(String recipientDelimiter) {
        this.recipientDelimiter = recipientDelimiter;
    }

    @JsonProperty
    public boolean isParentDomainMatchesSubdomains() {
        return parentDomainMatchesSubdomains;
    }

    @JsonProperty
    public void setParentDomainMatchesSubdomains(boolean parentDomainMatchesSubdomains) {
        this.parentDomainMatchesSubdomains = parentDomainMatchesSubdomains;
    }

    public LookupKeys build() {
        return new LookupKeys(recipientDelimiter, parentDomainMatchesSubdomains);
    }
}
