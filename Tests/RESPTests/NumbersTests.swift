// NumbersTests.swift — number helpers against Redis 7.0's util.c edge cases
// (string2ll, string2d, string2ld, d2string, ld2string human mode).

import Testing
import RESP

let int64Cases: [(String, Int64?)] = [
    ("0", 0), ("1", 1), ("-1", -1), ("123", 123), ("-123", -123),
    ("9223372036854775807", .max), ("-9223372036854775808", .min),
    ("9223372036854775808", nil), ("-9223372036854775809", nil),
    ("18446744073709551615", nil), ("99999999999999999999", nil), ("123456789012345678901", nil),
    ("", nil), ("-", nil), ("-0", nil), ("00", nil), ("01", nil), ("-01", nil), ("+1", nil),
    (" 1", nil), ("1 ", nil), ("1a", nil), ("1.0", nil), ("0x10", nil), ("--1", nil),
]

@Test("parseInt64 follows string2ll", arguments: int64Cases)
func parseInt64Rules(text: String, expected: Int64?) {
    #expect(parseInt64(b(text)) == expected)
    #expect(parseInt64(b(text)[...]) == expected)
}

let doubleCases: [(String, Double?)] = [
    ("1", 1), ("-1", -1), ("1.5", 1.5), ("+1.5", 1.5), (".5", 0.5), ("5.", 5), ("1e5", 100_000),
    ("1E-2", 0.01), ("007", 7), ("0x10", 16), ("3.14", 3.14),
    ("inf", .infinity), ("+inf", .infinity), ("-inf", -.infinity), ("INF", .infinity),
    ("Infinity", .infinity), ("-infinity", -.infinity),
    ("nan", nil), ("NaN", nil), ("-nan", nil),
    ("", nil), (" 1", nil), ("1 ", nil), ("\t1", nil), ("1x", nil), ("abc", nil), ("1e", nil), ("--1", nil),
    ("1e400", nil), ("-1e400", nil), ("1e-400", nil),
    ("1e-310", Double(sign: .plus, exponent: -1030, significand: 0x1.2688b70e62b17p0)),  // subnormal: ERANGE but neither zero nor infinite -> accepted
    ("1\u{0}", nil),
]

@Test("parseDouble follows string2d", arguments: doubleCases)
func parseDoubleRules(text: String, expected: Double?) {
    #expect(parseDouble(b(text)) == expected)
}

@Test("parseDouble keeps the sign of -0")
func parseNegativeZero() {
    #expect(parseDouble(b("-0"))?.sign == .minus)
    #expect(parseDouble(b("0"))?.sign == .plus)
}

@Test("parseLongDouble follows string2ld")
func parseLongDoubleRules() {
    #expect(parseLongDouble(b("10.5")) == 10.5)
    #expect(parseLongDouble(b("-inf")) == -.infinity)
    #expect(parseLongDouble(b("nan")) == nil)
    #expect(parseLongDouble(b(" 11")) == nil)
    #expect(parseLongDouble(b("11 ")) == nil)
    #expect(parseLongDouble(b("")) == nil)
    #expect(parseLongDouble([49, 0, 50]) == nil)  // "1\02": Redis's null-terminator test
    #expect(parseLongDouble(Bytes(repeating: 49, count: 5120)) == nil)
}

@Test("formatInt writes every Int64 like ll2string", arguments: [
    (Int64(0), "0"), (1, "1"), (-1, "-1"), (1234567890, "1234567890"),
    (.max, "9223372036854775807"), (.min, "-9223372036854775808"),
])
func formatIntRules(v: Int64, text: String) {
    #expect(formatInt(v) == b(text))
    #expect(parseInt64(formatInt(v)) == v)
}

let formatDoubleCases: [(Double, String)] = [
    (0, "0"), (-0.0, "-0"), (1, "1"), (-3, "-3"), (1.5, "1.5"), (0.5, "0.5"),
    (0.1, "0.10000000000000001"), (3.14, "3.1400000000000001"), (1.1, "1.1000000000000001"),
    (1.0 / 3.0, "0.33333333333333331"), (2.5e-5, "2.5000000000000001e-05"), (-1.5e-7, "-1.4999999999999999e-07"),
    (1e16, "10000000000000000"), (1e17, "1e+17"), (4503599627370496, "4503599627370496"),
    (9007199254740994, "9007199254740994"), (123456789.123, "123456789.123"),
    (1e300, "1.0000000000000001e+300"),
    (.infinity, "inf"), (-.infinity, "-inf"), (.nan, "nan"),
]

@Test("formatDouble prints scores as Redis 7.0 does (%.17g)", arguments: formatDoubleCases)
func formatDoubleRules(v: Double, text: String) {
    #expect(formatDouble(v) == b(text))
}

@Test("formatDouble output parses back to the same double", arguments: [0.1, 1.0 / 3.0, -2.5e-300, 1.7976931348623157e308, .leastNonzeroMagnitude])
func formatDoubleRoundTrips(v: Double) {
    #expect(parseDouble(formatDouble(v)) == v)
}

let longDoubleCases: [(Double, String)] = [
    (10.5, "10.5"), (3.0e3, "3000"), (0.1 + 0.2, "0.3"), (1.5 + 1.5, "3"), (-5.5, "-5.5"),
    (17179869184 + 1.5, "17179869185.5"), (17179869184 + 17179869184, "34359738368"),
    (5.0e3 + 2.0e2, "5200"), (1 - 1.1, "-0.1"), (0.001, "0.001"),
    (1e20, "100000000000000000000"), (1.2345678901234567e19, "12345678901234600000"),
    (1.0 / 3.0, "0.333333333333333"), (1.23456789012345678e-5, "0.00001234567890123"),
    (1.5e-20, "0"), (-1.5e-20, "0"), (0, "0"), (-0.0, "0"),
    (.infinity, "inf"), (-.infinity, "-inf"),
]

@Test("formatLongDouble(Double) is INCRBYFLOAT's human output, emulated", arguments: longDoubleCases)
func formatLongDoubleRules(v: Double, text: String) {
    #expect(formatLongDouble(v) == b(text))
}

@Test("formatLongDouble(extended:) is ld2string's %.17Lf output", arguments: [
    ("10.5", "1", "11.5"), ("0.1", "0.2", "0.3"), ("3.0e3", "0", "3000"), ("17179869184", "1.5", "17179869185.5"),
    ("1", "-1.1", "-0.1"), ("1e20", "0", "100000000000000000000"), ("-0", "0", "0"),
])
func formatExtendedRules(a: String, increment: String, text: String) throws {
    let x = try #require(parseLongDouble(b(a)))
    let y = try #require(parseLongDouble(b(increment)))
    #expect(formatLongDouble(extended: x + y) == b(text))
}
