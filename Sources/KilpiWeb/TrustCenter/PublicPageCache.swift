import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// The trust center's rendered pages and feeds, so a rush after the news is served from memory: each answer
/// is kept per path and language with a strong ETag, until `lifetime` has passed, the next scheduled post goes
/// out, or anything public changes in this process (`invalidate()`, on every publish, correction, withdrawal and
/// register change). Another process sees a change within `lifetime`. An `If-None-Match` that names the current
/// ETag gets 304 with no body.
final class PublicPageCache: Sendable {
    struct Page: Sendable {
        let body: ByteBuffer
        let contentType: String
        let etag: String
        let status: HTTPResponse.Status
        let expires: ContinuousClock.Instant
        let generation: Int
    }

    struct Key: Hashable, Sendable {
        let path: String
        let language: String
    }

    let lifetime: Duration
    private let state = Mutex<(generation: Int, pages: [Key: Page])>((0, [:]))
    /// Past this many pages (paths × languages) the expired ones are dropped, and if none is, all of them.
    static var limit: Int { 2_000 }

    init(lifetime: Duration) {
        self.lifetime = lifetime
    }

    /// Drops every kept page: the next request renders afresh.
    func invalidate() {
        state.withLock { state in
            state.generation += 1
            state.pages = [:]
        }
    }

    var count: Int { state.withLock { $0.pages.count } }

    /// The answer for `key`: kept or freshly made by `render` (which also says until when its content holds,
    /// such as the next scheduled release). A nil render is a 404 the caller makes (not kept).
    func respond(
        to request: Request,
        key: Key,
        privateAnswer: Bool,
        at date: Date,
        render: () async throws -> (body: String, contentType: String, validUntil: Date?)?
    ) async throws -> Response? {
        let now = ContinuousClock.now
        let kept = state.withLock { state -> Page? in
            guard let page = state.pages[key], page.expires > now, page.generation == state.generation else {
                return nil
            }
            return page
        }
        let page: Page
        if let kept {
            page = kept
        } else {
            let generation = state.withLock { $0.generation }
            guard let made = try await render() else { return nil }
            var expires = now.advanced(by: lifetime)
            if let until = made.validUntil {
                let left = until.timeIntervalSince(date)
                expires = min(expires, now.advanced(by: .milliseconds(Int64(max(0, left) * 1000))))
            }
            var buffer = ByteBuffer(string: made.body)
            let etag = "\"\(String(Self.fingerprint(&buffer), radix: 36))-\(generation)\""
            page = Page(
                body: buffer,
                contentType: made.contentType,
                etag: etag,
                status: .ok,
                expires: expires,
                generation: generation
            )
            state.withLock { state in
                // A page rendered while something changed is served once but not kept.
                guard state.generation == generation else { return }
                if state.pages.count >= Self.limit {
                    state.pages = state.pages.filter { $0.value.expires > now }
                    if state.pages.count >= Self.limit { state.pages = [:] }
                }
                state.pages[key] = page
            }
        }
        var headers: HTTPFields = [
            .eTag: page.etag,
            .cacheControl: privateAnswer ? "private, max-age=30" : "public, max-age=30",
            .vary: "Accept-Language, Cookie",
        ]
        if Self.matches(request.headers[.ifNoneMatch], page.etag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = page.contentType
        return Response(status: page.status, headers: headers, body: .init(byteBuffer: page.body))
    }

    /// Whether an `If-None-Match` value names `etag` (weak comparison, as RFC 9110 asks for this header).
    static func matches(_ header: String?, _ etag: String) -> Bool {
        guard let header else { return false }
        let wanted = etag.hasPrefix("W/") ? String(etag.dropFirst(2)) : etag
        for candidate in header.split(separator: ",") {
            var tag = candidate.trimmingCharacters(in: .whitespaces)
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag = String(tag.dropFirst(2)) }
            if tag == wanted { return true }
        }
        return false
    }

    /// FNV-1a over the bytes: an ETag only has to change when the page does.
    static func fingerprint(_ buffer: inout ByteBuffer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        buffer.withUnsafeReadableBytes { bytes in
            for byte in bytes {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
        }
        return hash
    }
}
