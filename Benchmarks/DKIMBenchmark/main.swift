import Crypto
import CryptoExtras
import Foundation
import KilpiBenchSupport
import KilpiMail

#if canImport(Glibc)
import Glibc
#endif

// DKIM signing benchmark (issue 10): with Kilpi's own DKIM signing the bound is the CPU, and the issue asks for at
// least 75 % of `openssl speed rsa2048`'s signing rate on one core and on all cores, measured in the same run.
//   kilpi-bench-dkim [--seconds N]      (default 5 s per Kilpi run; openssl runs 3 s per operation)
// Signs notice-sized messages (built with MailMessage, about 6 KB) with an RSA-2048 key made at start, first on one
// core, then with one worker per core. Prints signatures/s, p99 per-signature latency, the cost of the RSA step
// alone (so the share of canonicalisation and hashing is visible), peak RSS, the machine and the ratio to openssl.
// Never fails on speed.

func nanoseconds() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// Notices of realistic size and shape: Finnish text (quoted-printable makes ä and ö three bytes each), a
/// personal greeting and category list, the HTML part beside it.
func notices(count: Int) throws -> [[UInt8]] {
    let paragraph = """
        Havaitsimme 3. marraskuuta, että tuntematon osapuoli pääsi verkkokauppamme asiakastietokantaan \
        hyödyntämällä vanhentunutta ohjelmistokomponenttia. Suljimme yhteyden samana päivänä, ilmoitimme \
        asiasta tietosuojavaltuutetun toimistolle ja pyysimme ulkopuolisen tietoturvayhtiön tutkimaan tapahtuman.
        """
    let categories = [
        (
            "Sähköpostiosoite",
            "Varaudu huijausviesteihin: emme koskaan pyydä salasanaasi emmekä lähetä kirjautumislinkkiä."
        ),
        ("Tilaushistoria", "Tilaushistoriaa voidaan käyttää uskottavan näköisiin huijausviesteihin."),
        (
            "Maksukortin neljä viimeistä numeroa",
            "Seuraa tiliotteitasi ja ota yhteyttä pankkiisi, jos näet outoja veloituksia."
        ),
    ]
    var result: [[UInt8]] = []
    for index in 0..<count {
        let name = "Matti Meikäläinen \(index)"
        var text = "Hyvä \(name),\n\nTietoturvaloukkaus – mitä tapahtui\n\n"
        var html = """
            <!DOCTYPE html><html lang="fi"><body style="font-family:sans-serif;line-height:1.5;max-width:40em">
            <p>Hyvä \(name),</p><h1 style="font-size:1.3em">Tietoturvaloukkaus – mitä tapahtui</h1>

            """
        for _ in 0..<5 {
            text += paragraph + "\n\n"
            html += "<p>\(paragraph)</p>\n"
        }
        text += "Tietosi, joita tapaus koski:\n\n"
        html += "<h2 style=\"font-size:1.1em\">Tietosi, joita tapaus koski</h2>\n<ul>\n"
        for (category, advice) in categories {
            text += "- \(category): \(advice)\n"
            html += "<li><strong>\(category)</strong>: \(advice)</li>\n"
        }
        text += "\nPahoittelemme tapahtunutta. Viitekoodi: K7M4-Q2XD\n"
        html += "</ul>\n<p>Pahoittelemme tapahtunutta. Viitekoodi: <strong>K7M4-Q2XD</strong></p></body></html>\n"
        let message = MailMessage(
            from: MailAddress("ilmoitukset@kauppa.example", displayName: "Kauppa Oy"),
            to: MailAddress("asiakas\(index)@example.fi", displayName: name),
            subject: "Tietoturvaloukkaus – mitä tapahtui",
            text: text,
            html: html,
            outboxID: OutboxID(UUID())
        )
        result.append(try message.rendered().bytes)
    }
    return result
}

struct Run {
    let signatures: Int
    let seconds: Double
    let latencies: [UInt64]

    var rate: Double { Double(signatures) / seconds }

    func percentile(_ fraction: Double) -> Double {
        let sorted = latencies.sorted()
        guard !sorted.isEmpty else { return 0 }
        return Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]) / 1e6
    }

    var meanMilliseconds: Double {
        latencies.isEmpty ? 0 : Double(latencies.reduce(0, +)) / Double(latencies.count) / 1e6
    }
}

/// Signs until `seconds` have passed on this thread; per-signature latencies in nanoseconds.
func signLoop(_ operation: (Int) -> Void, seconds: Double) -> [UInt64] {
    var latencies: [UInt64] = []
    latencies.reserveCapacity(Int(seconds * 4000))
    let deadline = nanoseconds() + UInt64(seconds * 1e9)
    var index = 0
    while true {
        let start = nanoseconds()
        operation(index)
        let end = nanoseconds()
        latencies.append(end - start)
        index += 1
        if end >= deadline { break }
    }
    return latencies
}

