package io.restrictd.service.cli;

import io.restrictd.schema.AccessAction;
import io.restrictd.schema.RestrictionKey;
import java.time.Duration;

/**
 * One validated row of an import file.
 *
 * @param line   where the row starts in the file, for messages
 * @param key    the restriction's key, subject normalised
 * @param action the access(5) action
 * @param reason why (may be null)
 * @param ticket ticket reference (may be null)
 * @param ttl    how long it lasts, or null for no expiry
 */
public record ImportRow(int line, RestrictionKey key, AccessAction action, String reason, String ticket,
        Duration ttl) {
}
