package io.restrictd.syncer.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPResult;
import com.unboundid.ldap.sdk.ResultCode;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * What an operator reads when the directory cannot be used. Connect errors (91) carry no diagnostic
 * message: the cause underneath must show, or every failure reads the same. The nesting is UnboundID's
 * (an LDAPException, wrapping an IOException, wrapping an LDAPException, wrapping the real cause).
 */
class DirectoryClassifyTest {

    private static LDAPException connectError(Throwable root) {
        LDAPException inner = new LDAPException(ResultCode.CONNECT_ERROR, "An error occurred while attempting to "
                + "establish a connection", root);
        return new LDAPException(ResultCode.CONNECT_ERROR, "An error occurred while attempting to connect",
                new IOException(inner.toString(), inner));
    }

    @Test
    void shouldNameWhatWentWrongUnderAConnectError() {
        RuntimeException r = Directory.classify("connecting to ldap://127.0.0.1:1",
                connectError(new ConnectException("Connection refused")));
        assertThat(r).isInstanceOf(LdapUnavailableException.class)
                .hasMessage("connecting to ldap://127.0.0.1:1: 91 (connect error) (ConnectException: Connection refused)");
    }

    @Test
    void shouldSuggestTheTlsPortWhenAHandshakeFails() {
        SSLHandshakeException handshake = new SSLHandshakeException("Remote host terminated the handshake");
        handshake.initCause(new EOFException("SSL peer shut down incorrectly"));
        RuntimeException r = Directory.classify("connecting to ldaps://127.0.0.1:389", connectError(handshake));
        assertThat(r).as("retried: a server restarting looks the same").isInstanceOf(LdapUnavailableException.class);
        assertThat(r.getMessage()).startsWith("connecting to ldaps://127.0.0.1:389: 91 (connect error) "
                + "(SSLHandshakeException: Remote host terminated the handshake); is this the server's TLS port?");
    }

    @Test
    void shouldKeepTheServersDiagnosticAndHintForFatalErrors() {
        RuntimeException r = Directory.classify("binding as cn=admin",
                new LDAPException(new LDAPResult(1, ResultCode.INVALID_CREDENTIALS, "bad password", null, (String[]) null, null)));
        assertThat(r).isInstanceOf(LdapFatalException.class)
                .hasMessage("binding as cn=admin: 49 (invalid credentials) (bad password); "
                        + "check ldap.bindDn and ldap.bindPassword/ldap.bindPasswordFile");
    }

    @Test
    void shouldSayNothingMoreWhenThereIsNothingUnderneath() {
        RuntimeException r = Directory.classify("searching", new LDAPException(ResultCode.SERVER_DOWN));
        assertThat(r).isInstanceOf(LdapUnavailableException.class).hasMessage("searching: 81 (server down)");
    }
}
