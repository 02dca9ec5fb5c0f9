import KilpiCore

/// Every route Kilpi serves. Adding a route here without registering a handler fails at start-up
/// (see `RouteRegistry`), and the access table test walks this list.
public enum Routes {
    // Public
    public static let root = Route(
        .get,
        "/",
        .publicAccess,
        "The trust center's front page"
    )
    public static let health = Route(.get, "/healthz", .publicAccess, "Liveness and database check")
    public static let metrics = Route(
        .get,
        "/metrics",
        .loopbackOrAPI(.metricsView),
        "Prometheus metrics (from loopback, or with a token)"
    )
    public static let stylesheet = Route(.get, "/static/kilpi.css", .publicAccess, "Stylesheet")

    // Console: signing in
    public static let login = Route(.get, "/console/login", .publicAccess, "Sign-in form")
    public static let loginSubmit = Route(.post, "/console/login", .publicAccess, "Sign in")
    public static let secondFactor = Route(.get, "/console/login/second-factor", .partialSession, "Second-factor form")
    public static let secondFactorSubmit = Route(
        .post,
        "/console/login/second-factor",
        .partialSession,
        "Check second factor"
    )
    public static let enrolSecondFactor = Route(
        .get,
        "/console/account/second-factor",
        .partialSession,
        "Set up an authenticator app"
    )
    public static let enrolSecondFactorSubmit = Route(
        .post,
        "/console/account/second-factor",
        .partialSession,
        "Confirm authenticator app"
    )
    public static let logout = Route(.post, "/console/logout", .partialSession, "Sign out")
    public static let setup = Route(.get, "/console/setup/:token", .publicAccess, "First-admin setup form")
    public static let setupSubmit = Route(.post, "/console/setup/:token", .publicAccess, "Create the first admin")
    public static let enrol = Route(.get, "/console/enrol/:token", .publicAccess, "Enrolment form for new staff")
    public static let enrolSubmit = Route(
        .post,
        "/console/enrol/:token",
        .publicAccess,
        "Set a password for a new account"
    )

    // Console: signed in
    public static let dashboard = Route(.get, "/console", .console(.consoleView), "Dashboard")
    public static let account = Route(.get, "/console/account", .console(.ownAccount), "Own account")
    public static let changePassword = Route(
        .post,
        "/console/account/password",
        .console(.ownAccount),
        "Change own password"
    )
    public static let regenerateRecoveryCodes = Route(
        .post,
        "/console/account/recovery-codes",
        .console(.ownAccount),
        "New recovery codes"
    )
    public static let signOutEverywhere = Route(
        .post,
        "/console/account/sign-out-everywhere",
        .console(.ownAccount),
        "End all own sessions"
    )
    public static let users = Route(.get, "/console/users", .console(.usersView), "Staff accounts")
    public static let userCreate = Route(.post, "/console/users", .console(.usersManage), "Add a staff member")
    public static let userRole = Route(
        .post,
        "/console/users/:id/role",
        .console(.usersManage),
        "Change a staff member's role"
    )
    public static let userDisable = Route(
        .post,
        "/console/users/:id/disable",
        .console(.usersManage),
        "Disable an account"
    )
    public static let userEnable = Route(
        .post,
        "/console/users/:id/enable",
        .console(.usersManage),
        "Enable an account"
    )
    public static let userEnrolmentLink = Route(
        .post,
        "/console/users/:id/enrolment-link",
        .console(.usersManage),
        "Send a new enrolment link (earlier ones stop working)"
    )
    public static let tokens = Route(.get, "/console/tokens", .console(.tokensManage), "API tokens")
    public static let tokenCreate = Route(.post, "/console/tokens", .console(.tokensManage), "Create an API token")
    public static let tokenRevoke = Route(
        .post,
        "/console/tokens/:id/revoke",
        .console(.tokensManage),
        "Revoke an API token"
    )
    public static let audit = Route(.get, "/console/audit", .console(.auditView), "Audit log")
    public static let systems = Route(.get, "/console/systems", .console(.dataMapView), "Systems and what they hold")
    public static let customers = Route(
        .get,
        "/console/customers",
        .console(.customerPII),
        "The form to find a customer"
    )
    /// A POST so the search term (an email, say) is never in a URL, a log or the browser history.
    public static let customerSearch = Route(
        .post,
        "/console/customers",
        .console(.customerPII),
        "Find a customer by id or exact email (audited)"
    )
    public static let customer = Route(
        .get,
        "/console/customers/:id",
        .console(.customerPII),
        "A customer's data map (audited)"
    )
    public static let customerExport = Route(
        .post,
        "/console/customers/:id/export",
        .console(.customerRights),
        "Export a customer's data (GDPR Art. 15)"
    )
    public static let customerErase = Route(
        .post,
        "/console/customers/:id/erase",
        .console(.customerRights),
        "Erase a customer (GDPR Art. 17)"
    )
    public static let categoryEdit = Route(
        .get,
        "/console/categories/:id",
        .console(.dataImport),
        "Edit a data category and its advice"
    )
    public static let categoryUpdate = Route(
        .post,
        "/console/categories/:id",
        .console(.dataImport),
        "Save a data category"
    )
    public static let importForm = Route(.get, "/console/import", .console(.dataImport), "CSV import form")
    public static let importSubmit = Route(.post, "/console/import", .console(.dataImport), "Import a CSV file")

