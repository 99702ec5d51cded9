"""TLS 1.3 exporter (RFC 8446 section 7.5) for aioquic client connections.

Why: PROTOCOL.md section 4 binds a session to a connection with
TLS-Exporter("EXPORTER-RTA-binding", "", 32). The gateway gets it from GnuTLS
(gnutls_prf_rfc5705); aioquic has no exporter API. Computing it here, from
aioquic's own key schedule, gives an implementation independent of GnuTLS, so a
successful re-bind proves both sides derive the same bytes.

How: exporter_master_secret = Derive-Secret(Master Secret, "exp master",
ClientHello..server Finished). aioquic's client derives "c ap traffic" from
exactly that transcript state (after the server Finished, before its own
Finished), so `install()` wraps KeySchedule.derive_secret to derive
"exp master" at that moment and keep it on the schedule. Then

  TLS-Exporter(label, context, L) =
      HKDF-Expand-Label(Derive-Secret(exporter_master_secret, label, ""),
                        "exporter", Hash(context), L)

where Derive-Secret(S, label, "") = HKDF-Expand-Label(S, label, Hash(""), Hash.length).
"""

from __future__ import annotations

from aioquic import tls
from cryptography.hazmat.primitives import hashes

_CLIENT_APPLICATION_SECRET = b"c ap traffic"
_EXPORTER_MASTER = b"exp master"
_installed = False


def install() -> None:
    """Hooks aioquic's key schedule (idempotent); call before connecting."""
    global _installed
    if _installed:
        return
    original = tls.KeySchedule.derive_secret

    def derive_secret(self: tls.KeySchedule, label: bytes) -> bytes:
        secret = original(self, label)
        if label == _CLIENT_APPLICATION_SECRET and not hasattr(self, "exporter_master_secret"):
            self.exporter_master_secret = original(self, _EXPORTER_MASTER)
        return secret

    tls.KeySchedule.derive_secret = derive_secret
    _installed = True


def _digest(algorithm: hashes.HashAlgorithm, data: bytes) -> bytes:
    h = hashes.Hash(algorithm)
    h.update(data)
    return h.finalize()


def export(quic, label: str, context: bytes = b"", length: int = 32) -> bytes:
    """TLS-Exporter(label, context, length) of an established aioquic QuicConnection."""
    schedule = quic.tls.key_schedule
    master = getattr(schedule, "exporter_master_secret", None)
    if master is None:
        raise RuntimeError("no exporter master secret: call tls_exporter.install() before the handshake")
    algorithm = schedule.algorithm
    secret = tls.hkdf_expand_label(algorithm, master, label.encode(), _digest(algorithm, b""), algorithm.digest_size)
    return tls.hkdf_expand_label(algorithm, secret, b"exporter", _digest(algorithm, context), length)
