import KilpiCore

/// The security measures register: its public page and JSON, and the console where responders keep it (an
/// incident's "strengthen security" tasks start entries here) and trust-center keepers choose what is public.
extension Routes {
    public static let publicMeasures = Route(
        .get,
        "/measures",
        .publicAccess,
        "The security measures register: what the company does, each with its status and last review"
    )
    public static let publicMeasuresAPI = Route(
        .get,
        "/api/public/v1/measures",
        .publicAccess,
        "The public security measures as JSON"
    )
    public static let measures = Route(
        .get,
        "/console/trust/measures",
        .console(.incidentView),
        "Security measures register (?task= starts one from an incident task)"
    )
    public static let measureCreate = Route(
        .post,
        "/console/trust/measures",
        .console(.incidentContribute),
        "Add a security measure"
    )
    public static let measure = Route(.get, "/console/trust/measures/:id", .console(.incidentView), "One measure")
    public static let measureUpdate = Route(
        .post,
        "/console/trust/measures/:id",
        .console(.incidentContribute),
        "Change a measure (its status, owner, due day, review, findings, evidence)"
    )
    public static let measureVisibility = Route(
        .post,
        "/console/trust/measures/:id/public",
        .console(.trustCenterManage),
        "Show a measure on the public trust center or take it off"
    )

    static let trustCenterMeasures: [Route] = [
        publicMeasures, publicMeasuresAPI, measures, measureCreate, measure, measureUpdate, measureVisibility,
    ]
}
