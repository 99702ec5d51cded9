import CNghttp3

/// The nghttp3 callback table. Entries are C function pointers that recover the
/// `HTTP3Connection` from `conn_user_data` (an unretained pointer; see HTTP3Connection).
enum HTTP3Callbacks {
    static func connection(_ userData: UnsafeMutableRawPointer?) -> HTTP3Connection {
        Unmanaged<HTTP3Connection>.fromOpaque(userData!).takeUnretainedValue()
    }

    static func string(_ buffer: OpaquePointer?) -> String {
        let vec = nghttp3_rcbuf_get_buf(buffer)
        return String(decoding: UnsafeRawBufferPointer(start: vec.base, count: vec.len), as: UTF8.self)
    }

    static let readData: nghttp3_read_data_callback = { _, streamID, vectors, capacity, flags, userData, _ in
        guard let vectors, let flags else { return nghttp3_ssize(NGHTTP3_ERR_CALLBACK_FAILURE) }
        return nghttp3_ssize(HTTP3Callbacks.connection(userData).readResponseData(
            streamID: streamID, vectors: vectors, capacity: capacity, flags: flags))
    }

    static func make() -> nghttp3_callbacks {
        var callbacks = nghttp3_callbacks()
        callbacks.acked_stream_data = { _, streamID, length, userData, _ in
            HTTP3Callbacks.connection(userData).acknowledged(streamID: streamID, bytes: Int(length))
            return 0
        }
        callbacks.stream_close = { _, streamID, _, userData, _ in
            HTTP3Callbacks.connection(userData).httpStreamClosed(streamID: streamID)
            return 0
        }
        callbacks.recv_data = { _, streamID, data, length, userData, _ in
            HTTP3Callbacks.connection(userData).receivedBody(
                streamID: streamID, data: UnsafeRawBufferPointer(start: data, count: length))
            return 0
        }
        callbacks.deferred_consume = { _, streamID, consumed, userData, _ in
            HTTP3Callbacks.connection(userData).consumed(streamID: streamID, bytes: consumed)
            return 0
        }
        callbacks.begin_headers = { _, streamID, userData, _ in
            HTTP3Callbacks.connection(userData).beginHeaders(streamID: streamID)
            return 0
        }
        callbacks.recv_header = { _, streamID, _, name, value, _, userData, _ in
            HTTP3Callbacks.connection(userData).header(
                streamID: streamID, name: HTTP3Callbacks.string(name), value: HTTP3Callbacks.string(value))
            return 0
        }
        callbacks.end_headers = { _, streamID, fin, userData, _ in
            HTTP3Callbacks.connection(userData).endHeaders(streamID: streamID, fin: fin != 0)
            return 0
        }
        // Request trailers are accepted and ignored: nothing downstream consumes them.
        callbacks.end_stream = { _, streamID, userData, _ in
            HTTP3Callbacks.connection(userData).endStream(streamID: streamID)
            return 0
        }
        callbacks.stop_sending = { _, streamID, code, userData, _ in
            HTTP3Callbacks.connection(userData).stopSending(streamID: streamID, code: code)
            return 0
        }
        callbacks.reset_stream = { _, streamID, code, userData, _ in
            HTTP3Callbacks.connection(userData).resetStream(streamID: streamID, code: code)
            return 0
        }
        return callbacks
    }
}
