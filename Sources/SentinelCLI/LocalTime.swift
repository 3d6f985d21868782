// LocalTime.swift — "2026-11-25 00:44:13.626" for a Unix time in ms, in a
// given time zone (the local one when rendering for a person, a fixed one in
// tests).
//
// Invariant: pure formatting; the time zone is an input.

import Foundation

/// Formats `unixMs` as "yyyy-MM-dd HH:mm:ss.SSS" in `timeZone`.
func formatLocalTime(unixMs: Int64, timeZone: TimeZone) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    let seconds = unixMs.quotientAndRemainderFlooring(by: 1000)
    let date = Date(timeIntervalSince1970: TimeInterval(seconds.quotient))
    let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    func two(_ value: Int?) -> String {
        let text = String(value ?? 0)
        return text.count < 2 ? "0" + text : text
    }
    let millis = String(seconds.remainder)
    return "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day)) "
        + "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second))."
        + String(repeating: "0", count: 3 - millis.count) + millis
}

extension Int64 {
    /// Division rounding toward negative infinity, so the remainder is never
    /// negative (times before 1970 still print sensibly).
    fileprivate func quotientAndRemainderFlooring(by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        var (q, r) = quotientAndRemainder(dividingBy: divisor)
        if r < 0 {
            q -= 1
            r += divisor
        }
        return (q, r)
    }
}
