import Foundation

/// One mistake in the incident-response plan, with why it matters and how to fix it.
public struct PlanFinding: Sendable, Equatable, Codable {
    public enum Code: String, Sendable, CaseIterable, Codable {
        case roleWithoutPerson = "role_without_person"
        case noCustomerCommunication = "no_customer_communication"
        case noAuthorityNotification = "no_authority_notification"
        case missingContact = "missing_contact"
        case noPostIncidentReview = "no_post_incident_review"
        case playbookNotReviewed = "playbook_not_reviewed"
        case noRecentExercise = "no_recent_exercise"
    }

    public let code: Code
    /// What the finding is about: a role, a playbook id, a contact kind; empty for the plan as a whole.
    public let subject: String
    public let problem: LocalizedText
    public let why: LocalizedText
    public let fix: LocalizedText
}

/// Lints the plan and playbooks for the mistakes that hurt most in a real incident. Each finding is written in
/// English, Finnish and Swedish (the Finnish and the Swedish are first translations awaiting native review).
public enum PlanCheck {
    /// Playbooks and exercises older than this are stale.
    public static let maximumAge: TimeInterval = 365 * 86_400

    public static func findings(plan: ResponsePlan, playbooks: [Playbook], now: Date) -> [PlanFinding] {
        var findings: [PlanFinding] = []
        // The commander always matters; the other roles matter as soon as a playbook gives them work.
        let neededRoles = Set([IncidentRole.commander] + playbooks.flatMap { $0.steps.map(\.owner) })
        for role in IncidentRole.allCases where neededRoles.contains(role) && (plan.roles[role]?.name ?? "").isEmpty {
            findings.append(
                PlanFinding(
                    code: .roleWithoutPerson,
                    subject: role.rawValue,
                    problem: .init(
                        en: "No named person for the role \(role.nameEN).",
                        fi: "Roolille \(role.nameFI) ei ole nimetty henkilöä.",
                        sv: "Ingen person är utsedd för rollen \(role.nameSV)."
                    ),
                    why: .init(
                        en:
                            "Playbook steps owned by an unnamed role get done by nobody, and in the first hour nobody has time to decide who.",
                        fi:
                            "Nimettömän roolin tehtävät jäävät tekemättä, eikä ensimmäisellä tunnilla ole aikaa päättää tekijää.",
                        sv:
                            "Steg som ägs av en roll utan namngiven person blir inte gjorda av någon, och under den första timmen har ingen tid att bestämma vem."
                    ),
                    fix: .init(
                        en: "Name a person (with a phone number) for \(role.rawValue) under \"roles\" in the plan.",
                        fi: "Nimeä suunnitelman kohtaan \"roles\" henkilö ja puhelinnumero roolille \(role.rawValue).",
                        sv: "Utse en person (med telefonnummer) för \(role.rawValue) under \"roles\" i planen."
                    )
                )
            )
        }
        for playbook in playbooks {
            let purposes = Set(playbook.steps.compactMap(\.purpose))
            if !purposes.contains(.customerNotice) {
                findings.append(
                    PlanFinding(
                        code: .noCustomerCommunication,
                        subject: playbook.id,
                        problem: .init(
                            en: "Playbook \(playbook.id) has no step to tell affected customers.",
                            fi: "Toimintaohjeessa \(playbook.id) ei ole vaihetta asiakkaiden tiedottamiseen.",
                            sv: "Åtgärdsplanen \(playbook.id) har inget steg för att informera de berörda kunderna."
                        ),
                        why: .init(
                            en:
                                "Customers forgive a breach more readily than hearing about it late or from someone else; GDPR Art. 34 also requires telling people at high risk without undue delay.",
                            fi:
                                "Asiakkaat antavat murron helpommin anteeksi kuin sen, että kuulevat siitä myöhään tai muualta; GDPR:n 34 artikla myös vaatii kertomaan suuren riskin kohteille viipymättä.",
                            sv:
                                "Kunder förlåter ett intrång lättare än att få höra om det sent eller från någon annan; artikel 34 i GDPR kräver dessutom att personer som löper hög risk informeras utan onödigt dröjsmål."
                        ),
                        fix: .init(
                            en:
                                "Add a step with purpose customer_notice, owned by communications_lead, due within 72 hours.",
                            fi:
                                "Lisää vaihe, jonka purpose on customer_notice, vastuuna communications_lead, määräaika 72 tunnin sisällä.",
                            sv:
                                "Lägg till ett steg med purpose customer_notice, med communications_lead som ansvarig, inom 72 timmar."
                        )
                    )
                )
            }
            if !purposes.contains(.postIncidentReview) {
                findings.append(
                    PlanFinding(
                        code: .noPostIncidentReview,
                        subject: playbook.id,
                        problem: .init(
                            en: "Playbook \(playbook.id) has no post-incident review step.",
                            fi: "Toimintaohjeessa \(playbook.id) ei ole jälkiarviointia.",
                            sv: "Åtgärdsplanen \(playbook.id) har inget steg för utvärdering efter incidenten."
                        ),
                        why: .init(
                            en:
                                "Without a review the same gap lets the next attacker in, and there is no record of decisions for regulators or insurers.",
                            fi:
                                "Ilman jälkiarviointia sama aukko päästää seuraavankin hyökkääjän sisään, eikä päätöksistä jää kirjaa viranomaisille tai vakuuttajalle.",
                            sv:
                                "Utan utvärdering släpper samma lucka in nästa angripare också, och det finns inget underlag om besluten för tillsynsmyndigheter eller försäkringsbolag."
                        ),
                        fix: .init(
                            en:
                                "Add a step with purpose post_incident_review in phase post_incident, owned by the commander.",
                            fi:
                                "Lisää vaihe, jonka purpose on post_incident_review ja phase post_incident, vastuuna commander.",
                            sv:
                                "Lägg till ett steg med purpose post_incident_review i phase post_incident, med commander som ansvarig."
                        )
                    )
                )
            }
            if now.timeIntervalSince(playbook.reviewedOn) > maximumAge {
                findings.append(
                    PlanFinding(
                        code: .playbookNotReviewed,
                        subject: playbook.id,
                        problem: .init(
                            en:
                                "Playbook \(playbook.id) was last reviewed on \(UTCDay.format(playbook.reviewedOn)), over 12 months ago.",
                            fi:
                                "Toimintaohje \(playbook.id) on tarkistettu viimeksi \(UTCDay.format(playbook.reviewedOn)), yli 12 kuukautta sitten.",
                            sv:
                                "Åtgärdsplanen \(playbook.id) granskades senast \(UTCDay.format(playbook.reviewedOn)), för över 12 månader sedan."
                        ),
                        why: .init(
                            en:
                                "Systems, people, suppliers and laws change; a stale playbook sends responders to the wrong place at the worst time.",
                            fi:
                                "Järjestelmät, ihmiset, toimittajat ja lait muuttuvat; vanhentunut ohje ohjaa väärään paikkaan pahimmalla hetkellä.",
                            sv:
                                "System, människor, leverantörer och lagar förändras; en inaktuell åtgärdsplan skickar incidenthanterarna fel vid sämsta tänkbara tidpunkt."
                        ),
                        fix: .init(
                            en:
                                "Read it through with its owners, correct it and save it in the console (saving records the review date).",
                            fi:
                                "Käy ohje läpi vastuuhenkilöiden kanssa, korjaa ja tallenna konsolissa (tallennus kirjaa tarkistuspäivän).",
                            sv:
                                "Gå igenom den med de ansvariga, rätta den och spara den i konsolen (när den sparas registreras granskningsdatumet)."
                        )
                    )
                )
            }
        }
        let breachPlaybooks = playbooks.filter { $0.threatKind == .dataBreach }
        if !breachPlaybooks.contains(where: { $0.steps.contains { $0.purpose == .authorityNotice } }) {
            findings.append(
                PlanFinding(
                    code: .noAuthorityNotification,
                    subject: breachPlaybooks.first?.id ?? ThreatKind.dataBreach.rawValue,
                    problem: .init(
                        en: "No data-breach playbook has a step to notify the authorities.",
                        fi: "Tietomurron toimintaohjeessa ei ole vaihetta viranomaisille ilmoittamiseen.",
                        sv: "Ingen åtgärdsplan för dataintrång har ett steg för att anmäla till myndigheterna."
                    ),
                    why: .init(
                        en:
                            "GDPR Art. 33 gives 72 hours from awareness to notify the supervisory authority (NIS2: an early warning within 24 hours); missing it is itself a finable breach.",
                        fi:
                            "GDPR:n 33 artikla antaa 72 tuntia tietoon tulosta ilmoittaa valvontaviranomaiselle (NIS2: varhainen varoitus 24 tunnissa); myöhästyminen on itsessään sakotettava rikkomus.",
                        sv:
                            "Artikel 33 i GDPR ger 72 timmar från det att man fått kännedom om incidenten att anmäla den till tillsynsmyndigheten (NIS2: en tidig varning inom 24 timmar); att missa fristen är i sig en överträdelse som kan ge böter."
                    ),
                    fix: .init(
                        en:
                            "Add a step with purpose authority_notice, owned by legal, due within 24 hours of declaration.",
                        fi:
                            "Lisää vaihe, jonka purpose on authority_notice, vastuuna legal, määräaika 24 tunnin sisällä.",
                        sv:
                            "Lägg till ett steg med purpose authority_notice, med legal som ansvarig, inom 24 timmar från att incidenten förklarats."
                    )
                )
            )
        }
        let listed = Set(plan.contacts.map(\.kind))
        for kind in ResponsePlan.ContactKind.required where !listed.contains(kind) {
            findings.append(
                PlanFinding(
                    code: .missingContact,
                    subject: kind.rawValue,
                    problem: .init(
                        en: "The contact list has no \(kind.nameEN).",
                        fi: "Yhteystiedoista puuttuu \(kind.nameFI).",
                        sv: "Kontaktlistan saknar \(kind.nameSV)."
                    ),
                    why: .init(
                        en:
                            "In an incident the clock runs before anyone can search for phone numbers; insurers often require notice before you hire help, and authorities have fixed deadlines.",
                        fi:
                            "Tapauksen aikana kello käy ennen kuin ehtii etsiä numeroita; vakuuttaja vaatii usein ilmoituksen ennen avun tilaamista, ja viranomaisilla on kiinteät määräajat.",
                        sv:
                            "Under en incident går klockan innan någon hinner leta efter telefonnummer; försäkringsbolag kräver ofta att de underrättas innan man anlitar hjälp, och myndigheterna har fasta tidsfrister."
                    ),
                    fix: .init(
                        en:
                            "Add a contact with kind \(kind.rawValue), a name and a phone number or email under \"contacts\".",
                        fi:
                            "Lisää kohtaan \"contacts\" yhteystieto, jonka kind on \(kind.rawValue), nimi ja puhelinnumero tai sähköposti.",
                        sv:
                            "Lägg under \"contacts\" till en kontakt med kind \(kind.rawValue), ett namn och ett telefonnummer eller en e-postadress."
                    )
                )
            )
        }
        let latest = plan.exercises.map(\.date).max()
        if latest.map({ now.timeIntervalSince($0) > maximumAge }) ?? true {
            findings.append(
                PlanFinding(
                    code: .noRecentExercise,
                    subject: "",
                    problem: .init(
                        en: latest.map { "The last exercise was on \(UTCDay.format($0)), over 12 months ago." }
                            ?? "No exercise of the plan is recorded.",
                        fi: latest.map { "Viimeisin harjoitus oli \(UTCDay.format($0)), yli 12 kuukautta sitten." }
                            ?? "Suunnitelman harjoituksia ei ole kirjattu.",
                        sv: latest.map { "Den senaste övningen hölls \(UTCDay.format($0)), för över 12 månader sedan." }
                            ?? "Ingen övning av planen finns registrerad."
                    ),
                    why: .init(
                        en:
                            "A plan nobody has practised fails on its first real use: wrong numbers, unclear roles, missing access.",
                        fi:
                            "Harjoittelematon suunnitelma pettää ensimmäisessä todellisessa käytössä: väärät numerot, epäselvät roolit, puuttuvat oikeudet.",
                        sv:
                            "En plan som ingen har övat på fallerar första gången den används på riktigt: fel nummer, oklara roller, saknade behörigheter."
                    ),
                    fix: .init(
                        en:
                            "Run a tabletop exercise with the response team and record it under \"exercises\" with its date.",
                        fi: "Pidä vasteryhmän kanssa pöytäharjoitus ja kirjaa se päivämäärineen kohtaan \"exercises\".",
                        sv:
                            "Håll en skrivbordsövning med incidentgruppen och registrera den med datum under \"exercises\"."
                    )
                )
            )
        }
        return findings
    }
}
