import Foundation

/// A `numeric` value that carries its own display scale, as PostgreSQL's numerics do: `1 / 3.0` is
/// `0.33333333333333333333`, `1.50 + 1` is `2.50`. Columns of `DataType.variableScaleNumeric` hold them.
///
/// Packed into one `Int128` so such columns share the `decimal` storage (and its slicing, gathering,
/// null handling and memory accounting) with fixed-scale numerics: the scaled integer (`digits`) in
/// the upper 120 bits, the scale in the low 8. A value therefore has at most 35 significant digits
/// and 255 fractional digits; results beyond that raise `22003` rather than being rounded silently.
public struct ScaledDecimal: Sendable, Equatable {
    public let packed: Int128

    public static let maxScale = 255
    /// `|digits|` stays below 10^35 (which fits the 120 bits the packing leaves).
    @usableFromInline static let digitsLimit: Int128 = 100_000_000_000_000_000_000_000_000_000_000_000

    public init(packed: Int128) { self.packed = packed }

    /// `digits × 10^-scale`.
    public init(digits: Int128, scale: Int) throws(EngineError) {
        guard digits.magnitude < Self.digitsLimit.magnitude else { throw Self.overflow() }
        guard scale >= 0, scale <= Self.maxScale else { throw Self.scaleOverflow() }
        packed = digits << 8 | Int128(scale)
    }

    /// The value scaled by `10^scale`.
    @inlinable public var digits: Int128 { packed >> 8 }
    /// Digits after the decimal point (PostgreSQL's display scale).
    @inlinable public var scale: Int { Int(packed & 0xFF) }

    static func scaleOverflow() -> EngineError {
        EngineError(
            .numericValueOutOfRange, "value overflows numeric format",
            detail:
                "A numeric value without a declared scale can have at most \(maxScale) digits after the decimal point.")
    }

    static func overflow() -> EngineError {
        EngineError(
            .numericValueOutOfRange, "value overflows numeric format",
            detail: "A numeric value without a declared scale can have at most 35 significant digits.")
    }

    /// `10^exponent` for exponents 0...38, nil beyond.
    @inlinable
    public static func powerOfTen(_ exponent: Int) -> Int128? {
        guard exponent >= 0, exponent <= 38 else { return nil }
        var result: Int128 = 1
        for _ in 0..<exponent { result &*= 10 }
        return result
    }

    /// `digits` at `scale`, exactly (`target >= scale`) or rounded half away from zero.
    public func digits(atScale target: Int) throws(EngineError) -> Int128 {
        try Self.rescale(digits, from: scale, to: target)
    }

    static func rescale(_ digits: Int128, from source: Int, to target: Int) throws(EngineError) -> Int128 {
        if target == source { return digits }
        if target > source {
            guard let factor = powerOfTen(target - source) else {
                if digits == 0 { return 0 }
                throw overflow()
            }
            let (result, overflowed) = digits.multipliedReportingOverflow(by: factor)
            guard !overflowed else { throw overflow() }
            return result
        }
        guard let divisor = powerOfTen(source - target) else { return 0 }
        let (quotient, remainder) = digits.quotientAndRemainder(dividingBy: divisor)
        guard remainder.magnitude * 2 >= divisor.magnitude else { return quotient }
        return quotient + (digits < 0 ? -1 : 1)
    }

    /// The same value with `target` fractional digits, rounded half away from zero (as `round(x, n)`).
    public func rounded(toScale target: Int) throws(EngineError) -> ScaledDecimal {
        try ScaledDecimal(digits: try digits(atScale: target), scale: target)
    }

    /// Decimal digits in `|value|` (1 for zero).
    static func digitCount(_ value: Int128) -> Int {
        var magnitude = value.magnitude
        var count = 1
        while magnitude >= 10 {
            magnitude /= 10
            count += 1
        }
        return count
    }

    // MARK: Arithmetic (PostgreSQL's result scales)

    /// Sum or difference at the larger of the two scales.
    public static func add(_ a: ScaledDecimal, _ b: ScaledDecimal, subtracting: Bool = false) throws(EngineError)
        -> ScaledDecimal
    {
        let scale = max(a.scale, b.scale)
        let left = try a.digits(atScale: scale)
        let right = try b.digits(atScale: scale)
        let (result, overflowed) =
            subtracting ? left.subtractingReportingOverflow(right) : left.addingReportingOverflow(right)
        guard !overflowed else { throw overflow() }
        return try ScaledDecimal(digits: result, scale: scale)
    }

