// Events: every SentinelEvent is logged in Redis's shape
// (`+sdown master mymaster 127.0.0.1 6379`) at its level, published on the
// channel named after it to the sentinel's own pub/sub clients (unless
// debug-level, as Redis), and kept in the history for SENTINEL EVENTS.

import EventLoop
import Node
import SentinelCore

extension SentinelDaemon {
    func record(_ event: SentinelEvent) {
        logger.log(Self.logLevel(event.level), event.logText)
        history.append(RecordedEvent(time: EventLoop.wallClockMilliseconds(), event: event))
        if event.isPublished {
            _ = server.publish(channel: Array(event.name.utf8), message: Array(event.payload.utf8))
        }
    }

    static func logLevel(_ level: SentinelLogLevel) -> LogLevel {
        switch level {
        case .debug: .debug
        case .verbose: .verbose
        case .notice: .notice
        case .warning: .warning
        }
    }
}
