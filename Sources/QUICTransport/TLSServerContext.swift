import CNgtcp2
#if canImport(Glibc)
import Glibc
#endif

/// The server's certificate credentials, loaded once and shared by every connection's
/// GnuTLS session. GnuTLS is the TLS backend because Debian 12's OpenSSL 3.0 has no
/// QUIC API; ngtcp2_crypto_gnutls bridges it to ngtcp2.
public final class TLSServerContext: @unchecked Sendable {
    // Immutable after init; GnuTLS credentials are safe to share read-only across sessions.
    let credentials: gnutls_certificate_credentials_t
    let sessionTicketKey: UnsafeMutablePointer<gnutls_datum_t>

    public init(certificatePath: String, privateKeyPath: String) throws(QUICTransportError) {
        var credentials: gnutls_certificate_credentials_t?
        var rv = gnutls_certificate_allocate_credentials(&credentials)
        guard rv == 0, let credentials else {
            throw QUICTransportError.tls("cannot allocate certificate credentials: \(Self.describe(rv))")
        }
        rv = gnutls_certificate_set_x509_key_file(credentials, certificatePath, privateKeyPath, GNUTLS_X509_FMT_PEM)
        guard rv == 0 else {
            gnutls_certificate_free_credentials(credentials)
            throw QUICTransportError.tls(
                "cannot load certificate \(certificatePath) with key \(privateKeyPath): \(Self.describe(rv))")
        }
        let key = UnsafeMutablePointer<gnutls_datum_t>.allocate(capacity: 1)
        key.initialize(to: gnutls_datum_t())
        rv = gnutls_session_ticket_key_generate(key)
        guard rv == 0 else {
            gnutls_certificate_free_credentials(credentials)
            key.deallocate()
            throw QUICTransportError.tls("cannot generate session ticket key: \(Self.describe(rv))")
        }
        self.credentials = credentials
        self.sessionTicketKey = key
    }

    deinit {
        // gnutls_malloc is malloc unless an application overrides it; this one does not.
        free(sessionTicketKey.pointee.data)
        sessionTicketKey.deallocate()
        gnutls_certificate_free_credentials(credentials)
    }

    /// A configured server session for one QUIC connection, offering ALPN `h3` only.
    func makeSession(connectionReference: UnsafeMutableRawPointer) throws(QUICTransportError) -> gnutls_session_t {
        var session: gnutls_session_t?
        let flags = UInt32(GNUTLS_SERVER.rawValue) | UInt32(GNUTLS_ENABLE_EARLY_DATA.rawValue) | UInt32(GNUTLS_NO_AUTO_SEND_TICKET.rawValue)
            | UInt32(GNUTLS_NO_END_OF_EARLY_DATA.rawValue)
        var rv = gnutls_init(&session, flags)
        guard rv == 0, let session else { throw .tls("gnutls_init: \(Self.describe(rv))") }
        let priority = "%DISABLE_TLS13_COMPAT_MODE:NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-128-GCM:"
            + "+AES-256-GCM:+CHACHA20-POLY1305:+AES-128-CCM:-GROUP-ALL:+GROUP-X25519:+GROUP-SECP256R1:"
            + "+GROUP-SECP384R1:+GROUP-SECP521R1"
        rv = gnutls_priority_set_direct(session, priority, nil)
        guard rv == 0 else { gnutls_deinit(session); throw .tls("gnutls_priority_set_direct: \(Self.describe(rv))") }
        rv = gnutls_session_ticket_enable_server(session, sessionTicketKey)
        guard rv == 0 else { gnutls_deinit(session); throw .tls("session tickets: \(Self.describe(rv))") }
        guard ngtcp2_crypto_gnutls_configure_server_session(session) == 0 else {
            gnutls_deinit(session)
            throw .tls("ngtcp2_crypto_gnutls_configure_server_session failed")
        }
        gnutls_session_set_ptr(session, connectionReference)
        rv = gnutls_credentials_set(session, GNUTLS_CRD_CERTIFICATE, UnsafeMutableRawPointer(credentials))
        guard rv == 0 else { gnutls_deinit(session); throw .tls("gnutls_credentials_set: \(Self.describe(rv))") }
        var alpn: [UInt8] = Array("h3".utf8)
        rv = alpn.withUnsafeMutableBufferPointer { buffer in
            var datum = gnutls_datum_t(data: buffer.baseAddress, size: UInt32(buffer.count))
            return gnutls_alpn_set_protocols(
                session, &datum, 1, UInt32(GNUTLS_ALPN_MANDATORY.rawValue | GNUTLS_ALPN_SERVER_PRECEDENCE.rawValue))
        }
        guard rv == 0 else { gnutls_deinit(session); throw .tls("ALPN: \(Self.describe(rv))") }
        return session
    }

    static func describe(_ code: Int32) -> String {
        guard let text = gnutls_strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}
