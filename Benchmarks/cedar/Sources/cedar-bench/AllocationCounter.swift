import Foundation
import MallocInterposerSwift

/// Counts `malloc` calls through ordo-one's malloc-interposer. Linking its shared library
/// puts its `malloc` ahead of libc's in symbol lookup; a probe allocation checks that it
/// really intercepts, and if it does not the count is reported as unavailable, not zero.
enum AllocationCounter {
    static func perCall(_ calls: Int, _ body: () -> Void) -> Double? {
        MallocInterposerSwift.initialize()
        MallocInterposerSwift.hook()
        let probe = malloc(24)
        body()
        MallocInterposerSwift.unhook()
        free(probe)
        let count = MallocInterposerSwift.getStatistics().mallocCount
        guard count > 0 else { return nil }
        return Double(count - 1) / Double(calls)
    }
}
