import Foundation
import KilpiCore
import SQLKit

/// The public contact form, for people without a link or a code: a one-time code emailed to the address proves
/// it, then the address is matched to a customer through the blind index. Whoever sends the form learns only
/// that their question was received, whether or not the address is a customer's.
///
/// A code is six digits, stored as SHA-256 of the challenge and the code. The challenge is 128 random bits that
/// only the sender's browser holds (the table keeps its own hash), so a copy of the table cannot be searched
/// for the million possible codes. A verification lives 15 minutes, takes five wrong codes, and is used once.
public struct ContactFormService: Sendable {
    let store: Store
    public let settings: SupportSettings

    public init(store: Store, settings: SupportSettings = .standard) {
        self.store = store
        self.settings = settings
    }

    static let emailContext = "support_verifications.email"
    static let codeDigits = 6

    /// Starts a verification of `email` for a question about `incidentID`: the code mail is queued for the support
    /// mail worker in the same transaction (the caller sends nothing itself) and the caller puts `challenge` into
    /// the form. Limited per address and per source, so the form cannot bomb a mailbox.
    public func start(
        email: String,
        incidentID: Int64,
        language: Language,
        ip: String,
        now: Date
    ) async throws -> ContactVerification {
        let email = email.trimmingCharacters(in: .whitespacesAndNewlines)
        guard EmailAddress.isPlausible(email) else {
            throw SupportError.invalid(
                "email",
                .l("that does not look like an email address", "tämä ei näytä sähköpostiosoitteelta")
            )
        }
        let limits = settings.limits
        let mailKey = store.vault.index.index(
            BlindIndex.normalizeEmail(email),
            purpose: SupportLinkRepository.throttlePurpose
        ).prefix(16)
        let throttle = SupportThrottle(database: store.database, limits: limits)
        let exists = try await store.database.read { sql in
            try await sql.raw("SELECT id FROM incidents WHERE id = \(bind: incidentID)").first() != nil
        }
        guard exists else {
            throw SupportError(
                [
                    FieldProblem(
                        "incident",
                        .l("incident \(incidentID) does not exist", "tapausta \(incidentID) ei ole")
                    )
                ],
                notFound: true
            )
        }
        guard
            try await throttle.take(
                [
                    (SupportThrottle.source(ip), limits.verificationsPerSource),
                    ("verify:" + mailKey, limits.verificationsPerEmail),
                ],
                now: now
            ) != nil
        else { throw SupportError.throttled }
        let challenge = SecureRandom.token(byteCount: SupportLinkRepository.tokenBytes)
        let code = Self.randomCode()
        let key = UUID().uuidString.lowercased()
        let expires = now.addingTimeInterval(settings.verificationLifetime)
        let (vault, engine, audit) = (store.vault, store.database.engine, store.audit)
        try await store.database.transaction { sql in
            let keys = try await vault.keysForSealing(in: sql, engine: engine, now: now)
            let id = try await sql.raw(
                """
                INSERT INTO support_verifications (challenge_hash, verification_key, code_hash, email_sealed, incident_id,
                    language, created_at, expires_at)
                VALUES (\(bind: Digest.sha256Hex(challenge)), \(bind: key), \(bind: Self.codeHash(challenge: challenge, code: code)),
                    \(bind: try keys.cipher.seal(email, context: Self.emailContext, row: key)), \(bind: incidentID),
                    \(bind: language.rawValue), \(bind: now.epochMilliseconds), \(bind: expires.epochMilliseconds))
                RETURNING id
                """
            ).first().map { try $0.decode(column: "id", as: Int64.self) }!
            // The code mail is queued in the same transaction: no verification without its mail.
            try await SupportMailRepository.enqueueVerification(
                sql,
                verificationID: id,
                email: email,
                code: code,
                incidentID: incidentID,
                language: language,
                expiresAt: expires,
                keys: keys,
                now: now
            )
            try await audit.append(
                Caller(.anonymous, ip: ip).event(
                    .supportVerificationStart,
                    target: "verification:\(id)",
                    detail: "incident:\(incidentID)"
                ),
                now: now,
                in: sql
            )
        }
        return ContactVerification(challenge: challenge, code: code, email: email, expiresAt: expires)
    }

    /// Why a code was refused; each is said plainly (none says anything about the address).
    enum Refusal: Error, Sendable {
        case unknown, expired, used, spent, wrong
    }

