import Foundation
import GatewayConfig
import Testing

@testable import GatewayPolicy

/// Real files, real timers, a real signal. Serialized: SIGHUP goes to the whole test
/// process, so only one watcher at a time may be listening for it.
@Suite(.serialized) struct PolicyWatcherTests {
    /// Waits (polling, up to `seconds`) for the store to reach `epoch`.
    private func waitFor(_ store: PolicyStore, epoch: UInt64, seconds: Double = 5) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if store.epoch >= epoch { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return store.epoch >= epoch
    }

    @Test func changedFileIsReloaded() async throws {
        let folder = try PolicyFolder()
        defer { folder.remove() }
        try folder.write("a.cedar", "permit (principal, action, resource);\n")
        let store = PolicyStore(configuration: folder.configuration())
        try store.reload()
        let watcher = PolicyWatcher(store: store, interval: .milliseconds(50))
        watcher.start()
        defer { watcher.cancel() }
        try await Task.sleep(for: .milliseconds(120))
        #expect(store.epoch == 1)
        try folder.write("a.cedar", "@id(\"changed\")\nforbid (principal, action, resource);\n")
        #expect(try await waitFor(store, epoch: 2))
        #expect(store.snapshot?.policies.policies.map(\.id.rawValue) == ["changed"])
        try folder.write("b.cedar", "permit (principal, action, resource);\n")
        #expect(try await waitFor(store, epoch: 3))
        #expect(store.snapshot?.policies.policies.count == 2)
    }

    @Test func brokenEditKeepsServingAndIsNotRetriedUntilTheNextChange() async throws {
        let folder = try PolicyFolder()
        defer { folder.remove() }
        try folder.write("a.cedar", "permit (principal, action, resource);\n")
        let store = PolicyStore(configuration: folder.configuration())
        try store.reload()
        let watcher = PolicyWatcher(store: store, interval: .milliseconds(50))
        watcher.start()
        defer { watcher.cancel() }
        try await Task.sleep(for: .milliseconds(120))
        try folder.write("a.cedar", "permit (principal, action, resource\n")
        try await Task.sleep(for: .milliseconds(300))
        #expect(store.epoch == 1)
        #expect(store.snapshot?.policies.policies.count == 1)
        try folder.write("a.cedar", "permit (principal, action, resource);\nforbid (principal, action, resource);\n")
        #expect(try await waitFor(store, epoch: 2))
    }

    @Test func sighupReloads() async throws {
        let folder = try PolicyFolder()
        defer { folder.remove() }
        try folder.write("a.cedar", "permit (principal, action, resource);\n")
        let store = PolicyStore(configuration: folder.configuration())
        try store.reload()
        // Polling off: only the signal can cause the reload.
        let watcher = PolicyWatcher(store: store, interval: .seconds(3600), poll: false)
        watcher.start()
        var disposition = sigaction()
        #expect(sigaction(SIGHUP, nil, &disposition) == 0)
        // Anything but SIG_DFL (nil): ignored, or libdispatch's forwarding handler.
        #expect(disposition.__sigaction_handler.sa_handler != nil)
        defer { watcher.cancel() }
        kill(getpid(), SIGHUP)
        #expect(try await waitFor(store, epoch: 2))
        watcher.cancel()
        kill(getpid(), SIGHUP)
        try await Task.sleep(for: .milliseconds(200))
        #expect(store.epoch == 2)
    }
}
