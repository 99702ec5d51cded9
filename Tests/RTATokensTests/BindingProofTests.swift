import RTATokens
import Sodium
import Testing

@Test func proofVerifiesForItsSessionAndExporterOnly() throws {
    let pop = try Ed25519PrivateKey.generate()
    let session = makeSession(popKey: pop.publicKey)
    let exporter = SecureRandom.bytes(count: 32)
    let proof = BindingProof.sign(sessionID: session.id, exporter: exporter, popKey: pop)
    #expect(BindingProof.message(sessionID: session.id, exporter: exporter).count == 59)
    #expect(BindingProof.verify(proof: proof, session: session, exporter: exporter) == .passed)

    let otherConnection = SecureRandom.bytes(count: 32)
    let otherSession = makeSession(popKey: pop.publicKey)
    let wrongKeyProof = BindingProof.sign(sessionID: session.id, exporter: exporter, popKey: try .generate())
    for (result, code) in [
        (BindingProof.verify(proof: proof, session: session, exporter: otherConnection), TokenError.Code.badProof),
        (BindingProof.verify(proof: proof, session: otherSession, exporter: exporter), .badProof),
        (BindingProof.verify(proof: wrongKeyProof, session: session, exporter: exporter), .badProof),
        (BindingProof.verify(proof: proof, session: session, exporter: Array(exporter.prefix(31))), .badExporter),
        (BindingProof.verify(proof: proof, session: makeSession(id: session.id), exporter: exporter), .noPoPKey),
    ] {
        guard case .failed(let error) = result else {
            Issue.record("expected \(code)")
            continue
        }
        #expect(error.code == code)
        #expect(error.wireCode == .bindingMismatch)
    }
}

@Test func proofMessageLayoutIsLabelThenSessionThenExporter() throws {
    let session = makeSession()
    let exporter = [UInt8](repeating: 0xee, count: 32)
    let message = BindingProof.message(sessionID: session.id, exporter: exporter)
    #expect(Array(message[0..<11]) == Array("RTA-BIND-v1".utf8))
    #expect(Array(message[11..<27]) == session.id.bytes)
    #expect(Array(message[27...]) == exporter)
}
