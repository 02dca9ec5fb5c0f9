import Foundation
import KilpiCore

/// The PII vault as the store uses it: field encryption plus blind indexes, over one key ring.
public struct Vault: Sendable {
    public let ring: KeyRing
    public let cipher: FieldCipher
    public let index: BlindIndex

    public init(ring: KeyRing) {
        self.ring = ring
        self.cipher = FieldCipher(ring: ring)
        self.index = BlindIndex(ring: ring)
    }

    /// A vault with a fresh random key, for tests and throwaway databases.
    public static func ephemeral() throws -> Vault {
        Vault(ring: try KeyRing(keys: [VaultKey.generate(id: "k1")]))
    }

    /// The column contexts bind each ciphertext to its column: a value moved to another column fails to open.
    enum Context {
        static let name = "customers.name"
        static let email = "customers.email"
        static let phone = "customers.phone"
        static let address = "customers.address"
        static let nationalID = "customers.national_id"
    }
}
