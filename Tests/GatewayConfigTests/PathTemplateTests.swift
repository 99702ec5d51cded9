import Testing

@testable import GatewayConfig

@Suite struct PathTemplateTests {
    private func template(_ text: String) throws -> PathTemplate {
        try PathTemplate.parse(text).get()
    }

    @Test func capturesEachParameterRaw() throws {
        let items = try template("/orders/{id}/items/{item}")
        #expect(items.match("/orders/a%20b/items/7") == ["id": "a%20b", "item": "7"])
        #expect(items.match("/orders/é/items/x") == ["id": "é", "item": "x"])
    }

    @Test func needsTheSameNumberOfSegments() throws {
        let order = try template("/orders/{id}")
        #expect(order.match("/orders/1") == ["id": "1"])
        #expect(order.match("/orders/1/") == nil)
        #expect(order.match("/orders/1/items") == nil)
        #expect(order.match("/orders") == nil)
        #expect(order.match("/orders/") == nil)
    }

    @Test func literalsMatchWholeSegmentsExactly() throws {
        let order = try template("/orders/{id}")
        #expect(order.match("/order/1") == nil)
        #expect(order.match("/ordersx/1") == nil)
        #expect(order.match("/Orders/1") == nil)
        #expect(order.match("orders/1") == nil)
    }

    @Test func rootAndTrailingSlashTemplates() throws {
        #expect(try template("/").match("/") == [:])
        #expect(try template("/").match("/x") == nil)
        #expect(try template("/a/{b}/").match("/a/1/") == ["b": "1"])
        #expect(try template("/a/{b}/").match("/a/1") == nil)
    }
}
