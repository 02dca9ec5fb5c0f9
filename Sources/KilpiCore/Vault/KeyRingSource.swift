import Foundation

/// Where the vault's key ring comes from: `KILPI_MASTER_KEY`, or else a key file that Kilpi creates on first start.
public enum KeyRingSource {
    /// Loads the key ring.
    ///
    /// `KILPI_MASTER_KEY`, when set (even to nothing, which is refused rather than silently ignored), wins; its
    /// entries are separated by newlines or `;`. Otherwise the key file at `path` is read; when it does not exist
    /// it is created with one fresh key, mode 0600 from the moment it exists, and `createdNewFile` is true.
    /// A key file that group or others may read or write, or one that does not parse, is refused.
    public static func load(
        path: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(VaultError) -> (ring: KeyRing, createdNewFile: Bool) {
        if let value = environment[KeyRing.environmentVariable] {
            return (try KeyRing(parsingEnvironmentValue: value), false)
        }
        // Two processes starting at once (e.g. `kilpi serve` twice on a fresh folder) both find no file; the one
        // whose create loses reads the winner's file. That file appears complete, except on a file system
        // without hard links, where it may for a moment be empty: the loser tries again for up to a second.
        var lostCreationRace = false
        var attempts = 0
        while true {
            attempts += 1
            guard let text = try KeyFile.read(path) else {
                let ring = KeyRing(freshKeyNamed: "k1")
                if try KeyFile.createExclusively(path, contents: ring.serialized()) {
                    return (ring, true)
                }
                lostCreationRace = true
                continue
            }
            do {
                return (try KeyRing(parsing: text, source: "key file \(path)"), false)
            } catch  where lostCreationRace && attempts < 40 {
                usleep(25_000)
            }
        }
    }

    /// Replaces the key file with `ring`, atomically: a new file with mode 0600 in the same folder, written and
    /// flushed to disk, then renamed over the old one. A crash leaves either the old or the new file, never a
    /// torn one.
    ///
    /// Refuses a ring that came from `KILPI_MASTER_KEY`, and refuses while that variable is set (the file would
    /// be ignored): the operator must put the new keys into the variable.
    public static func save(
        _ ring: KeyRing,
        path: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(VaultError) {
        guard !ring.isFromEnvironment, environment[KeyRing.environmentVariable] == nil else {
            throw .keysFromEnvironment(
                "the vault keys come from \(KeyRing.environmentVariable), so Kilpi cannot store them: update the "
                    + "variable yourself (one \"<key id> <base64>\" per line or ';'-separated, oldest first): \(ring)"
            )
        }
        try KeyFile.replace(path, contents: ring.serialized())
    }
}

extension KeyRing {
    init(freshKeyNamed id: String) {
        // Cannot fail: one key, a valid id.
        try! self.init(keys: [VaultKey.generate(id: id)])
    }
}

extension KeyRingSource {
    /// Reads the key ring again for a process that already runs (a server picking up the key a concurrent
    /// `kilpi keys rotate` added): like `load`, but never creates a key file, since a missing file now means a
    /// mistake, not a first start.
    public static func reload(
        path: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(VaultError) -> KeyRing {
        if let value = environment[KeyRing.environmentVariable] {
            return try KeyRing(parsingEnvironmentValue: value)
        }
        guard let text = try KeyFile.read(path) else {
            throw .keyFileUnavailable("key file \(path) no longer exists")
        }
        return try KeyRing(parsing: text, source: "key file \(path)")
    }
}