/// One worker per core, each a task of the cooperative pool (which has one thread per core).
func parallel(workers: Int, seconds: Double, _ operation: @escaping @Sendable (Int) -> Void) async -> Run {
    let start = nanoseconds()
    let all = await withTaskGroup(of: [UInt64].self) { group in
        for worker in 0..<workers {
            group.addTask { signLoop({ operation($0 * workers + worker) }, seconds: seconds) }
        }
        var all: [UInt64] = []
        for await latencies in group { all += latencies }
        return all
    }
    let elapsed = Double(nanoseconds() - start) / 1e9
    return Run(signatures: all.count, seconds: elapsed, latencies: all)
}

func report(_ label: String, _ run: Run) {
    say(
        "\(label): \(format(run.rate)) signatures/s (\(run.signatures) in \(format(run.seconds, 2)) s), "
            + "mean \(format(run.meanMilliseconds, 3)) ms, p50 \(format(run.percentile(0.5), 3)) ms, "
            + "p99 \(format(run.percentile(0.99), 3)) ms"
    )
}

func ratioLine(_ label: String, kilpi: Double, openssl: Double?) {
    guard let openssl else {
        say("\(label): openssl speed did not run (is openssl on PATH?)")
        return
    }
    let ratio = kilpi / openssl
    let verdict = ratio >= 0.75 ? "meets" : "BELOW"
    say(
        "\(label): Kilpi \(format(kilpi)) / openssl \(format(openssl)) signatures/s = \(format(ratio * 100, 1)) % "
            + "(\(verdict) the 75 % bound)"
    )
}

func main() async throws {
    var seconds = 5.0
    let arguments = CommandLine.arguments
    if let flag = arguments.firstIndex(of: "--seconds"), flag + 1 < arguments.count,
        let value = Double(arguments[flag + 1]), value > 0
    {
        seconds = value
    }
    let cores = ProcessInfo.processInfo.activeProcessorCount
    say("kilpi-bench-dkim: DKIM rsa-sha256 relaxed/relaxed, RSA-2048")
    say("machine: \(machine())")

    let privateKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
    let signer = try DKIMSigner(key: DKIMKey(privateKey), domain: "kauppa.example", selector: "kilpi2026")
    let messages = try notices(count: 64)
    let averageSize = messages.reduce(0) { $0 + $1.count } / messages.count
    say("messages: \(messages.count) distinct notices, \(averageSize) bytes on average; \(format(seconds)) s per run")

    let date = Date()
    let sign: @Sendable (Int) -> Void = { index in
        let signed = try! signer.sign(messages[index % messages.count], at: date)
        precondition(signed.count > messages[index % messages.count].count)
    }
    // The RSA step alone, on a digest made once: what signing costs without canonicalisation and hashing.
    let digest = SHA256.hash(data: messages[0])
    let rsaOnly: @Sendable (Int) -> Void = { _ in
        _ = try! privateKey.signature(for: digest, padding: .insecurePKCS1v1_5)
    }
    // SHA-256 of the raw message: the hashing share; the rest of "sign" minus "RSA alone" is canonicalisation.
    let hashOnly: @Sendable (Int) -> Void = { index in
        _ = SHA256.hash(data: messages[index % messages.count])
    }

    // Warm up (page in, fill caches, let the CPU settle on its clock).
    _ = signLoop(sign, seconds: min(1, seconds / 5))

    let opensslOne = opensslSpeed(processes: 1)
    let one = Run(sign, seconds: seconds)
    report("Kilpi, 1 core", one)
    let rsa = Run(rsaOnly, seconds: min(seconds, 2))
    report("  RSA step alone (swift-crypto/BoringSSL), 1 core", rsa)
    let hash = Run(hashOnly, seconds: min(seconds, 1))
    say(
        "  per signature: \(format(one.meanMilliseconds, 3)) ms = RSA \(format(rsa.meanMilliseconds, 3)) ms + "
            + "canonicalisation, hashing and assembly \(format(one.meanMilliseconds - rsa.meanMilliseconds, 3)) ms "
            + "(SHA-256 of the raw message alone: \(format(hash.meanMilliseconds * 1000, 1)) µs)"
    )
    if let opensslOne { say("openssl speed rsa2048, 1 process: \(format(opensslOne)) signatures/s") }

    let opensslAll = cores > 1 ? opensslSpeed(processes: cores) : opensslOne
    let all = await parallel(workers: cores, seconds: seconds, sign)
    report("Kilpi, \(cores) cores (\(cores) workers)", all)
    if let opensslAll { say("openssl speed -multi \(cores) rsa2048: \(format(opensslAll)) signatures/s") }

    say("peak RSS: \(format(peakRSSMegabytes(), 1)) MB")
    ratioLine("ratio, 1 core", kilpi: one.rate, openssl: opensslOne)
    ratioLine("ratio, \(cores) cores", kilpi: all.rate, openssl: opensslAll)
}

extension Run {
    /// `operation` in a loop on the calling thread for `seconds`.
    init(_ operation: (Int) -> Void, seconds: Double) {
        let start = nanoseconds()
        let latencies = signLoop(operation, seconds: seconds)
        self.init(signatures: latencies.count, seconds: Double(nanoseconds() - start) / 1e9, latencies: latencies)
    }
}

try await main()