    /// The question `text` from whoever holds the verification `challenge` and typed its `code`: an inquiry linked
    /// to the customer whose address it is, or to nobody. The code is used up by it; a wrong code counts against
    /// the verification, which is spent after `SupportLimits.verificationAttempts` of them.
    public func submit(
        challenge: String,
        code: String,
        text: String,
        language: Language,
        ip: String,
        now: Date
    ) async throws -> ContactInquiryReceipt {
        let text = try SupportText.checked(text)
        let typed = code.filter { !$0.isWhitespace && $0 != "-" }
        let maximum = settings.limits.verificationAttempts
        let (vault, engine, audit) = (store.vault, store.database.engine, store.audit)
        let nowMs = now.epochMilliseconds
        let outcome: Result<ContactInquiryReceipt, Refusal> = try await store.database.transaction { sql in
            let lock = sql.dialect.name == "postgresql" ? " FOR UPDATE" : ""
            guard
                let row = try await sql.raw(
                    """
                    SELECT id, verification_key, code_hash, email_sealed, incident_id, attempts, expires_at, used_at
                    FROM support_verifications WHERE challenge_hash = \(bind: Digest.sha256Hex(challenge))\(unsafeRaw: lock)
                    """
                ).first()
            else { return .failure(.unknown) }
            let id = try row.decode(column: "id", as: Int64.self)
            if try row.decode(column: "used_at", as: Int64?.self) != nil { return .failure(.used) }
            if try row.decode(column: "expires_at", as: Int64.self) <= nowMs { return .failure(.expired) }
            if try row.decode(column: "attempts", as: Int.self) >= maximum { return .failure(.spent) }
            let expected = try row.decode(column: "code_hash", as: String.self)
            guard Digest.constantTimeEquals(Self.codeHash(challenge: challenge, code: typed), expected) else {
                try await sql.raw(
                    "UPDATE support_verifications SET attempts = attempts + 1 WHERE id = \(bind: id)"
                ).run()
                try await audit.append(
                    Caller(.anonymous, ip: ip).event(.supportVerificationFailed, target: "verification:\(id)"),
                    now: now,
                    in: sql
                )
                return .failure(.wrong)
            }
            let used = try await sql.raw(
                """
                UPDATE support_verifications SET used_at = \(bind: nowMs) WHERE id = \(bind: id) AND used_at IS NULL
                RETURNING id
                """
            ).first()
            guard used != nil else { return .failure(.used) }
            let keys = try await vault.keysForSealing(in: sql, engine: engine, now: now)
            let email = try Self.openEmail(row, vault: vault, keys: keys)
            let incidentID = try row.decode(column: "incident_id", as: Int64.self)
            // The same statements run whether or not the address matches, so the answer's timing says little.
            let customer = try await sql.raw(
                """
                SELECT id FROM customers WHERE email_index IN (\(binds: keys.index.allEmailIndexes(email)))
                AND erased_at IS NULL ORDER BY id LIMIT 1
                """
            ).first().map { try $0.decode(column: "id", as: Int64.self) }
            let inquiryID = try await InquiryRepository.insert(
                sql,
                incidentID: incidentID,
                customerID: customer,
                outboxID: nil,
                channel: .contactForm,
                language: language,
                contactEmail: email,
                keys: keys,
                now: now
            )
            _ = try await InquiryRepository.appendMessage(
                sql,
                inquiryID: inquiryID,
                kind: .customer,
                actor: Actor.anonymous.description,
                authorID: nil,
                text: text,
                keys: keys,
                now: now
            )
            try await audit.append(
                Caller(.anonymous, ip: ip).event(
                    .supportInquiryCreate,
                    target: "inquiry:\(inquiryID)",
                    detail:
                        "incident:\(incidentID) \(customer.map { "customer:\($0)" } ?? "no customer") via contact_form"
                ),
                now: now,
                in: sql
            )
            return .success(ContactInquiryReceipt(inquiryID: inquiryID, createdAt: Date(epochMilliseconds: nowMs)))
        }
        switch outcome {
        case .success(let receipt): return receipt
        case .failure(let refusal): throw Self.error(refusal)
        }
    }

    static func error(_ refusal: Refusal) -> SupportError {
        switch refusal {
        case .unknown, .wrong:
            SupportError.invalid(
                "code",
                .l(
                    "that code is not right: check the code in the email we sent",
                    "koodi ei ole oikein: tarkista lähettämämme sähköpostin koodi"
                )
            )
        case .expired:
            SupportError.invalid(
                "code",
                .l("that code has expired: ask for a new one", "koodi on vanhentunut: pyydä uusi")
            )
        case .used:
            SupportError.invalid(
                "code",
                .l("that code was used already: ask for a new one", "koodi on jo käytetty: pyydä uusi")
            )
        case .spent:
            SupportError.invalid(
                "code",
                .l("too many wrong codes: ask for a new one", "liian monta väärää koodia: pyydä uusi")
            )
        }
    }

    static func openEmail(_ row: any SQLRow, vault: Vault, keys: Vault.Keys) throws -> String {
        try keys.cipher.open(
            try row.decode(column: "email_sealed", as: String.self),
            context: emailContext,
            row: try row.decode(column: "verification_key", as: String.self)
        )
    }

    static func codeHash(challenge: String, code: String) -> String {
        Digest.sha256Hex(challenge + ":" + code)
    }

    /// Six uniform digits: values of 32 random bits at or above the largest multiple of a million are drawn again.
    static func randomCode() -> String {
        let bound: UInt64 = 1_000_000
        let limit = (UInt64(1) << 32) / bound * bound
        while true {
            let value = SecureRandom.bytes(4).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            if value < limit {
                let digits = String(value % bound)
                return String(repeating: "0", count: codeDigits - digits.count) + digits
            }
        }
    }

    /// Removes verifications a day past their expiry; for the sweeper.
    public func pruneChore() -> Sweeper.Chore {
        Sweeper.Chore(name: "support verifications") { sql, now in
            try await sql.raw(
                """
                DELETE FROM support_verifications WHERE expires_at < \(bind: now.epochMilliseconds - 86_400_000) RETURNING id
                """
            ).all().count
        }
    }
}
