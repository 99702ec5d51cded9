extension Pattern {
    /// Whether `text` matches this `like` pattern, comparing Unicode scalars; `*` matches
    /// any run of scalars. Greedy two-pointer matching with backtracking to the last
    /// wildcard: linear in practice and no allocation.
    func matches(_ text: String) -> Bool {
        let scalars = text.unicodeScalars
        var t = scalars.startIndex
        var p = 0
        var starP = -1
        var starT = scalars.startIndex
        while t != scalars.endIndex {
            if p < elements.count, case .char(let c) = elements[p], c == scalars[t] {
                p += 1
                t = scalars.index(after: t)
            } else if p < elements.count, elements[p] == .wildcard {
                starP = p
                starT = t
                p += 1
            } else if starP >= 0 {
                p = starP + 1
                starT = scalars.index(after: starT)
                t = starT
            } else {
                return false
            }
        }
        while p < elements.count, elements[p] == .wildcard { p += 1 }
        return p == elements.count
    }
}
