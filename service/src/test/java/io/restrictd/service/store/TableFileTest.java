package io.restrictd.service.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.SortedTableMap;

class TableFileTest {
    private static final String[] PARTS = {"s|", "r|", "user", "ünïcödé", "\uD83D\uDCE7", "@example.org", ".", "0",
        "9", "Z", "a", "\u00ff", "\u0100", "\uffff", ""};

    /** Keys with shared prefixes, ASCII and not, surrogate pairs and chars above U+00FF. */
    private static String[] keys(Random random, int n) {
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            StringBuilder key = new StringBuilder();
            for (int parts = random.nextInt(6); parts >= 0; parts--) {
                key.append(PARTS[random.nextInt(PARTS.length)]);
            }
            keys[i] = key.append(i).toString();
        }
        return keys;
    }

    @Test
    void orderIsStringsNaturalOrder() {
        Random random = new Random(7);
        String[] keys = keys(random, 2_000);
        for (String a : keys) {
            String b = keys[random.nextInt(keys.length)];
            assertThat(Integer.signum(TableFile.ORDER.compare(a, b))).as("%s vs %s", a, b)
                    .isEqualTo(Integer.signum(a.compareTo(b)));
        }
    }

    @Test
    void aTableWrittenInNaturalOrderFindsEveryKey(@TempDir Path dir) throws Exception {
        String[] keys = keys(new Random(11), 20_000);
        Arrays.sort(keys);
        Path written = TableFile.writeTemporary(dir.resolve("table-1.sst"), sink -> {
            for (String k : keys) {
                sink.accept(k, k.getBytes(StandardCharsets.UTF_8));
            }
        });
        SortedTableMap<String, byte[]> table = TableFile.open(written);
        assertThat(table.size()).isEqualTo(keys.length);
        for (String k : keys) {
            assertThat(table.get(k)).as(k).isEqualTo(k.getBytes(StandardCharsets.UTF_8));
            assertThat(table.get(k + "\u0000")).as("%s plus a NUL", k).isNull();
        }
    }
}
