import Foundation
import GatewayConfig
import GatewayTesting
import HTTP3
import NIOCore
import RTATokens
import Sodium
import Testing

@testable import Gateway

/// `POST /.well-known/rta/bind` (PROTOCOL.md §4) in-process: the proof must be a
/// signature by the session's PoP key over THIS connection's TLS exporter, and only
/// then does the binding move. The exporter is a closure over fixed bytes, as the QUIC
/// layer would hand the pipeline.
@Suite struct RTAEndpointsTests {
    static let exporterBytes = [UInt8](repeating: 7, count: 32)

    static func enforcement() async throws -> TokenEnforcement {
        let yaml = TestConfig.yaml(
            upstreams: [("echo", "http://127.0.0.1:9", "1s")],
            routes: "  - name: all\n    path: { prefix: / }\n    upstream: echo\n")
            + "tokens:\n  keys: [\(RepositoryPaths.fixtures)/dev-signing-key-1.json, \(RepositoryPaths.fixtures)/dev-signing-key-2.json]\n"
            + TestConfig.permitAllPoliciesYAML
        let config = try GatewayConfig.parse(yaml: yaml, fileName: "/nonexistent/gateway.yaml")
        return try await TokenEnforcementBuilder.enforcement(config, tokens: try #require(config.tokens), audit: nil).0
    }

    /// A session bound to connection 1, and its token.
    static func session(popKey: Ed25519PublicKey?, in enforcement: TokenEnforcement) async throws -> (Session, RTAToken) {
        let now = TokenClock.system.now()
        let session = Session(
            id: .random(), subject: Subject(issuer: "https://idp.example", sub: "alice"), agentID: "agent-7",
            chain: ["alice", "agent-7"], scopes: [], policyEpoch: 0, popKey: popKey, boundConnection: 1, createdAt: now)
        let token = session.issueToken(keyRing: enforcement.validator.keyRing, at: now)
        try await enforcement.sessions.insert(session, token: token)
        return (session, token)
    }

    static func bind(_ form: String, on connection: UInt64, through enforcement: TokenEnforcement) async throws
        -> CollectingResponseWriter
    {
        let proxy = ReverseProxy(upstreams: [], eventLoopGroup: .singletonMultiThreadedEventLoopGroup)
        let pipeline = RequestPipeline(router: Router(routes: []), proxy: proxy, metrics: GatewayMetrics(), enforcement: enforcement)
        let exporter = HTTP3KeyingMaterialExporter { label, length in
            label == "EXPORTER-RTA-binding" && length == 32 ? exporterBytes : nil
        }
        let writer = CollectingResponseWriter()
        await pipeline.handle(
            .init(method: "POST", scheme: "https", authority: "gw", path: "/.well-known/rta/bind",
                  headers: [HTTP3Header("content-type", "application/x-www-form-urlencoded")],
                  body: .init([ByteBuffer(string: form)]),
                  connection: .init(id: connection, remoteAddress: nil, exporter: exporter), streamID: 0),
            response: writer)
        try await proxy.shutdown()
        return writer
    }

    @Test func validProofMovesTheBindingToTheNewConnection() async throws {
        let enforcement = try await Self.enforcement()
        let popKey = try Ed25519PrivateKey.generate()
        let (session, token) = try await Self.session(popKey: popKey.publicKey, in: enforcement)
        let proof = BindingProof.sign(sessionID: session.id, exporter: Self.exporterBytes, popKey: popKey)

        let writer = try await Self.bind("token=\(token.base64url)&proof=\(Base64URL.encode(proof))", on: 2, through: enforcement)

        #expect(writer.recorded.status == 200)
        #expect(writer.bodyString == #"{"bound":true,"session_id":"\#(session.id.hex)"}"#)
        #expect(try await enforcement.sessions.session(session.id)?.boundConnection == 2)
    }

    @Test func proofOverAnotherExporterIsRefusedAndTheBindingStays() async throws {
        let enforcement = try await Self.enforcement()
        let popKey = try Ed25519PrivateKey.generate()
        let (session, token) = try await Self.session(popKey: popKey.publicKey, in: enforcement)
        let proof = BindingProof.sign(sessionID: session.id, exporter: [UInt8](repeating: 8, count: 32), popKey: popKey)

        let writer = try await Self.bind("token=\(token.base64url)&proof=\(Base64URL.encode(proof))", on: 2, through: enforcement)

        #expect(writer.recorded.status == 401)
        #expect(writer.header("www-authenticate") == #"RTA error="binding_mismatch""#)
        #expect(try await enforcement.sessions.session(session.id)?.boundConnection == 1)
    }

    @Test func sessionWithoutPoPKeyCannotBeRebound() async throws {
        let enforcement = try await Self.enforcement()
        let (session, token) = try await Self.session(popKey: nil, in: enforcement)
        let stranger = try Ed25519PrivateKey.generate()
        let proof = BindingProof.sign(sessionID: session.id, exporter: Self.exporterBytes, popKey: stranger)

        let writer = try await Self.bind("token=\(token.base64url)&proof=\(Base64URL.encode(proof))", on: 2, through: enforcement)

        #expect(writer.recorded.status == 401)
        #expect(writer.header("www-authenticate") == #"RTA error="binding_mismatch""#)
        #expect(try await enforcement.sessions.session(session.id)?.boundConnection == 1)
    }

    @Test func missingProofIs400() async throws {
        let enforcement = try await Self.enforcement()
        let (_, token) = try await Self.session(popKey: nil, in: enforcement)

        let writer = try await Self.bind("token=\(token.base64url)", on: 2, through: enforcement)

        #expect(writer.recorded.status == 400)
        #expect(writer.bodyString == #"{"error":"bad_request","message":"missing proof"}"#)
    }
}
