package io.restrictd.service.protocol.net;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The start-up warning when a cap cannot be reached within the process's open-file limit. */
class FileLimitsTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(FileLimits.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @BeforeEach
    void attach() {
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(appender);
    }

    @Test
    void shouldWarnNamingTheSettingOnlyWhenTheCapExceedsTheDescriptorsLeft() {
        long available = FileLimits.available();
        assertThat(available).as("Linux tells the JVM its limit").isPositive();

        FileLimits.warnIfBelow("socketmap", 1);
        assertThat(appender.list).isEmpty();

        FileLimits.warnIfBelow("policy", (int) Math.min(Integer.MAX_VALUE, available + 1000));
        assertThat(appender.list).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                .startsWith("policy.maxConnections is ").contains("can open only", "LimitNOFILE"));
    }
}
