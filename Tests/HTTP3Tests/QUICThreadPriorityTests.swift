import Glibc
import NIOCore
import NIOPosix
import QUICTransport
import Testing

@Suite struct QUICThreadPriorityTests {
    private static func nice(of loop: any EventLoop) async throws -> Int32 {
        try await loop.submit { getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) }.get()
    }

    /// Raising the nice value needs no privilege, so this runs the same as root or not.
    @Test func setsTheNiceValueOfTheLoopThreadOnly() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let other = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        try await QUICThreadPriority.setNice(5, on: group.next())
        #expect(try await Self.nice(of: group.next()) == 5)
        #expect(try await Self.nice(of: other.next()) == 0, "another thread keeps its priority")
        try await group.shutdownGracefully()
        try await other.shutdownGracefully()
    }

    /// Below 0 needs root or CAP_SYS_NICE: with it the value applies, without it the call
    /// throws a `priority` error and the thread is unchanged.
    @Test func aLowerNiceValueAppliesOrFailsWithoutChangingTheThread() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var refused: QUICTransportError?
        do throws(QUICTransportError) {
            try await QUICThreadPriority.setNice(-5, on: group.next())
        } catch {
            refused = error
        }
        if case .priority(let nice, let reason)? = refused {
            #expect(nice == -5 && !reason.isEmpty)
            #expect(try await Self.nice(of: group.next()) == 0)
        } else {
            #expect(refused == nil, "unexpected error \(String(describing: refused))")
            #expect(try await Self.nice(of: group.next()) == -5)
        }
        try await group.shutdownGracefully()
    }

    @Test func aValueOutsideTheKernelRangeIsClamped() async throws {
        // setpriority(2) clamps to -20 … 19; the configuration refuses such values before this.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        try await QUICThreadPriority.setNice(40, on: group.next())
        #expect(try await Self.nice(of: group.next()) == 19)
        try await group.shutdownGracefully()
    }
}
