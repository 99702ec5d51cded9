/// A value that becomes known once (the bound ports) and that any number of tasks may
/// await; tests starting the gateway on port 0 use it to learn where to connect.
actor StartupSignal<Value: Sendable> {
    private var value: Value?
    private var waiters: [CheckedContinuation<Value, Never>] = []

    func wait() async -> Value {
        if let value { return value }
        return await withCheckedContinuation { waiters.append($0) }
    }

    func finish(_ value: Value) {
        self.value = value
        let pending = waiters
        waiters.removeAll()
        for waiter in pending { waiter.resume(returning: value) }
    }
}
