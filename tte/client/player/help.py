"""F1 help for each role: what it does in real life and in the game.

Copied from shared/domain.md (the app must not read it at run time); article numbers are
those of the Budapest Convention (BC, ETS 185) and its Second Additional Protocol (2AP).
"""

from __future__ import annotations

COMMON = """
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
| Ctrl+Q | quit |

The mouse works everywhere: click tabs, rows and buttons.

## Things that go wrong (and cost evidence)

- **Data deleted before preservation**: provider logs live days, not months. Delay costs evidence.
- **Preservation is not production**: preserved data (BC Art 29) is frozen, not handed over,
  until an MLA request (BC Art 31) or a 2AP order is executed.
- **Preservation lapses** after 60 days (BC Art 29(7)) without MLA or extension.
- **Wrong channel**: preservation through MLA takes weeks; MLA through the 24/7 network is
  not a valid request; police-channel information is never evidence at trial.
- **Incomplete request**: a missing mandatory element gets it returned. For IP data, the
  date, time, **time zone** (and source port behind carrier-grade NAT) are essential.
- **Overbroad** ("all data on the account"): narrowed or refused.
- **Emergency without a threat to life**: 2AP Art 9/10 refused.
- **Instrument not in force**: the 2AP applies only where both Parties apply it; check
  the Directory for reservations.
- **Tipping off**: without "confidentiality requested" (BC Art 27(8), 28) a provider may
  warn its customer, who wipes the server.
"""

ROLES: dict[str, str] = {
    "investigator": """
# Investigator

**Real life:** the cybercrime police unit. You lead the investigation and build the case file.

**In the game you:**
- ask for **preservation** (BC Art 29) of volatile data abroad through your own **24/7
  point of contact**: it freezes the data, it does not hand it over;
- draft **MLA requests** (BC Art 31) for your prosecutor to approve and sign; the central
  authority then transmits them — the formal route to **admissible** evidence (6–24 months
  in practice, T-CY 2014);
- send **police-to-police** requests (Europol SIENA, INTERPOL I-24/7): fast, but only
  **leads**, never trial evidence;
- use 2AP Art 6 (domain registration) and, with your prosecutor, Art 7 orders where both
  countries apply the Protocol.
""",
    "poc": """
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
""",
    "central_authority": """
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
- **refuse** on a legal ground: political offence, sovereignty/security/ordre public
  (BC Art 27(4)), postponement for your own case (Art 27(5)), conditions (Art 28);
- forward complete requests for execution.
""",
    "prosecutor": """
# Prosecutor

**Real life:** the prosecution service that leads the case and takes it to trial.

**In the game you:**
- **approve and sign** MLA requests and 2AP Art 7 orders drafted by your investigator —
  check the mandatory elements first (a missing time zone gets it returned abroad);
- return a draft to the investigator with what is missing;
- agree **joint investigation teams** (2AP Art 12, EU JITs via Eurojust): members obtain
  measures in each other's territory without new MLA requests;
- only evidence obtained through a formal path (MLA, 2AP Art 7/8 order, JIT) is admissible.
""",
    "facilitator": "# Facilitator\n\nUse the facilitator console (`tte console`) to steer.",
    "observer": "# Observer\n\nYou see everything and change nothing; rate objectives.",
}


def role_help(role: str) -> str:
    return ROLES.get(role, f"# {role}\n") + COMMON
