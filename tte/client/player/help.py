"""F1 help for each role: what it does in real life and in the game.

The legal facts the engine applies (tte.core.rules), in words for players; article numbers
are those of the Budapest Convention (BC, ETS 185), its Second Additional Protocol (2AP),
the EIO Directive 2014/41/EU and the e-Evidence Regulation (EU) 2023/1543.
"""

from __future__ import annotations

from tte.i18n import N_, _

COMMON = N_(
    """
## Keys

| key | does |
|---|---|
| F1 | this help |
| F2 … F6 | Inbox, Compose, Cases, Case file, Directory |
| F7 | the hotwash survey, once the facilitator opened it |
| F8 | your briefing: the case and what your seat should do |
| F9 | switch between the readable and the high-contrast theme |
| Ctrl+P | command palette |
| Ctrl+S | send the form (in Compose) |
| Ctrl+T | the knowledge check, while the facilitator has it open (and its answers after) |
| Ctrl+Q | quit |

The mouse works everywhere: click tabs, rows and buttons. In a form, Tab moves to the next
field; the field with the cursor has a bar at its left; Space ticks a box or a list item.

**Cases** shows each request's state and its **Deadline** (the legal time left). The
**Case file** says when each item is **deleted** ("in 2d 5h"), or until when it is
**frozen** ("frozen to 03 May"), and whether it counts at **trial** ("yes": admissible
evidence; "lead": intelligence only).
"""
)

MISTAKES = N_(
    """
## Things that go wrong (and cost evidence)

- **Data deleted before preservation**: provider logs live days, not months. Delay costs evidence.
- **Preservation is not production**: preserved data (BC Art 29) is frozen, not handed over,
  until a production request (MLA, an EIO, a 2AP or e-Evidence order) is executed.
- **The instrument depends on both ends** (Directory, F6, says what is in force with each
  country): between EU member states bound by the Directive evidence moves by a
  **European Investigation Order** (an MLA request comes back: "use an EIO"); from
  18 August 2026 also **EPOC / EPOC-PR** orders straight to a provider's EU
  representative; 2AP instruments only where both apply the Protocol; BC Arts 29–31 only
  between Budapest Parties.
- **Preservation lapses** after 60 days (BC Art 29(7)) unless extended or a request for the
  data has been received (an MLA request arrives in days; its execution takes months).
- **Wrong channel**: preservation through MLA takes weeks; MLA through the 24/7 network is
  not a valid request; the police channel shares what the *police* hold (records, earlier
  cases) as leads — never a provider's data, never evidence at trial.
- **Incomplete request**: a missing mandatory element gets it returned.
- **Imprecise request**: the provider looks the data up as you wrote it. An IP session
  needs the date and time **with the right UTC offset** (and the source port behind
  carrier-grade NAT): a wrong offset names another customer or nobody — and you learn it
  only when the answer comes back, months later.
- **Overbroad**: no identifier of the data, or no period for traffic or content, gets it
  returned ("all subscriber information for account X" is fine).
- **Language**: a request in a language the other side does not accept is returned;
  translating it costs your translation desk time.
- **Emergency without a threat to life**: 2AP Art 9/10 refused; so is data that does not
  relate to the threat, and a request still pending when the emergency ends.
- **Instrument not in force**: the 2AP applies only where both Parties apply it; check
  the Directory for reservations.
- **Tipping off**: without "confidentiality requested" (BC Art 27(8), 28) a provider may
  warn its customer, who wipes the server.
"""
)

ROLES: dict[str, str] = {
    "investigator": N_(
        """
# Investigator

**Real life:** the cybercrime police unit. You lead the investigation and build the case file.

**In the game you:**
- ask for **preservation** (BC Art 29) of volatile data abroad through your own **24/7
  point of contact**: it freezes the data, it does not hand it over;
- draft the request that obtains the evidence — **MLA** (BC Art 31) for your prosecutor to
  sign and the central authority to transmit, an **EIO** between EU member states, a 2AP
  or e-Evidence order where it applies — the formal route to **admissible** evidence
  (MLA: 6–24 months in practice, T-CY 2014);
- send **police-to-police** requests (Europol SIENA, INTERPOL I-24/7): fast, but only
  **leads**, never trial evidence;
- use 2AP Art 6 (domain registration) and, with your prosecutor, Art 7 orders where both
  countries apply the Protocol.
"""
    ),
    "poc": N_(
        """
# 24/7 point of contact

**Real life:** the national 24/7 contact point (BC Art 35), reachable day and night.

**In the game you:**
- send and receive **preservation** requests (BC Art 29) and **expedited disclosure of
  traffic data** (BC Art 30);
- **forward** incoming preservation requests to the domestic provider without delay, and
  pass your own investigator's requests to the foreign 24/7 point;
- handle 2AP Art 9 **emergency disclosure** — only for a significant and imminent risk to
  a person's life or safety (2AP Art 3);
- return a request with the missing elements, or refuse it on a legal ground.
"""
    ),
    "central_authority": N_(
        """
# Central authority (mutual legal assistance)

**Real life:** the ministry of justice or prosecutor general's office that sends and receives
MLA requests.

**In the game you:**
- **transmit** your country's MLA requests (BC Art 31, 2AP Art 8, Art 10) abroad once the
  prosecutor has signed them;
- check incoming requests for **formal completeness** (authorities, case reference, legal
  basis, offence and penalties, facts, data with identifiers, **date, time and time zone**,
  link to the offence, earlier preservation request) and **return** incomplete ones, naming
  what is missing;
- **refuse** on a legal ground of the treaty in force between you (the 1959 Convention
  Art 2 between its Parties, BC Art 27(4) only where no treaty applies): political
  offence, sovereignty/security/ordre public; postpone for your own case; conditions;
- when another State's order reaches a provider in your country and you were notified
  (2AP Art 7(5)), you may have it stopped on those grounds;
- send complete incoming requests for execution: the button reads **Send for execution**
  on a request for your country and **Transmit to** the other country on your own.
"""
    ),
    "prosecutor": N_(
        """
# Prosecutor

**Real life:** the prosecution service that leads the case and takes it to trial.

**In the game you:**
- **approve and sign** MLA requests and 2AP Art 7 orders, and issue or validate EIOs and
  e-Evidence orders, drafted by your investigator —
  check the mandatory elements first (a missing time zone gets it returned abroad);
- return a draft to the investigator with what is missing;
- agree **joint investigation teams** on any basis you share (EU rules via Eurojust,
  ETS 182 Art 20, 2AP Art 12, UNTOC Art 19): members obtain
  measures in each other's territory without new MLA requests;
- only evidence obtained through a formal path (MLA, EIO, EPOC, 2AP Art 7/8 order, JIT) is
  admissible.
"""
    ),
    "facilitator": N_("# Facilitator\n\nUse the facilitator console (`tte console`) to steer."),
    "observer": N_("# Observer\n\nYou see everything and change nothing; rate objectives."),
}


def role_help(role: str) -> str:
    """The role's help in the reader's language (English exactly as written)."""
    head = _(ROLES[role]) if role in ROLES else f"# {role}\n"
    return head + _(COMMON) + _(MISTAKES)