    /// Exact product at the sum of the scales.
    public static func multiply(_ a: ScaledDecimal, _ b: ScaledDecimal) throws(EngineError) -> ScaledDecimal {
        let (result, overflowed) = a.digits.multipliedReportingOverflow(by: b.digits)
        guard !overflowed else { throw overflow() }
        return try ScaledDecimal(digits: result, scale: a.scale + b.scale)
    }

    /// The quotient rounded half away from zero at PostgreSQL's `select_div_scale`: at least 16
    /// significant digits, and no fewer fractional digits than either operand shows.
    public static func divide(_ a: ScaledDecimal, _ b: ScaledDecimal) throws(EngineError) -> ScaledDecimal {
        guard b.digits != 0 else { throw .divisionByZero() }
        let scale = min(divisionScale(a, b), 1000)
        guard scale <= maxScale else { throw scaleOverflow() }
        // q = round(a.digits × 10^(scale + b.scale − a.scale) / b.digits); the exponent is never negative.
        let exponent = scale + b.scale - a.scale
        var numerator = Wide(a.digits.magnitude)
        var remaining = exponent
        while remaining > 0 {
            let step = min(remaining, 38)
            guard numerator.multiply(by: UInt128(powerOfTen(step)!)) else { throw overflow() }
            remaining -= step
        }
        let divisor = b.digits.magnitude
        guard numerator.high < divisor else { throw overflow() }
        var (quotient, remainder) = divisor.dividingFullWidth((high: numerator.high, low: numerator.low))
        if remainder >= divisor - remainder { quotient += 1 }
        guard quotient < UInt128(digitsLimit) else { throw overflow() }
        let negative = (a.digits < 0) != (b.digits < 0)
        return try ScaledDecimal(digits: negative ? -Int128(quotient) : Int128(quotient), scale: scale)
    }

    /// `a - trunc(a / b) * b`, at the larger of the two scales (the sign follows `a`).
    public static func remainder(_ a: ScaledDecimal, _ b: ScaledDecimal) throws(EngineError) -> ScaledDecimal {
        guard b.digits != 0 else { throw .divisionByZero() }
        let scale = max(a.scale, b.scale)
        return try ScaledDecimal(digits: try a.digits(atScale: scale) % (try b.digits(atScale: scale)), scale: scale)
    }

    /// PostgreSQL's `select_div_scale`, from the base-10000 weights and leading digits of the operands.
    static func divisionScale(_ a: ScaledDecimal, _ b: ScaledDecimal) -> Int {
        let (weightA, firstA) = a.baseTenThousandLead
        let (weightB, firstB) = b.baseTenThousandLead
        var quotientWeight = weightA - weightB
        if firstA <= firstB { quotientWeight -= 1 }
        return max(16 - quotientWeight * 4, a.scale, b.scale, 0)
    }

    /// The weight (power of 10000) and value of the first non-zero base-10000 digit; (0, 0) for zero.
    var baseTenThousandLead: (weight: Int, digit: Int) {
        guard digits != 0 else { return (0, 0) }
        let count = Self.digitCount(digits)
        let exponent = count - 1 - scale  // |value| lies in [10^exponent, 10^(exponent + 1))
        let weight = exponent >= 0 ? exponent / 4 : -((-exponent + 3) / 4)
        // The first base-10000 digit holds the leading (exponent - 4 × weight + 1) decimal digits.
        let leading = exponent - 4 * weight + 1
        var magnitude = digits.magnitude
        for _ in 0..<max(count - leading, 0) { magnitude /= 10 }
        for _ in 0..<max(leading - count, 0) { magnitude *= 10 }  // `0.0000001` leads with 0010
        return (weight, Int(magnitude))
    }

    // MARK: Ordering and identity

