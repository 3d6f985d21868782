// Monitor: MONITOR streams every command the server runs, in Redis's line shape:
//   +1339518083.107412 [0 127.0.0.1:60866] "set" "k" "v"
// Arguments are quoted and escaped like Redis's sdscatrepr.

import RESP
import EventLoop

extension Server {
    func feedMonitors(_ source: Client, args: [Bytes], now: Int64) {
        let micros = EventLoop.wallClockMicroseconds()
        var line: [UInt8] = Array("+\(micros / 1_000_000).\(sixDigits(micros % 1_000_000)) [\(source.databaseIndex) \(source.address)]".utf8)
        for arg in args {
            line.append(0x20)
            appendQuoted(arg, to: &line)
        }
        line.append(contentsOf: [13, 10])
        for id in monitors where id != source.id {
            guard let monitor = clients[id] else { continue }
            monitor.reply.raw(line)
            scheduleFlush(monitor)
            enforceOutputLimits(monitor)
        }
    }

    private func sixDigits(_ v: Int64) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, 6 - s.count)) + s
    }
}

/// Appends `bytes` double-quoted with C-style escapes (Redis's sdscatrepr).
func appendQuoted(_ bytes: Bytes, to out: inout [UInt8]) {
    let hex = Array("0123456789abcdef".utf8)
    out.append(0x22)
    for c in bytes {
        switch c {
        case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
        case 0x22: out.append(contentsOf: [0x5C, 0x22])
        case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
        case 0x0D: out.append(contentsOf: [0x5C, 0x72])
        case 0x09: out.append(contentsOf: [0x5C, 0x74])
        case 0x07: out.append(contentsOf: [0x5C, 0x61])
        case 0x08: out.append(contentsOf: [0x5C, 0x62])
        case 0x20...0x7E: out.append(c)
        default: out.append(contentsOf: [0x5C, 0x78, hex[Int(c >> 4)], hex[Int(c & 15)]])
        }
    }
    out.append(0x22)
}
