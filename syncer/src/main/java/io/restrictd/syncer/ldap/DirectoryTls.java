package io.restrictd.syncer.ldap;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.util.ssl.JVMDefaultTrustManager;
import com.unboundid.util.ssl.SSLUtil;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS side of {@link Directory}: which certificates to trust, sockets that check the server's name, and
 * telling a refused certificate (fatal: the operator must act) from a network error (retry).
 *
 * <p>The server's name is checked by the JDK during the handshake (endpoint identification {@code LDAPS},
 * RFC 2830 rules): an IP address in the URL must be an IP subject alternative name of the certificate, a host
 * name a DNS one. UnboundID's {@code HostNameSSLSocketVerifier} is not used: it accepts any certificate when
 * the URL names a loopback address. Thread-safe; immutable.
 */
final class DirectoryTls {
    /** The JDK's wording when the name check fails (sun.security.util.HostnameChecker). */
    private static final Pattern NAME_MISMATCH = Pattern.compile(
            "(?i)no (subject alternative (dns |ip )?names?|name) matching");

    private final SSLUtil ssl;
    private final String trustName;

    private DirectoryTls(SSLUtil ssl, String trustName) {
        this.ssl = ssl;
        this.trustName = trustName;
    }

    /**
     * Reads {@code ldap.trustStore} now, so that a wrong path, password or format fails at start naming the
     * setting; without one, the JVM's default trust.
     *
     * @throws IllegalArgumentException naming ldap.trustStore or ldap.trustStorePassword
     */
    static DirectoryTls of(LdapSettings settings) {
        if (settings.trustStore() == null) {
            return new DirectoryTls(new SSLUtil(JVMDefaultTrustManager.getInstance()), "the JVM's default trust store");
        }
        String where = "ldap.trustStore: " + settings.trustStore();
        char[] password = settings.trustStorePassword() == null ? null : settings.trustStorePassword().toCharArray();
        KeyStore store;
        try (InputStream in = Files.newInputStream(settings.trustStore())) {
            // PKCS12 by default; the JDK's keystore.type.compat lets the same instance read JKS.
            store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(in, password);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(where + " does not exist");
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(where + " cannot be read as a PKCS12 or JKS trust store ("
                    + e.getMessage() + "); check the file and ldap.trustStorePassword");
        }
        try {
            if (!hasCertificate(store)) {
                // A PKCS12 file read without its password shows no certificates.
                throw new IllegalArgumentException(where + " holds no trusted certificate"
                        + (password == null ? " readable without a password: set ldap.trustStorePassword" : ""));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return new DirectoryTls(new SSLUtil(x509), settings.trustStore().toString());
                }
            }
            throw new IllegalArgumentException(where + ": the JVM made no X.509 trust manager from it");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(where + " cannot be used: " + e.getMessage());
        }
    }

    private static boolean hasCertificate(KeyStore store) throws GeneralSecurityException {
        for (var aliases = store.aliases(); aliases.hasMoreElements(); ) {
            if (store.getCertificate(aliases.nextElement()) != null) {
                return true;
            }
        }
        return false;
    }

    /** A socket factory for ldaps:// and StartTLS whose sockets check the server's name in the handshake. */
    SSLSocketFactory socketFactory() throws GeneralSecurityException {
        // The JDK's factory, not SSLUtil.createSSLSocketFactory(): that one hands out unconnected sockets as a
        // plain Socket wrapper, which takes no SSLParameters. The JDK's protocol defaults (TLS 1.2 and 1.3 on
        // Java 17) apply.
        return new NameCheckingFactory(ssl.createSSLContext().getSocketFactory());
    }

    /** What the trust comes from, for messages. */
    String trustName() {
        return trustName;
    }

    /**
     * Throws an {@link LdapFatalException} if {@code e} is a handshake that failed on the server's certificate:
     * the operator must fix the trust store or the URL. Otherwise returns {@code e}, to be classified as usual
     * (a reset, a timeout: retry).
     */
    LDAPException certificateFailureOr(LDAPURL url, LDAPException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException) {
                String detail = t.getMessage();
                if (detail != null && NAME_MISMATCH.matcher(detail).find()) {
                    throw new LdapFatalException("connecting to " + url + ": TLS: the server's certificate does not "
                            + "name the host '" + url.getHost() + "' (" + detail + "); use a host name in ldap.urls "
                            + "that the certificate names", e);
                }
                throw new LdapFatalException("connecting to " + url + ": TLS: the server's certificate is not trusted ("
                        + detail + "); ldap.trustStore (" + trustName + ") must hold the certificate of the CA that "
                        + "signed it", e);
            }
        }
        return e;
    }

    /** Delegates, and turns on the JDK's LDAPS endpoint identification on every socket before its handshake. */
    private static final class NameCheckingFactory extends SSLSocketFactory {
        private final SSLSocketFactory delegate;

        NameCheckingFactory(SSLSocketFactory delegate) {
            this.delegate = delegate;
        }

        private static Socket checked(Socket socket) {
            if (socket instanceof SSLSocket ssl) {
                SSLParameters parameters = ssl.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("LDAPS");
                ssl.setSSLParameters(parameters);
            }
            return socket;
        }

        @Override
        public Socket createSocket() throws IOException {
            return checked(delegate.createSocket());
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return checked(delegate.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return checked(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return checked(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return checked(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return checked(delegate.createSocket(address, port, localAddress, localPort));
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }
    }
}