    /// An integer ordered and equated as the values are, whatever their scales: `1.0` and `1.00` share
    /// one key, so comparisons, hashing, grouping and sort keys all use it. Positive values map to
    /// `(exponent + 300) × 10^35 + the digits widened to exactly 35`, negative ones to its negation.
    @inlinable
    public var orderKey: Int128 {
        let value = digits
        guard value != 0 else { return 0 }
        var magnitude = value.magnitude
        var count = 1
        var bound: UInt128 = 10
        while count < 35, magnitude >= bound {
            count += 1
            bound &*= 10
        }
        for _ in count..<35 { magnitude &*= 10 }
        // |value| lies in [10^(exponent - 1), 10^exponent); exponent is within -254...35.
        let exponent = count - scale
        let key = Int128(exponent + 300) &* Self.digitsLimit &+ Int128(magnitude)
        return value < 0 ? -key : key
    }

    // MARK: Conversions

    /// PostgreSQL's numeric output: digits with exactly `scale` fractional digits.
    public func appendText(to out: inout [UInt8]) {
        TextOutput.appendDecimal(digits, scale: scale, to: &out)
    }

    public var text: String {
        var out: [UInt8] = []
        appendText(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses numeric input text (`[+-]digits[.digits][e[+-]n]`, surrounding spaces allowed); the display
    /// scale is the number of fractional digits written, less the exponent, as `numeric_in` does.
    public static func parse(_ text: some StringProtocol) throws(EngineError) -> ScaledDecimal {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let type = DataType.variableScaleNumeric
        guard !trimmed.isEmpty else { throw .invalidText(text, for: type) }
        let lowered = trimmed.lowercased()
        if ["nan", "infinity", "+infinity", "-infinity", "inf", "+inf", "-inf"].contains(lowered) {
            throw EngineError(.featureNotSupported, "numeric \(trimmed) is not supported yet")
        }
        var mantissa = Substring(lowered)
        var exponent = 0
        if let e = mantissa.firstIndex(of: "e") {
            guard let value = Int(mantissa[mantissa.index(after: e)...]), abs(value) <= 1000 else {
                throw .invalidText(text, for: type)
            }
            exponent = value
            mantissa = mantissa[..<e]
        }
        let fractionDigits =
            mantissa.firstIndex(of: ".").map { mantissa.distance(from: $0, to: mantissa.endIndex) - 1 } ?? 0
        let scale = max(0, fractionDigits - exponent)
        guard scale <= maxScale else { throw scaleOverflow() }
        let digits: Int128
        do {
            digits = try TextInput.parseDecimal(trimmed, scale: scale, original: String(text), type: type)
        } catch let error where error.sqlState == .numericValueOutOfRange {
            throw overflow()
        }
        return try ScaledDecimal(digits: digits, scale: scale)
    }

    public init(integer: Int128) throws(EngineError) { try self.init(digits: integer, scale: 0) }

    /// PostgreSQL's float-to-numeric: the float printed with 15 significant digits (`%.15g`), then read.
    /// `value` rounded to `significantDigits` (PostgreSQL's float8_numeric keeps 15, float4_numeric 6).
    public init(_ value: Double, significantDigits: Int = 15) throws(EngineError) {
        guard value.isFinite else {
            let spelled = value.isNaN ? "NaN" : value < 0 ? "-Infinity" : "Infinity"
            throw EngineError(
                .featureNotSupported, "cannot convert \(spelled) to numeric yet",
                hint: "Weir's numeric holds finite values only.")
        }
        self = try Self.parse(Self.decimalText(value, significantDigits: significantDigits))
    }

    /// `value` as decimal text with at most `significantDigits` significant digits.
    public static func decimalText(_ value: Double, significantDigits: Int) -> String {
        String(format: "%.\(significantDigits)g", value)
    }

}

/// A 256-bit unsigned integer as two 128-bit halves, for the numerator of a division.
private struct Wide {
    var high: UInt128 = 0
    var low: UInt128

    init(_ value: UInt128) { low = value }

    /// Multiplies in place; false when the product needs more than 256 bits.
    mutating func multiply(by factor: UInt128) -> Bool {
        let lowProduct = low.multipliedFullWidth(by: factor)
        let highProduct = high.multipliedFullWidth(by: factor)
        guard highProduct.high == 0 else { return false }
        let (sum, carry) = highProduct.low.addingReportingOverflow(lowProduct.high)
        guard !carry else { return false }
        (high, low) = (sum, lowProduct.low)
        return true
    }
}
