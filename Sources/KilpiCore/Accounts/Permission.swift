/// Something a route or command needs. Every route declares exactly one (see `KilpiWeb.Routes`).
public enum Permission: String, Sendable, CaseIterable, Codable {
    /// Open the console shell and dashboard.
    case consoleView
    /// Manage one's own account (password, second factor, sessions).
    case ownAccount
    /// Create, change and disable staff accounts.
    case usersManage
    /// List staff accounts.
    case usersView
    /// Create and revoke API tokens.
    case tokensManage
    /// Read and verify the audit log.
    case auditView
    /// See systems, categories and counts of the data map (no personal data).
    case dataMapView
    /// See customers' personal data and their data map (every view is audited).
    case customerPII
    /// Import systems, customers and holdings.
    case dataImport
    /// Export or erase a customer's data (GDPR Art. 15 and 17).
    case customerRights
    /// Download the whole list of an incident's affected customers (CSV). `customerPII` lets one look customers up
    /// one at a time; this is the bulk copy, so it is granted on its own.
    case exposureExport
    /// Read the Prometheus metrics with an API token from another host (a loopback peer needs no token). Every role
    /// holds it: a scraper's token needs no more than a viewer's.
    case metricsView
    /// See incidents, their tasks, timeline, scope counts, impact and review, the plan and its check.
    case incidentView
    /// Add timeline notes, decisions and notices; tick off tasks.
    case incidentContribute
    /// Declare incidents, change them, their status and roles, set the scope and the impact assumptions.
    case incidentManage
    /// Edit the response plan and playbooks.
    case planManage
    /// See notice templates, campaigns and their progress (counts and states; no customer data).
    case noticesView
    /// Write notice template versions (each a draft until approved).
    case noticesEdit
    /// Approve a notice template version someone else wrote (four eyes).
    case noticesApprove
    /// Create notice campaigns and start, pause, resume, cancel or retry them.
    case noticesSend
    /// See the support inbox: inquiries, their threads and SLA timers (customers' own words: personal data).
    case supportView
    /// Answer inquiries: reply (emailed to the customer), add internal notes, change status and assignee.
    case supportAnswer
    /// Write the FAQ and canned answers of an incident, and revoke customers' support links.
    case supportManage
    /// Write updates on an incident for its customers (shown on their support pages), and publish someone
    /// else's (four eyes).
    case updatesPublish
    /// Keep the trust center's registers (certificates) and choose which security measures the public sees: what
    /// the public site says the company holds and does.
    case trustCenterManage
}
