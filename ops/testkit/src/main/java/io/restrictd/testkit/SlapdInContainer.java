package io.restrictd.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.MountableFile;

/**
 * The container {@link LdapFixture}: {@code ops/bin/slapd-local} run in an image built from
 * {@code io/restrictd/testkit/slapd/Dockerfile} (Debian 12's slapd and ldap-utils, and the script's template,
 * the restrictd schema and {@code ops/ldap/base.ldif}), so the directory is the one the native {@link Slapd}
 * gives: mdb, syncprov, the same schema and seed entries, root DN {@code cn=admin,dc=example,dc=org}. The
 * image is built once per JVM (Docker caches its layers). Plain LDAP only; TLS stays native.
 */
final class SlapdInContainer extends ContainerFixture implements LdapFixture {
    private static final int LDAP_PORT = 389;
    private static final String SEED = "/restrictd/seed.ldif";
    private static ImageFromDockerfile image;

    private final Path bulkLdif;
    private volatile String url;

    /** @param bulkLdif loaded with slapadd before the first start, or null */
    SlapdInContainer(Path bulkLdif) {
        if (bulkLdif != null && !Files.isReadable(bulkLdif)) {
            throw new IllegalArgumentException("cannot read " + bulkLdif);
        }
        this.bulkLdif = bulkLdif == null ? null : bulkLdif.toAbsolutePath();
    }

    @Override
    public String url() {
        container();
        return url;
    }

    @Override
    public String rootDn() {
        return "cn=admin,dc=example,dc=org";
    }

    @Override
    protected GenericContainer<?> create() {
        GenericContainer<?> c = new GenericContainer<>(image())
                .withExposedPorts(LDAP_PORT)
                .withEnv("SLAPD_ROOTPW", rootPassword())
                // slapd-local prints the URL once slapd answers as the root DN, after loading the data.
                .waitingFor(Wait.forLogMessage("(?s).*ldap://127\\.0\\.0\\.1:" + LDAP_PORT + "\\b.*", 1)
                        .withStartupTimeout(Duration.ofMinutes(2)));
        if (bulkLdif != null) {
            c.withCopyFileToContainer(MountableFile.forHostPath(bulkLdif), SEED).withCommand("--ldif", SEED);
        }
        return c;
    }

    @Override
    protected void started(GenericContainer<?> c) {
        url = "ldap://" + c.getHost() + ":" + c.getMappedPort(LDAP_PORT);
    }

    private static synchronized ImageFromDockerfile image() {
        if (image == null) {
            Path root = Repository.root();
            ImageFromDockerfile built = new ImageFromDockerfile("restrictd-testkit/slapd-local:latest", false)
                    .withFileFromClasspath("Dockerfile", "io/restrictd/testkit/slapd/Dockerfile");
            for (String file : new String[] {"ops/bin/slapd-local", "ops/ldap/slapd.conf.template",
                    "ops/ldap/base.ldif", "schemas/src/main/resources/ldap/restrictd.schema"}) {
                built.withFileFromPath(file, root.resolve(file));
            }
            image = built;
        }
        return image;
    }
}