    // Console: incidents
    public static let incidents = Route(
        .get,
        "/console/incidents",
        .console(.incidentView),
        "Incidents, and the form to declare one"
    )
    public static let incidentCreate = Route(
        .post,
        "/console/incidents",
        .console(.incidentManage),
        "Declare an incident"
    )
    public static let incident = Route(
        .get,
        "/console/incidents/:id",
        .console(.incidentView),
        "An incident: status, roles, tasks, timeline"
    )
    public static let incidentUpdate = Route(
        .post,
        "/console/incidents/:id",
        .console(.incidentManage),
        "Change an incident's details and key times"
    )
    public static let incidentStatus = Route(
        .post,
        "/console/incidents/:id/status",
        .console(.incidentManage),
        "Move an incident to another status"
    )
    public static let incidentRole = Route(
        .post,
        "/console/incidents/:id/roles",
        .console(.incidentManage),
        "Assign a response role"
    )
    public static let incidentEntry = Route(
        .post,
        "/console/incidents/:id/timeline",
        .console(.incidentContribute),
        "Add a note, decision or notice to the timeline"
    )
    public static let incidentTask = Route(
        .post,
        "/console/incidents/:id/tasks/:task",
        .console(.incidentContribute),
        "Mark a task done or open"
    )
    public static let incidentScope = Route(
        .get,
        "/console/incidents/:id/scope",
        .console(.incidentView),
        "Scope versions, exposure counts and what changed"
    )
    public static let incidentScopeCreate = Route(
        .post,
        "/console/incidents/:id/scope",
        .console(.incidentManage),
        "Save a new scope version"
    )
    public static let incidentExposure = Route(
        .get,
        "/console/incidents/:id/exposure",
        .console(.customerPII),
        "Affected customers and their exposed data (audited)"
    )
    public static let incidentExposureCSV = Route(
        .post,
        "/console/incidents/:id/exposure.csv",
        .console(.exposureExport),
        "Download all affected customers as CSV (audited)"
    )
    public static let incidentImpact = Route(
        .get,
        "/console/incidents/:id/impact",
        .console(.incidentView),
        "Impact estimate and its assumptions"
    )
    public static let incidentImpactUpdate = Route(
        .post,
        "/console/incidents/:id/impact",
        .console(.incidentManage),
        "Change the impact assumptions"
    )
    public static let incidentReview = Route(
        .get,
        "/console/incidents/:id/review",
        .console(.incidentView),
        "Post-incident review (printable)"
    )
    public static let incidentLessons = Route(
        .post,
        "/console/incidents/:id/review",
        .console(.incidentManage),
        "Save the lessons learnt"
    )
    public static let plan = Route(
        .get,
        "/console/plan",
        .console(.incidentView),
        "Response plan, its check, and the playbooks"
    )
    public static let planUpdate = Route(.post, "/console/plan", .console(.planManage), "Save the response plan")
    public static let playbook = Route(.get, "/console/playbooks/:id", .console(.incidentView), "A playbook")
    public static let playbookUpdate = Route(
        .post,
        "/console/playbooks/:id",
        .console(.planManage),
        "Save (and so review) a playbook"
    )

