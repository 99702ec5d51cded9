import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

/// RFC 8936 poll delivery from one transmitter: POSTs to its poll endpoint, applies
/// every SET it gets through the `SignalProcessor`, and acknowledges them in the next
/// request (`ack` for applied or duplicate SETs, `setErrs` with the RFC 8935 code for
/// refused ones; SETs we could not apply yet are left unacknowledged so the
/// transmitter redelivers them). Acknowledging after applying, not before as RFC 8936
/// §2.4 suggests, is PROTOCOL.md §5's rule: no acknowledgement without the effect.
///
/// `run()` loops until its task is cancelled; failures back off exponentially.
public struct PollReceiver: Sendable {
    public struct Options: Sendable {
        /// `maxEvents` per request.
        public var maxEvents: Int
        /// Long poll (`returnImmediately: false`): the transmitter holds the request
        /// until SETs arrive; otherwise poll every `interval`.
        public var longPoll: Bool
        public var interval: Duration
        /// Per-request timeout; must exceed the transmitter's long-poll hold time.
        public var requestTimeout: Duration
        public var backoff: PollBackoff

        public init(maxEvents: Int = 50, longPoll: Bool = true, interval: Duration = .seconds(5),
                    requestTimeout: Duration = .seconds(60), backoff: PollBackoff = PollBackoff()) {
            self.maxEvents = maxEvents
            self.longPoll = longPoll
            self.interval = interval
            self.requestTimeout = requestTimeout
            self.backoff = backoff
        }
    }

    /// One SET's fate, reported to `onResult` as soon as it is known.
    public enum Result: Sendable {
        case applied(SignalOutcome)
        case failed(jti: String, SignalProcessingError)
    }

    /// Acknowledgements not yet delivered to the transmitter.
    public struct PendingAcknowledgements: Sendable, Equatable {
        public internal(set) var acknowledged: [String] = []
        public internal(set) var errors: [String: SETError] = [:]

        public init() {}

        public var isEmpty: Bool { acknowledged.isEmpty && errors.isEmpty }
    }

    /// What one poll round got back.
    public struct Round: Sendable {
        public let results: [Result]
        public let moreAvailable: Bool
        /// To send with the next request.
        public let pending: PendingAcknowledgements
    }

    public let transmitter: TransmitterConfiguration
    private let pollURL: String
    private let processor: SignalProcessor
    private let httpClient: HTTPClient
    private let options: Options
    private let logger: Logger
    /// Answers whether the result is recorded (the gateway's audit log). One that is
    /// not is neither acknowledged nor reported in `setErrs`, as a push would be
    /// answered 503, so the transmitter delivers the SET again.
    private let onResult: @Sendable (Result) async -> Bool

    public init(
        transmitter: TransmitterConfiguration, processor: SignalProcessor, httpClient: HTTPClient, options: Options = Options(),
        logger: Logger = Logger(label: "rta.signals.poll"), onResult: @escaping @Sendable (Result) async -> Bool
    ) throws(SignalsConfigurationError) {
        guard let pollURL = transmitter.pollURL else {
            throw SignalsConfigurationError(key: "transmitters.poll_url", "transmitter \(transmitter.issuer) has no poll_url")
        }
        self.transmitter = transmitter
        self.pollURL = pollURL
        self.processor = processor
        self.httpClient = httpClient
        self.options = options
        self.logger = logger
        self.onResult = onResult
    }

    /// Polls until cancelled. Acknowledgements not yet sent at cancellation are lost;
    /// the transmitter redelivers those SETs and the replay store absorbs them.
    public func run() async {
        var pending = PendingAcknowledgements()
        var backoff = options.backoff
        while !Task.isCancelled {
            do {
                let round = try await poll(acknowledging: pending, wait: options.longPoll)
                backoff.succeeded()
                pending = round.pending
                if round.moreAvailable || !pending.isEmpty || options.longPoll { continue }
                try await Task.sleep(for: options.interval)
            } catch is CancellationError {
                return
            } catch {
                let delay = backoff.failed()
                logger.warning("poll of \(transmitter.issuer) failed; retrying", metadata: [
                    "error": "\(error)", "delay": "\(delay)", "failures": "\(backoff.failures)",
                ])
                do { try await Task.sleep(for: delay) } catch { return }
            }
        }
    }

    /// One request: delivers `pending`, applies what comes back, and returns the
    /// acknowledgements for the next request. Throws when the transmitter could not
    /// be reached or answered other than 200 with a poll response; `pending` then
    /// still needs sending.
    public func poll(acknowledging pending: PendingAcknowledgements, wait: Bool) async throws -> Round {
        let body = PollRequest(maxEvents: options.maxEvents, returnImmediately: !wait, ack: pending.acknowledged,
                               setErrs: pending.errors.mapValues { PollSETError(err: $0.code.rawValue, description: $0.message) })
        var request = HTTPClientRequest(url: pollURL)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        if !pending.errors.isEmpty { request.headers.add(name: "Content-Language", value: "en") }
        if let authorization = transmitter.pollAuthorization { request.headers.add(name: "Authorization", value: authorization) }
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        let response = try await httpClient.execute(request, timeout: .nanoseconds(options.requestTimeout.nanoseconds))
        let received = try await response.body.collect(upTo: 16 << 20)
        guard response.status == .ok else {
            throw PollFailure(url: pollURL, status: Int(response.status.code))
        }
        let decoded = try JSONDecoder().decode(PollResponse.self, from: Data(received.readableBytesView))
        var next = PendingAcknowledgements()
        var results: [Result] = []
        for (jti, compact) in decoded.sets.sorted(by: { $0.key < $1.key }) {
            let result: Result
            do {
                result = .applied(try await processor.process(compact))
            } catch {
                result = .failed(jti: jti, error)
            }
            results.append(result)
            guard await onResult(result) else { continue }
            switch result {
            case .applied: next.acknowledged.append(jti)
            case .failed(_, .rejected(let reason)): next.errors[jti] = reason
            case .failed: break
            }
        }
        return Round(results: results, moreAvailable: decoded.moreAvailable ?? false, pending: next)
    }

    /// The poll endpoint answered, but not with 200.
    public struct PollFailure: Error, CustomStringConvertible {
        public let url: String
        public let status: Int
        public var description: String { "POST \(url) answered HTTP \(status)" }
    }
}

extension Duration {
    /// Whole nanoseconds, saturating, for APIs that take `Int64` nanoseconds.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? Int64.max : scaled &+ attoseconds / 1_000_000_000
    }
}
