package io.restrictd.service.protocol.policy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One policy delegation request: its attributes in the order received. Postfix sends each name
 * once; the parser refuses a request that repeats one.
 */
public record PolicyRequest(Map<String, String> attributes) {
    public PolicyRequest {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** The value of one attribute, or null if absent. */
    public String get(String name) {
        return attributes.get(name);
    }
}