    // Console and API: customer notices (templates, campaigns, recipients). Handlers: `Sources/KilpiWeb/Notices/`.
    public static let noticeTemplates = Route(
        .get,
        "/console/notices/templates",
        .console(.noticesView),
        "Notice templates per threat kind and language, with versions and approvals"
    )
    public static let noticeTemplateEdit = Route(
        .get,
        "/console/notices/templates/edit",
        .console(.noticesView),
        "One template (key and language): a version, its history, the editor and the preview form"
    )
    public static let noticeTemplateSave = Route(
        .post,
        "/console/notices/templates",
        .console(.noticesEdit),
        "Save a new draft version of a template (checked)"
    )
    public static let noticeTemplateApprove = Route(
        .post,
        "/console/notices/templates/:id/approve",
        .console(.noticesApprove),
        "Approve a template version someone else wrote (four eyes)"
    )
    public static let noticeTemplatePreview = Route(
        .post,
        "/console/notices/templates/:id/preview",
        .console(.customerPII),
        "Preview a template version as one affected customer (audited)"
    )
    public static let incidentCampaigns = Route(
        .get,
        "/console/incidents/:id/campaigns",
        .console(.noticesView),
        "The incident's notice campaigns, and the form to create one"
    )
    public static let incidentCampaignCreate = Route(
        .post,
        "/console/incidents/:id/campaigns",
        .console(.noticesSend),
        "Create a notice campaign from a scope version"
    )
    public static let campaign = Route(
        .get,
        "/console/campaigns/:id",
        .console(.noticesView),
        "A campaign: progress, time to notify, controls"
    )
    public static let campaignControl = Route(
        .post,
        "/console/campaigns/:id/control",
        .console(.noticesSend),
        "Start, pause, resume or cancel a campaign, or retry its failed notices"
    )
    public static let campaignRecipients = Route(
        .get,
        "/console/campaigns/:id/recipients",
        .console(.noticesView),
        "A campaign's recipients by state (customer ids and addresses only for roles that see customer data)"
    )
    public static let campaignUnreachableCSV = Route(
        .post,
        "/console/campaigns/:id/unreachable.csv",
        .console(.exposureExport),
        "Download the customers no email reached, for a letter shop (audited)"
    )
    public static let apiNoticeTemplates = Route(
        .get,
        "/api/v1/notice-templates",
        .api(.noticesView),
        "Every notice template version"
    )
    public static let apiNoticeTemplateCreate = Route(
        .post,
        "/api/v1/notice-templates",
        .api(.noticesEdit),
        "Save a new draft version of a template (checked)"
    )
    public static let apiNoticeTemplate = Route(
        .get,
        "/api/v1/notice-templates/:id",
        .api(.noticesView),
        "One template version with its text"
    )
    public static let apiNoticeTemplateApprove = Route(
        .patch,
        "/api/v1/notice-templates/:id",
        .api(.noticesApprove),
        "Approve a template version someone else wrote (four eyes)"
    )
    public static let apiCampaigns = Route(
        .get,
        "/api/v1/incidents/:id/campaigns",
        .api(.noticesView),
        "The incident's notice campaigns with their progress"
    )
    public static let apiCampaignCreate = Route(
        .post,
        "/api/v1/incidents/:id/campaigns",
        .api(.noticesSend),
        "Create a notice campaign from a scope version"
    )
    public static let apiCampaign = Route(
        .get,
        "/api/v1/campaigns/:id",
        .api(.noticesView),
        "A campaign with its progress and time to notify"
    )
    public static let apiCampaignRecipients = Route(
        .get,
        "/api/v1/campaigns/:id/recipients",
        .api(.noticesView),
        "A campaign's recipients, paged, by state (customer ids only for roles that see customer data)"
    )
    public static let apiCampaignAction = Route(
        .post,
        "/api/v1/campaigns/:id/actions",
        .api(.noticesSend),
        "Start, pause, resume or cancel a campaign, or retry its failed notices"
    )

