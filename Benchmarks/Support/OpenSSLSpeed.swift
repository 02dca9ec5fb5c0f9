/// `openssl speed -seconds 3 [-multi N] rsa2048`, its RSA-2048 signatures per second (the column under "sign/s"):
/// the anchor DKIM signing speed is measured against, in the same run.
public func opensslSpeed(processes: Int) -> Double? {
    var arguments = ["openssl", "speed", "-seconds", "3"]
    if processes > 1 { arguments += ["-multi", String(processes)] }
    return output(of: arguments + ["rsa2048"]).flatMap(parseOpensslSpeed)
}

/// Reads the table openssl prints last:
///     "                  sign    verify    sign/s verify/s"
///     "rsa 2048 bits 0.000403s 0.000022s   2482.0  45009.0"
/// (OpenSSL 3.2 adds encrypt/decrypt columns; the header says where sign/s is.)
public func parseOpensslSpeed(_ output: String) -> Double? {
    let lines = output.split(separator: "\n")
    guard let headerIndex = lines.lastIndex(where: { $0.contains("sign/s") }) else { return nil }
    let columns = lines[headerIndex].split(separator: " ")
    guard let column = columns.firstIndex(of: "sign/s") else { return nil }
    for line in lines[(headerIndex + 1)...] {
        let fields = line.split(separator: " ")
        guard fields.count > 3, fields[0] == "rsa", fields[1] == "2048" else { continue }
        let values = Array(fields.dropFirst(3))
        if column < values.count, let rate = Double(values[column]) { return rate }
        if let seconds = Double(values.first?.dropLast() ?? ""), seconds > 0 { return 1 / seconds }
    }
    return nil
}
