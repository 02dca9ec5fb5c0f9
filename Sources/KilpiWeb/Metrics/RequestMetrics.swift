import Foundation
import Synchronization

/// Request counts and a latency histogram per route template and status class, in Prometheus text format.
/// Labels are route templates, never raw paths, so tokens in URLs cannot leak into metrics.
final class RequestMetrics: Sendable {
    static let buckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private struct Series {
        var count = 0
        var sum = 0.0
        var bucketCounts = [Int](repeating: 0, count: RequestMetrics.buckets.count)
    }

    private struct Key: Hashable, Comparable {
        let method: String
        let route: String
        let status: Int
        static func < (a: Key, b: Key) -> Bool { (a.route, a.method, a.status) < (b.route, b.method, b.status) }
    }

    private let series = Mutex<[Key: Series]>([:])

    func record(method: String, route: String, status: Int, seconds: Double) {
        series.withLock { all in
            var entry = all[Key(method: method, route: route, status: status)] ?? Series()
            entry.count += 1
            entry.sum += seconds
            for (index, bound) in Self.buckets.enumerated() where seconds <= bound { entry.bucketCounts[index] += 1 }
            all[Key(method: method, route: route, status: status)] = entry
        }
    }

    func prometheusText() -> String {
        let snapshot = series.withLock { $0 }
        var out =
            "# HELP kilpi_http_requests_total HTTP requests by route and status.\n# TYPE kilpi_http_requests_total counter\n"
        for key in snapshot.keys.sorted() {
            out += "kilpi_http_requests_total{\(labels(key))} \(snapshot[key]!.count)\n"
        }
        out +=
            "# HELP kilpi_http_request_duration_seconds Request latency by route.\n# TYPE kilpi_http_request_duration_seconds histogram\n"
        for key in snapshot.keys.sorted() {
            let entry = snapshot[key]!
            for (index, bound) in Self.buckets.enumerated() {
                out +=
                    "kilpi_http_request_duration_seconds_bucket{\(labels(key)),le=\"\(bound)\"} \(entry.bucketCounts[index])\n"
            }
            out += "kilpi_http_request_duration_seconds_bucket{\(labels(key)),le=\"+Inf\"} \(entry.count)\n"
            out += "kilpi_http_request_duration_seconds_sum{\(labels(key))} \(entry.sum)\n"
            out += "kilpi_http_request_duration_seconds_count{\(labels(key))} \(entry.count)\n"
        }
        return out
    }

    private func labels(_ key: Key) -> String {
        "method=\"\(key.method)\",route=\"\(escape(key.route))\",status=\"\(key.status)\""
    }

    private func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
