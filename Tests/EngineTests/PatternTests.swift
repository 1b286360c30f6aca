import Testing

@testable import Engine

@Suite struct PatternTests {
    func like(_ text: String, _ pattern: String, caseInsensitive: Bool = false) throws -> Bool {
        let compiled = try LikePattern(Array(pattern.utf8), caseInsensitive: caseInsensitive)
        var bytes = Array(text.utf8)
        if caseInsensitive { bytes = LikePattern.lowercased(bytes) }
        return try bytes.withUnsafeBufferPointer { buffer throws(EngineError) in try compiled.matches(buffer) }
    }

    @Test func likeShapesAndBacktracking() throws {
        #expect(try like("hello", "hello"))
        #expect(try like("hello", "he%"))
        #expect(try like("hello", "%llo"))
        #expect(try like("hello", "%ll%"))
        #expect(try !like("hello", "%xl%"))
        #expect(try like("abcabc", "%abc%abc"))
        #expect(try !like("ab", "a%a%b"))
        #expect(try like("héllo", "h_llo"))
        #expect(try like("100%", "100\\%"))
        #expect(try like("HeLLo", "hel%", caseInsensitive: true))
    }

    @Test func danglingEscapeFailsOnlyWhenReached() throws {
        #expect(try !like("a", "a\\"))
        #expect(throws: EngineError.self) { try like("ab", "a\\") }
    }

    @Test func likeEscapeRewriting() throws {
        #expect(
            try LikePattern.normalizingEscape(Array("a#_b\\".utf8), escape: Array("#".utf8)) == Array("a\\_b\\\\".utf8))
        #expect(throws: EngineError.self) { try LikePattern.normalizingEscape([], escape: Array("ab".utf8)) }
    }

    @Test func regexTranslationFromPostgreSQLSyntax() throws {
        #expect(RegexPattern.translate("\\mword\\M", newlineSensitive: false) == "\\b(?=\\w)word\\b(?<=\\w)")
        #expect(RegexPattern.translate("a$", newlineSensitive: false) == "a\\z")
        #expect(RegexPattern.translate("[[]", newlineSensitive: false) == "[\\[]")
        #expect(try RegexPattern("^a.b$").isMatch("a\nb"))
        #expect(throws: EngineError(.invalidRegularExpression, "invalid regular expression: (")) {
            try RegexPattern("(")
        }
    }

    @Test func similarToBecomesAnchoredRegex() throws {
        #expect(try SimilarToPattern.regex("a%(b|c)_", escape: nil) == "^(?:a.*(?:b|c).)$")
        #expect(try SimilarToPattern.regex("%#\"o_b#\"%", escape: "#") == "^(?:.*){1,1}?(o.b){1,1}(?:.*)$")
    }

    @Test func md5MatchesKnownDigests() {
        func hex(_ text: String) -> String {
            MD5Digest.hash(Array(text.utf8)[...]).map { String(format: "%02x", $0) }.joined()
        }
        #expect(hex("") == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(hex("The quick brown fox jumps over the lazy dog") == "9e107d9d372bb6826bd81d3542a419d6")
    }
}

import Foundation
