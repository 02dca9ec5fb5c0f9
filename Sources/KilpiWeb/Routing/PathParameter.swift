import Hummingbird

/// A typed value taken from a route's path, such as the `:id` of `/console/incidents/:id`.
///
/// Handlers never read `context.parameters` themselves: they are registered with the parameters they take
/// (`routes.page(Routes.incident, .id) { request, context, id in … }`) and receive typed values. The registry checks
/// at start-up that a route's template declares exactly the parameters its handler takes, so a handler cannot read a
/// parameter its route does not have (an empty string or a zero before). A value that does not parse (`/incidents/x`)
/// names no resource: the answer is 404 and the handler does not run.
struct PathParameter<Value: Sendable>: Sendable {
    let name: String
    private let parse: @Sendable (String) -> Value?

    init(_ name: String, parse: @escaping @Sendable (String) -> Value?) {
        self.name = name
        self.parse = parse
    }

    /// The value in this request's path, or nil when it is absent or does not parse.
    func value(in parameters: Parameters) -> Value? {
        parameters.get(name).flatMap(parse)
    }
}

extension PathParameter where Value == Int64 {
    /// A database row id: a positive integer.
    static let id = PathParameter("id", parse: Self.positive)
    /// A playbook task's id within an incident.
    static let task = PathParameter("task", parse: Self.positive)

    private static func positive(_ text: String) -> Int64? {
        guard let value = Int64(text), value > 0 else { return nil }
        return value
    }
}

extension PathParameter where Value == String {
    /// The identifier of a thing named by a short text key (a data category, a playbook) rather than a row id.
    static let key = PathParameter("id", parse: { text in Self.bounded(text, maximum: 100) })
    /// A one-time link's secret (setup, enrolment).
    static let token = PathParameter("token", parse: { text in Self.bounded(text, maximum: 200) })

    private static func bounded(_ text: String, maximum: Int) -> String? {
        text.isEmpty || text.count > maximum ? nil : text
    }
}

extension Route {
    /// The `:name` parameters of the template, in order.
    var parameterNames: [String] {
        template.split(separator: "/").filter { $0.hasPrefix(":") }.map { String($0.dropFirst()) }
    }

    /// Why a handler taking parameters `names` cannot serve this route, or nil when they are exactly the template's.
    func parameterMismatch(_ names: [String]) -> String? {
        parameterNames == names ? nil : "\(self) declares parameters \(parameterNames) but its handler takes \(names)"
    }

    /// Stops the server at start-up when a handler's parameters are not exactly the template's.
    func requireParameters(_ names: [String]) {
        if let mismatch = parameterMismatch(names) { preconditionFailure(mismatch) }
    }
}
