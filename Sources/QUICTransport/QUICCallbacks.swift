import CNgtcp2

/// The ngtcp2 callback table. Each entry is a C function pointer that cannot capture
/// state, so it recovers its `QUICConnection` from `user_data`, which holds an unretained
/// pointer set in `QUICConnection.init`; the endpoint's connection table keeps the
/// connection alive for as long as ngtcp2 can call back.
enum QUICCallbacks {
    static func connection(_ userData: UnsafeMutableRawPointer?) -> QUICConnection {
        Unmanaged<QUICConnection>.fromOpaque(userData!).takeUnretainedValue()
    }

    static func fail(_ error: QUICApplicationError, _ connection: QUICConnection) -> Int32 {
        connection.recordApplicationError(error)
        return NGTCP2_ERR_CALLBACK_FAILURE
    }

    static func make() -> ngtcp2_callbacks {
        var callbacks = ngtcp2_callbacks()
        callbacks.recv_client_initial = ngtcp2_crypto_recv_client_initial_cb
        callbacks.recv_crypto_data = ngtcp2_crypto_recv_crypto_data_cb
        callbacks.encrypt = ngtcp2_crypto_encrypt_cb
        callbacks.decrypt = ngtcp2_crypto_decrypt_cb
        callbacks.hp_mask = ngtcp2_crypto_hp_mask_cb
        callbacks.update_key = ngtcp2_crypto_update_key_cb
        callbacks.delete_crypto_aead_ctx = ngtcp2_crypto_delete_crypto_aead_ctx_cb
        callbacks.delete_crypto_cipher_ctx = ngtcp2_crypto_delete_crypto_cipher_ctx_cb
        callbacks.get_path_challenge_data = ngtcp2_crypto_get_path_challenge_data_cb
        callbacks.version_negotiation = ngtcp2_crypto_version_negotiation_cb

        callbacks.handshake_completed = { _, userData in
            let connection = QUICCallbacks.connection(userData)
            do throws(QUICApplicationError) {
                try connection.handleHandshakeCompleted()
                return 0
            } catch {
                return QUICCallbacks.fail(error, connection)
            }
        }
        callbacks.recv_stream_data = { _, flags, streamID, _, data, length, userData, _ in
            let connection = QUICCallbacks.connection(userData)
            let buffer = UnsafeRawBufferPointer(start: data, count: length)
            let fin = flags & UInt32(NGTCP2_STREAM_DATA_FLAG_FIN) != 0
            do throws(QUICApplicationError) {
                try connection.handleStreamData(streamID: streamID, data: buffer, fin: fin)
                return 0
            } catch {
                return QUICCallbacks.fail(error, connection)
            }
        }
        callbacks.acked_stream_data_offset = { _, streamID, _, length, userData, _ in
            let connection = QUICCallbacks.connection(userData)
            do throws(QUICApplicationError) {
                try connection.application?.ackedStreamData(streamID: streamID, length: length)
                return 0
            } catch {
                return QUICCallbacks.fail(error, connection)
            }
        }
        callbacks.stream_close = { _, flags, streamID, code, userData, _ in
            let connection = QUICCallbacks.connection(userData)
            let hasCode = flags & UInt32(NGTCP2_STREAM_CLOSE_FLAG_APP_ERROR_CODE_SET) != 0
            do throws(QUICApplicationError) {
                try connection.handleStreamClose(streamID: streamID, appErrorCode: hasCode ? code : nil)
                return 0
            } catch {
                return QUICCallbacks.fail(error, connection)
            }
        }
        callbacks.stream_reset = { _, streamID, _, _, userData, _ in
            let connection = QUICCallbacks.connection(userData)
            do throws(QUICApplicationError) {
                try connection.application?.peerResetStream(streamID: streamID)
                return 0
            } catch {
                return QUICCallbacks.fail(error, connection)
            }
        }
        callbacks.stream_stop_sending = { _, streamID, _, userData, _ in
            let connection = QUICCallbacks.connection(userData)
            do throws(QUICApplicationError) {
                try connection.application?.peerStoppedSending(streamID: streamID)
                return 0
            } catch {
                return QUICCallbacks.fail(error, connection)
            }
        }
        callbacks.extend_max_remote_streams_bidi = { _, maxStreams, userData in
            QUICCallbacks.connection(userData).application?.remoteBidiStreamLimitRaised(to: maxStreams)
            return 0
        }
        callbacks.extend_max_stream_data = { _, streamID, _, userData, _ in
            let connection = QUICCallbacks.connection(userData)
            do throws(QUICApplicationError) {
                try connection.application?.streamUnblocked(streamID: streamID)
                return 0
            } catch {
                return QUICCallbacks.fail(error, connection)
            }
        }
        callbacks.path_validation = { _, _, path, result, userData in
            guard let path else { return 0 }
            QUICCallbacks.connection(userData).pathValidated(path, result: result)
            return 0
        }
        callbacks.rand = { destination, length, _ in
            guard let destination else { return }
            SecureRandom.fill(destination, count: length)
        }
        callbacks.get_new_connection_id = { _, cid, token, length, userData in
            guard let cid, let token else { return NGTCP2_ERR_CALLBACK_FAILURE }
            return QUICCallbacks.connection(userData).issueConnectionID(cid, resetToken: token, length: length) ? 0 : NGTCP2_ERR_CALLBACK_FAILURE
        }
        callbacks.remove_connection_id = { _, cid, userData in
            guard let cid else { return 0 }
            QUICCallbacks.connection(userData).retireConnectionID(cid.pointee)
            return 0
        }
        return callbacks
    }
}
