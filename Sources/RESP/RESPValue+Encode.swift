// RESPValue+Encode.swift — turning values back into wire bytes: requests
// (encodeCommand) and any RESPValue (tests, fake servers, sentinels replying).
//
// Invariant: encode(decode(x)) == x for every frame the ValueParser accepts
// that is in canonical form (RESP3 encoding, simple errors without CR/LF).

extension RESPValue {
    /// Appends the RESP encoding of this value to `into`. With
    /// `protocolVersion` 2, RESP3-only types take Redis's RESP2 fallbacks
    /// (null -> "$-1", map -> flat array, double -> bulk text, bool -> 1/0,
    /// attributes dropped).
    public func encode(into out: inout [UInt8], protocolVersion: Int = 3) {
        var buffer = ReplyBuffer(protocolVersion: protocolVersion)
        swap(&buffer.bytes, &out)
        encode(to: &buffer)
        swap(&buffer.bytes, &out)
    }

    /// The RESP encoding of this value.
    public func encoded(protocolVersion: Int = 3) -> Bytes {
        var out = Bytes()
        encode(into: &out, protocolVersion: protocolVersion)
        return out
    }

    /// Appends this value to a reply buffer, in the buffer's protocol version.
    public func encode(to r: inout ReplyBuffer) {
        switch self {
        case .simple(let s):
            r.simple(s)
        case .error(let e):
            if r.isRESP3 && e.utf8.contains(where: { $0 == 13 || $0 == 10 }) {
                // A blob error keeps CR/LF exactly.
                let utf8 = e.utf8
                r.appendPrefixed(UInt8(ascii: "!"), utf8.count)
                r.bytes.append(contentsOf: utf8)
                r.appendCRLF()
            } else {
                r.error(e)
            }
        case .integer(let i):
            r.appendPrefixed(UInt8(ascii: ":"), Int(i))
        case .bulk(let b):
            r.bulk(b)
        case .array(let a):
            r.arrayHeader(a.count)
            for v in a { v.encode(to: &r) }
        case .null:
            r.null()
        case .double(let d):
            r.double(d)
        case .bool(let b):
            r.bool(b)
        case .bigNumber(let s):
            r.bigNumber(s)
        case .verbatim(let format, let text):
            if r.isRESP3 {
                let f = Array(format.utf8.prefix(3))
                r.appendPrefixed(UInt8(ascii: "="), text.count + 4)
                for i in 0..<3 { r.bytes.append(i < f.count ? f[i] : UInt8(ascii: " ")) }
                r.bytes.append(UInt8(ascii: ":"))
                r.bytes.append(contentsOf: text)
                r.appendCRLF()
            } else {
                r.bulk(text)
            }
        case .map(let pairs):
            r.mapHeader(pairs.count)
            for p in pairs {
                p.key.encode(to: &r)
                p.value.encode(to: &r)
            }
        case .set(let a):
            r.setHeader(a.count)
            for v in a { v.encode(to: &r) }
        case .push(let a):
            r.pushHeader(a.count)
            for v in a { v.encode(to: &r) }
        case .attribute(let pairs, let v):
            if r.isRESP3 {
                r.attributeHeader(pairs.count)
                for p in pairs {
                    p.key.encode(to: &r)
                    p.value.encode(to: &r)
                }
            }
            v.encode(to: &r)
        }
    }
}

/// The multibulk request "*N\r\n$len\r\narg\r\n..." for `args` (what clients,
/// replicas and sentinels send, and what a master propagates).
public func encodeCommand(_ args: [Bytes]) -> Bytes {
    var r = ReplyBuffer()
    r.arrayHeader(args.count)
    for a in args { r.bulk(a) }
    return r.bytes
}

/// `encodeCommand` for text arguments.
public func encodeCommand(_ args: [String]) -> Bytes {
    encodeCommand(args.map { Array($0.utf8) })
}