    // JSON API
    public static let openAPI = Route(.get, "/api/v1/openapi.json", .publicAccess, "This OpenAPI document")
    public static let apiMe = Route(.get, "/api/v1/me", .api(.consoleView), "The calling token")
    public static let apiUsers = Route(.get, "/api/v1/users", .api(.usersView), "List staff accounts")
    public static let apiUserCreate = Route(
        .post,
        "/api/v1/users",
        .api(.usersManage),
        "Add a staff member; returns an enrolment link"
    )
    public static let apiTokens = Route(.get, "/api/v1/tokens", .api(.tokensManage), "List API tokens")
    public static let apiTokenRevoke = Route(.delete, "/api/v1/tokens/:id", .api(.tokensManage), "Revoke an API token")
    public static let apiAudit = Route(.get, "/api/v1/audit", .api(.auditView), "Audit entries, newest first")
    public static let apiAuditVerify = Route(.get, "/api/v1/audit/verify", .api(.auditView), "Verify the audit chain")
    public static let apiIncidents = Route(
        .get,
        "/api/v1/incidents",
        .api(.incidentView),
        "List incidents, newest first"
    )
    public static let apiIncidentCreate = Route(
        .post,
        "/api/v1/incidents",
        .api(.incidentManage),
        "Declare an incident"
    )
    public static let apiIncident = Route(
        .get,
        "/api/v1/incidents/:id",
        .api(.incidentView),
        "An incident with its roles and tasks"
    )
    public static let apiIncidentUpdate = Route(
        .patch,
        "/api/v1/incidents/:id",
        .api(.incidentManage),
        "Change details, key times or status"
    )
    public static let apiTimeline = Route(
        .get,
        "/api/v1/incidents/:id/timeline",
        .api(.incidentView),
        "The incident's timeline, oldest first"
    )
    public static let apiTimelineAdd = Route(
        .post,
        "/api/v1/incidents/:id/timeline",
        .api(.incidentContribute),
        "Add a note, decision or notice"
    )
    public static let apiScopeSet = Route(
        .post,
        "/api/v1/incidents/:id/scope",
        .api(.incidentManage),
        "Save a new scope version and compute its exposure"
    )
    public static let apiExposure = Route(
        .get,
        "/api/v1/incidents/:id/exposure",
        .api(.incidentView),
        "Exposure counts of the latest scope version and what changed"
    )
    public static let apiPlanCheck = Route(
        .get,
        "/api/v1/plan/check",
        .api(.incidentView),
        "Findings of the response-plan check"
    )

    public static let all: [Route] =
        [
            root, health, metrics, stylesheet,
            login, loginSubmit, secondFactor, secondFactorSubmit, enrolSecondFactor, enrolSecondFactorSubmit, logout,
            setup, setupSubmit, enrol, enrolSubmit,
            dashboard, account, changePassword, regenerateRecoveryCodes, signOutEverywhere,
            users, userCreate, userRole, userDisable, userEnable, userEnrolmentLink, tokens, tokenCreate, tokenRevoke,
            audit,
            systems, customers, customerSearch, customer, customerExport, customerErase, categoryEdit, categoryUpdate,
            importForm, importSubmit,
            incidents, incidentCreate, incident, incidentUpdate, incidentStatus, incidentRole, incidentEntry,
            incidentTask,
            incidentScope, incidentScopeCreate, incidentExposure, incidentExposureCSV, incidentImpact,
            incidentImpactUpdate,
            incidentReview, incidentLessons, plan, planUpdate, playbook, playbookUpdate,
            openAPI, apiMe, apiUsers, apiUserCreate, apiTokens, apiTokenRevoke, apiAudit, apiAuditVerify,
            apiIncidents, apiIncidentCreate, apiIncident, apiIncidentUpdate, apiTimeline, apiTimelineAdd, apiScopeSet,
            apiExposure, apiPlanCheck,
            noticeTemplates, noticeTemplateEdit, noticeTemplateSave, noticeTemplateApprove, noticeTemplatePreview,
            incidentCampaigns, incidentCampaignCreate, campaign, campaignControl, campaignRecipients,
            campaignUnreachableCSV,
            apiNoticeTemplates, apiNoticeTemplateCreate, apiNoticeTemplate, apiNoticeTemplateApprove, apiCampaigns,
            apiCampaignCreate, apiCampaign, apiCampaignRecipients, apiCampaignAction,
        ] + incidentUpdateRoutes + supportCustomer + supportStaff + trustCenter
}
