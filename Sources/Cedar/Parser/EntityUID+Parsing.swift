extension EntityUID {
    /// Reads an entity literal in Cedar syntax (`NS::User::"alice"`, escapes allowed), as
    /// written in policies and by the Cedar CLI; nil for anything else.
    public static func parse(_ text: String) -> EntityUID? {
        guard case .success(let expr) = Parser.parseExpression(text), case .literal(.entity(let uid)) = expr.kind else {
            return nil
        }
        return uid
    }
}
