import KilpiCore
import Testing

@Suite("PasswordPolicy")
struct PasswordPolicyTests {
    let policy = PasswordPolicy(blocklist: ["password", "Tr0ub4dor&3", "qwertyuiopasdfgh"])

    @Test func acceptsALongPassphraseWithoutCompositionRules() {
        // All lowercase, no digits, no symbols: 800-63B forbids demanding them.
        #expect(policy.problems(in: "correct horse battery staple", hasSecondFactor: false).isEmpty)
        #expect(PasswordPolicy.standard.problems(in: "correcthorsebatterystaple", hasSecondFactor: false).isEmpty)
    }

    @Test func minimumDependsOnSecondFactor() {
        #expect(PasswordPolicy.minimumWithoutSecondFactor == 15)
        #expect(PasswordPolicy.minimumWithSecondFactor == 8)
        #expect(policy.problems(in: "vihreä kettu 7", hasSecondFactor: false) == [.tooShort(minimum: 15)])
        #expect(policy.problems(in: "vihreä kettu 78", hasSecondFactor: false).isEmpty)
        #expect(policy.problems(in: "vihreä kettu 7", hasSecondFactor: true).isEmpty)
        #expect(policy.problems(in: "kettu72", hasSecondFactor: true) == [.tooShort(minimum: 8)])
        #expect(policy.problems(in: "kettu723", hasSecondFactor: true).isEmpty)
        #expect(policy.problems(in: "", hasSecondFactor: true) == [.tooShort(minimum: 8)])
    }

    @Test func countsCharactersNotBytesOrScalars() {
        // 15 characters, each "ä"/"ö" written decomposed as two scalars and three UTF-8 bytes.
        let decomposed = "ka\u{308}rpa\u{308}nen so\u{308}i"
        let fifteen = decomposed + "xyz"
        #expect(fifteen.count == 15)
        #expect(fifteen.unicodeScalars.count == 18)
        #expect(policy.problems(in: fifteen, hasSecondFactor: false).isEmpty)
        #expect(policy.problems(in: decomposed + "xy", hasSecondFactor: false) == [.tooShort(minimum: 15)])
    }

    @Test func refusesOverTheMaximum() {
        let long = String((0..<4).map { _ in SecureRandom.token() }.joined().prefix(129))
        #expect(PasswordPolicy.maximum == 128)
        #expect(policy.problems(in: long, hasSecondFactor: false) == [.tooLong(maximum: 128)])
        #expect(policy.problems(in: String(long.prefix(128)), hasSecondFactor: false).isEmpty)
    }

    @Test func blocklistIgnoresCase() {
        #expect(policy.isBlocklisted("password"))
        #expect(policy.isBlocklisted("PassWord"))
        #expect(policy.isBlocklisted("tr0ub4dor&3"))  // entry was given in mixed case
        #expect(!policy.isBlocklisted("password1"))
        #expect(policy.problems(in: "QWERTYUIOPASDFGH", hasSecondFactor: false) == [.common])
        #expect(policy.problems(in: "Tr0ub4dor&3", hasSecondFactor: true) == [.common])
    }

    @Test func standardPolicyLoadsTheBundledList() {
        let standard = PasswordPolicy.standard
        for common in ["123456", "password", "qwerty", "iloveyou", "PASSWORD"] {
            #expect(standard.isBlocklisted(common), "\(common)")
        }
        #expect(!standard.isBlocklisted("correct horse battery staple"))
        #expect(standard.problems(in: "password", hasSecondFactor: true) == [.common])
    }

    @Test func refusesTheAccountEmailAndItsLocalPart() {
        let email = "Anna.Virtanen.1984@Example.fi"
        #expect(policy.problems(in: "anna.virtanen.1984", hasSecondFactor: false, accountEmail: email) == [.common])
        #expect(
            policy.problems(in: "anna.virtanen.1984@example.fi", hasSecondFactor: false, accountEmail: email)
                == [.common]
        )
        #expect(policy.problems(in: "anna.virtanen.1984!", hasSecondFactor: false, accountEmail: email).isEmpty)
        #expect(policy.problems(in: "anna.virtanen.1984", hasSecondFactor: false, accountEmail: nil).isEmpty)
        #expect(policy.problems(in: "anna.virtanen.1984", hasSecondFactor: false, accountEmail: "").isEmpty)
    }

    @Test(arguments: [
        "aaaaaaaaaaaaaaaa",
        "AAAAAAAAAAAAAAAA",
        "1111111111111111",
        "abababababababab",
        "1231231231231231",
        "abcdabcdabcdabcd",
        "1234567890123456",
        "9876543210987654",
        "abcdefghijklmnop",
        "ZYXWVUTSRQPONMLK",
        "xyzabcdefghijklm",
    ])
    func refusesRepetitiveAndSequentialPasswords(password: String) {
        #expect(policy.problems(in: password, hasSecondFactor: false) == [.repetitive])
    }

    @Test(arguments: [
        "1234567890123457",
        "aaaaaaaaaaaaaaab",
        "abcdefghijklmnoq",
        "1357913579135791",
        "abcdeabcdeabcdea",
        "correct horse battery",
    ])
    func acceptsNearMisses(password: String) {
        #expect(policy.problems(in: password, hasSecondFactor: false).isEmpty)
    }

    @Test func reportsEveryProblem() {
        #expect(policy.problems(in: "aaaa", hasSecondFactor: false) == [.tooShort(minimum: 15), .repetitive])
        #expect(policy.problems(in: "password", hasSecondFactor: false) == [.tooShort(minimum: 15), .common])
    }

    @Test func messagesInEveryLanguageNameTheField() {
        #expect(
            PasswordProblem.tooShort(minimum: 15).message(.fi)
                == "password: salasanassa on oltava vähintään 15 merkkiä."
        )
        #expect(PasswordProblem.tooShort(minimum: 8).message(.sv) == "password: lösenordet måste ha minst 8 tecken.")
        #expect(PasswordProblem.tooShort(minimum: 15).message == "password: at least 15 characters are needed.")
        #expect(PasswordProblem.tooLong(maximum: 128).message(.fi).contains("128"))
        #expect(PasswordProblem.tooLong(maximum: 128).message(.sv).contains("128"))

        let all: [PasswordProblem] = [.tooShort(minimum: 15), .tooLong(maximum: 128), .common, .repetitive]
        for problem in all {
            #expect(problem.message == problem.message(.en))
            for language in Language.allCases {
                #expect(problem.message(language).hasPrefix("password: "), "\(problem) \(language)")
                if language != .en { #expect(problem.message(language) != problem.message(.en), "\(language)") }
            }
        }
        for language in Language.allCases {
            #expect(Set(all.map { $0.message(language) }).count == all.count)
        }
    }
}
