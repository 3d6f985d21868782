// ValueStream: values come out whole however the bytes arrive.

import Testing
@testable import RESP

@Suite struct ValueStreamTests {
    @Test func valuesComeOutWholeWhateverTheSplit() throws {
        let wire = Array("+OK\r\n*2\r\n$3\r\nabc\r\n:7\r\n-ERR no\r\n".utf8)
        let expected: [RESPValue] = [.simple("OK"), .array([.bulk(Array("abc".utf8)), .integer(7)]), .error("ERR no")]
        for split in 0...wire.count {
            var stream = ValueStream()
            var values: [RESPValue] = []
            for chunk in [wire[..<split], wire[split...]] {
                stream.received.append(contentsOf: chunk)
                while let v = try stream.next() { values.append(v) }
            }
            #expect(values == expected)
            #expect(stream.received.isEmpty)
        }
    }

    @Test func aMalformedFrameThrows() {
        var stream = ValueStream()
        stream.received = Array("?bad\r\n".utf8)
        #expect(throws: ProtocolError.self) { try stream.next() }
    }
}
