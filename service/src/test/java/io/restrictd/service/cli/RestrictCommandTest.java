package io.restrictd.service.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Option and configuration validation: all before any broker is contacted (none is running here). */
class RestrictCommandTest {
    @TempDir
    Path dir;
    private Path config;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void writeConfig() throws IOException {
        // Port 1 refuses connections: a test that reaches Kafka ends in exit 3 after one second.
        config = write("node.yml", """
                kafka:
                  bootstrapServers: ${RESTRICTD_TEST_UNSET_VARIABLE:-127.0.0.1:1}
                  requestTimeout: 1s
                """);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        CliContext ctx = new CliContext(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC), "mx1", "alice",
                new io.restrictd.schema.EventCodec());
        return RestrictCommand.execute(all.toArray(String[]::new), ctx);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--subject a@example.org --action REJECT                | restrict add: --kind: required",
        "--kind robot --subject a@example.org --action REJECT   | restrict add: --kind: 'robot' is not a kind (expected sender or login)",
        "--kind sender --action REJECT                          | restrict add: --subject: required",
        "--kind sender --subject a@exa!mple.org --action REJECT | restrict add: --subject: domain 'exa!mple.org' contains '!'",
        "--kind sender --subject a@example.org                  | restrict add: --action: required",
        "--kind sender --subject a@example.org --action ACCEPT  | restrict add: --action: unknown or non-restrictive action 'ACCEPT'",
        "--kind sender --subject a@example.org --action '450 5.7.1 x' | restrict add: --action: enhancedCode: '5.7.1' is not a 4.x.y enhanced status code",
        "--kind sender --subject a@example.org --action REJECT --ttl 0s | restrict add: --ttl: '0s' is zero",
        "--kind sender --subject a@example.org --action REJECT --ttl 7 | restrict add: --ttl: '7' has no unit",
        "--kind sender --subject a@example.org --action REJECT --source 'Abuse Desk' | restrict add: --source: 'Abuse Desk' is not a source name",
    })
    void shouldRejectBadAddOptionsWithOneLineAndExit2(String args, String message) {
        List<String> argv = new ArrayList<>(List.of("add", "--config", config.toString()));
        argv.addAll(split(args));
        assertThat(run(argv.toArray(String[]::new))).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).startsWith(message).hasLineCount(1);
    }

    /** Splits on spaces, keeping 'quoted words' together, like a shell would for these cases. */
    private static List<String> split(String args) {
        List<String> out = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("'([^']*)'|(\\S+)").matcher(args);
        while (m.find()) {
            out.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return out;
    }

    @Test
    void shouldRequireConfig() {
        assertThat(run("show", "--kind", "sender", "--subject", "a@example.org")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).startsWith("restrict show: --config: required").hasLineCount(1);
    }

    @Test
    void shouldNameAMissingConfigFile() {
        Path missing = dir.resolve("nope.yml");
        assertThat(run("list", "--config", missing.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).isEqualTo("restrict list: config " + missing + ": no such file\n");
    }

    @Test
    void shouldSayWhatIsWrongWithABrokenConfigInOneLine() throws IOException {
        Path broken = write("broken.yml", "kafka:\n  bootstrapServers: [unclosed\n");
        assertThat(run("list", "--config", broken.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).startsWith("restrict list: config " + broken + ": ").hasLineCount(1);
    }

    @Test
    void shouldNameTheSettingThatFailsValidation() throws IOException {
        Path bad = write("bad.yml", "kafka:\n  topic: ''\n  requestTimeout: banana\n");
        assertThat(run("list", "--config", bad.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).startsWith("restrict list: config " + bad + ": ").contains("requestTimeout").hasLineCount(1);
    }

    @Test
    void shouldExit3NamingTheBrokersWhenKafkaDoesNotAnswer() {
        assertThat(run("add", "--config", config.toString(), "--kind", "sender", "--subject", "a@example.org",
                "--action", "REJECT x")).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(err()).startsWith("restrict add: Kafka unavailable at 127.0.0.1:1 while checking topics")
                .hasLineCount(1);
    }

    @Test
    void shouldExit2OnArgumentsArgparseRejects() {
        assertThat(run("add", "--config", config.toString(), "--colour", "red")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("unrecognized arguments: '--colour'");
    }

    @Test
    void shouldRejectAnUnknownListFormat() {
        assertThat(run("list", "--config", config.toString(), "--format", "xml")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).isEqualTo("restrict list: --format: 'xml' is not one of text, json, csv\n");
    }

    @Test
    void shouldValidateAnImportFileBeforeContactingKafkaAndPublishNothing() throws IOException {
        Path csv = write("bad.csv", "kind,subject,action,reason\nsender,a@example.org,REJECT x,\nrobot,b,REJECT,\n"
                + "sender,A@EXAMPLE.ORG,REJECT y,\n");
        assertThat(run("import", csv.toString(), "--config", config.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).isEqualTo(csv + ": line 3: kind: 'robot' is not a kind (expected sender or login)\n"
                + csv + ": line 4: duplicate key abuse|sender|a@example.org (first on line 2)\n"
                + "restrict import: " + csv + ": 2 errors; nothing published\n");
    }

    @Test
    void shouldDryRunAValidImportWithoutKafka() throws IOException {
        Path csv = write("ok.csv", "kind,subject,action,reason,ttl\nsender,a@example.org,\"REJECT a, b\",,7d\n");
        assertThat(run("import", "--dry-run", "--config", config.toString(), csv.toString(), "--source", "bulk"))
                .isEqualTo(ExitCodes.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
                "dry run: 1 restrictions valid, would publish to restrictd.restrictions as source bulk (actor alice@mx1)\n");
    }

    @Test
    void shouldNameAMissingImportFile() {
        assertThat(run("import", dir.resolve("none.csv").toString(), "--config", config.toString()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err()).endsWith("none.csv: no such file\n");
    }

    @Test
    void shouldDescribeEverySubCommandInItsHelp() {
        assertThat(RestrictCommand.usage()).contains("add", "lift", "show", "list", "import", "--create-topic",
                "Kafka unavailable", "--include-expired", "--dry-run", "--force");
    }
}
