import Foundation

/// The playbooks Kilpi ships, one per threat kind, read from `Resources/playbooks/*.json`. Every text is in English,
/// Finnish and Swedish; the Finnish and the Swedish are first translations awaiting native review.
public enum DefaultPlaybooks {
    /// Every shipped playbook, sorted by id. A shipped file that does not parse is a packaging bug, so this throws.
    public static func all() throws -> [Playbook] {
        guard let folder = Bundle.module.url(forResource: "playbooks", withExtension: nil) else {
            throw DocumentError(at: "Resources/playbooks", .l("missing from the build", "puuttuu koosteesta"))
        }
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        return try files.map { file in
            do {
                return try PlaybookParser.parse(try Data(contentsOf: file))
            } catch let error as DocumentError {
                throw DocumentError(error.place, error.message, file: file.lastPathComponent)
            }
        }
    }
}
