"""The request templates players fill in, with their legal basis and mandatory elements.

Each field cites the article that asks for it. Time figures are defaults a scenario can
override (`limits:`), not law hard-coded here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from tte.i18n import N_

ROLES = ("investigator", "poc", "central_authority", "prosecutor")
ROLE_LABELS = {
    "investigator": "Investigator",
    "poc": "24/7 point of contact",
    "central_authority": "Central authority (MLA)",
    "prosecutor": "Prosecutor",
    "facilitator": "Facilitator",
    "observer": "Observer",
}

# Data kinds (BC Art 18(3) subscriber information, Art 1(d) traffic data, content) plus the
# kinds the scenarios hold; the kind decides which instrument may obtain an item.
DATA_KINDS = (
    "subscriber",
    "traffic",
    "content",
    "registration",
    "kyc",
    "server_image",
    "financial",
)


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    basis: str
    hint: str
    mandatory: bool = True  # a legal element: missing it gets the request returned
    # text | longtext | bool | request | timezone | identifier | datetime | port | language
    kind: str = "text"


@dataclass(frozen=True)
class Template:
    id: str
    title: str
    basis: str
    # "bc" (Budapest Convention), "2ap", "eio", "e_evidence", "police", "voluntary",
    # "domestic": which treaty or law must bind both ends (rules.law)
    instrument: str
    senders: tuple[str, ...]  # roles that may start (draft) this template
    channels: tuple[str, ...]  # channels the sender may pick; the first is the correct one
    target: str  # "org" (a provider/registrar), "seat" (a foreign counterpart), "body"
    fields: tuple[Field, ...]
    data_kinds: tuple[str, ...] = DATA_KINDS  # which evidence kinds it may obtain
    outcome: str = "produce"  # produce | preserve | disclose_traffic | leads | inform | agree
    admissible: bool = True  # does what it obtains count at trial
    emergency: bool = False  # needs a significant and imminent risk to life (2AP Art 3)
    limit: float | None = None  # legal time limit for the answer, in game seconds
    help: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def field(self, name: str) -> Field | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None

    @property
    def mandatory(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.mandatory)

    def labels(self, names: list[str]) -> list[str]:
        return [f.label for f in self.fields if f.name in names]

    def to_wire(self) -> dict[str, Any]:
        """The form as clients receive it in the welcome."""
        return {
            "id": self.id,
            "title": self.title,
            "basis": self.basis,
            "channels": list(self.channels),
            "target": self.target,
            "help": self.help,
            "outcome": self.outcome,
            "data_kinds": list(self.data_kinds),
            "limit": self.limit,
            "fields": [
                {
                    "name": f.name,
                    "label": f.label,
                    "basis": f.basis,
                    "hint": f.hint,
                    "mandatory": f.mandatory,
                    "kind": f.kind,
                }
                for f in self.fields
            ],
        }


DAY = 86400.0


def replace_basis(f: Field, basis: str) -> Field:
    return Field(f.name, f.label, basis, f.hint, f.mandatory, f.kind)


_AUTH = Field("requesting_authority", "Requesting authority", "", "Who asks, with contact details")
_OFFENCE = Field(
    "offence", "Offence and brief facts", "", "The offence and a short summary", kind="longtext"
)
_CONF = Field(
    "confidentiality",
    "Confidentiality requested",
    # The requesting Party asks that the fact and subject of the request stay confidential:
    # BC Art 27(8) where no treaty applies, ETS 182 Art 25 under the 1959 Convention.
    "BC Art 27(8); ETS 182 Art 25",
    "Ask that the customer is not told; without it a provider may tip off the suspect",
    mandatory=False,
    kind="bool",
)
_DATA = Field(
    "data_sought",
    "Data sought with identifiers",
    "",
    "Name the account, IP address or domain and the period; 'all data' is overbroad",
)
_TZ = Field(
    "time_zone",
    "Date, time and time zone",
    "BC Art 31; T-CY guidance",
    "Date, time and TIME ZONE of the IP session (and source port behind carrier-grade NAT)",
    kind="timezone",
)

_THREAT = Field(
    "threat_link",
    "How the data relates to the threat",
    "2AP Art 9(3), 10(3)",
    "Why this data helps avert the risk to life (not only the investigation)",
)
_ISSUER = Field(
    "issuing_authority",
    "Issuing authority",
    "Directive 2014/41/EU Art 2(c); Regulation (EU) 2023/1543 Art 4",
    "The judge, court, investigating judge or prosecutor issuing (or validating) it",
)
_VALIDATED = Field(
    "judicial_validation",
    "Issued or validated by a judge or court",
    "Regulation (EU) 2023/1543 Art 4(2)",
    "Needed for traffic data beyond identification and for content data",
    mandatory=False,
    kind="bool",
)
_EU_CONF = Field(
    "confidentiality",
    "Confidentiality requested",
    "Directive 2014/41/EU Art 19; Regulation (EU) 2023/1543 Art 11",
    "Ask that the person concerned is not told",
    mandatory=False,
    kind="bool",
)

TEMPLATES: dict[str, Template] = {
    t.id: t
    for t in (
        Template(
            "preservation",
            "Expedited preservation of stored computer data",
            "BC Art 29",
            "bc",
            senders=("investigator", "poc"),
            channels=("network_24_7", "mla"),
            target="org",
            outcome="preserve",
            admissible=False,
            fields=(
                replace_basis(_AUTH, "BC Art 29(2)(a)"),
                replace_basis(_OFFENCE, "BC Art 29(2)(b)"),
                Field(
                    "data_sought",
                    "Data to preserve and its relation to the offence",
                    "BC Art 29(2)(c)",
                    "The stored data to freeze and how it relates to the offence",
                ),
                Field(
                    "custodian",
                    "Custodian or location of the system",
                    "BC Art 29(2)(d)",
                    "What is known of the provider or where the system is",
                ),
                Field(
                    "necessity",
                    "Why preservation is needed",
                    "BC Art 29(2)(e)",
                    "The risk that the data is deleted or altered",
                ),
                Field(
                    "mla_to_follow",
                    "MLA request will follow",
                    "BC Art 29(2)(f)",
                    "State that a request for search, seizure or disclosure will follow",
                    kind="bool",
                ),
                _CONF,
            ),
            help="Freezes data at the provider; it is NOT handed over. At least 60 days "
            "(BC Art 29(7)); follow with MLA or a 2AP order to obtain it.",
        ),
        Template(
            "traffic_disclosure",
            "Expedited disclosure of preserved traffic data",
            "BC Art 30",
            "bc",
            senders=("poc",),
            channels=("network_24_7",),
            target="org",
            outcome="disclose_traffic",
            admissible=False,
            data_kinds=("traffic",),
            fields=(
                replace_basis(_AUTH, "BC Art 30"),
                Field(
                    "preservation_ref",
                    "Preservation request",
                    "BC Art 30(1)",
                    "The preservation request under which the traffic data was frozen",
                    kind="request",
                ),
                Field(
                    "data_sought",
                    "Traffic data sought",
                    "BC Art 30(1)",
                    "Enough traffic data to identify the next provider and the path",
                ),
                _CONF,
            ),
            help="Disclosure of enough preserved traffic data to find the next provider "
            "or country in the chain; a lead, not trial evidence.",
        ),
        Template(
            "mla_stored_data",
            "Mutual assistance: accessing stored computer data",
            "BC Art 31 (+25, 27, 28)",
            "bc",
            senders=("investigator", "prosecutor"),
            channels=("mla", "jit", "network_24_7"),
            target="org",
            outcome="produce",
            fields=(
                replace_basis(_AUTH, "BC Art 27(1)"),
                Field(
                    "requested_authority",
                    "Requested authority",
                    "BC Art 27(2)",
                    "The central authority of the requested Party",
                ),
                Field("case_reference", "Case reference", "BC Art 27", "Your file number"),
                Field(
                    "legal_basis",
                    "Legal basis",
                    "BC Art 25, 31",
                    "Convention articles and your national law",
                ),
                Field(
                    "offence",
                    "Offence, penalties and summary of facts",
                    "BC Art 31",
                    "Describe the offence, its penalty and the facts",
                    kind="longtext",
                ),
                _DATA,
                _TZ,
                Field(
                    "link_to_offence",
                    "Link between the data and the offence",
                    "BC Art 31",
                    "Why this data is evidence of this offence",
                ),
                Field(
                    "preservation_ref",
                    "Earlier preservation request",
                    "BC Art 29(2)(f)",
                    "Date and reference of the preservation request, if any",
                    mandatory=False,
                    kind="request",
                ),
                Field("urgency", "Urgency", "", "Why and how fast", mandatory=False),
                _CONF,
            ),
            help="The formal route to admissible evidence: prosecutor signs, central "
            "authority transmits; 6–24 months in practice (T-CY 2014).",
        ),
        Template(
            "spontaneous_info",
            "Spontaneous information",
            "BC Art 26",
            "bc",
            senders=ROLES,
            channels=("network_24_7", "police", "mla"),
            target="seat",
            outcome="inform",
            admissible=False,
            fields=(
                Field("facts", "Facts", "BC Art 26(1)", "What you learnt", kind="longtext"),
                Field(
                    "conditions",
                    "Conditions on use / confidentiality",
                    "BC Art 26(2)",
                    "Conditions the receiver must accept before it is given",
                    mandatory=False,
                ),
            ),
            help="Unrequested information that may help another Party open its own case.",
        ),
        Template(
            "police_info",
            "Police-to-police information request",
            "Europol SIENA / INTERPOL I-24/7",
            "police",
            senders=("investigator",),
            channels=("police",),
            target="body",
            outcome="leads",
            admissible=False,
            fields=(
                Field("question", "Question", "", "What you need to know"),
                Field("offence", "Case facts", "", "Short case facts", kind="longtext"),
                Field(
                    "data_sought",
                    "Subject (identifiers)",
                    "",
                    "Identifiers to check",
                    mandatory=False,
                ),
            ),
            help="Fast intelligence through Europol, INTERPOL or foreign police: useful "
            "leads, NOT admissible at trial.",
        ),
        Template(
            "domain_registration",
            "Request for domain name registration information",
            "2AP Art 6",
            "2ap",
            senders=("investigator", "prosecutor"),
            channels=("direct",),
            target="org",
            outcome="produce",
            data_kinds=("registration",),
            fields=(
                replace_basis(_AUTH, "2AP Art 6(3)(a)"),
                Field("domain", "Domain name", "2AP Art 6(3)(b)", "The domain name"),
                Field(
                    "data_sought",
                    "Registration data sought",
                    "2AP Art 6(3)(b)",
                    "The particular data elements: registrant name, address, contact details",
                ),
                Field(
                    "statement",
                    "Statement under the 2AP",
                    "2AP Art 6(3)(c)",
                    "Issued under the Protocol; needed for a specific investigation",
                    kind="bool",
                ),
                Field("time_frame", "Time frame", "2AP Art 6(3)(d)", "When and how to disclose"),
            ),
            help="Straight to the registrar in another Party; answering is voluntary.",
        ),
        Template(
            "subscriber_order",
            "Order for subscriber information",
            "2AP Art 7",
            "2ap",
            senders=("investigator", "prosecutor"),
            channels=("direct",),
            target="org",
            outcome="produce",
            data_kinds=("subscriber",),
            limit=30 * DAY,
            fields=(
                Field(
                    "issuing_authority",
                    "Issuing authority and date",
                    "2AP Art 7(3)(a)",
                    "Prosecutor or judge issuing the order",
                ),
                Field(
                    "statement",
                    "Statement under the 2AP",
                    "2AP Art 7(3)(b)",
                    "The order is issued under the Protocol",
                    kind="bool",
                ),
                Field("offence", "Offence", "2AP Art 7(3)(e)", "The offence investigated"),
                _DATA,
                _TZ,
                Field(
                    "legal_grounds",
                    "Legal grounds and penalties",
                    "2AP Art 7(4)",
                    "Supplemental information",
                    mandatory=False,
                ),
                Field(
                    "preservation_ref",
                    "Preservation reference",
                    "2AP Art 7(4)",
                    "Earlier preservation request",
                    mandatory=False,
                    kind="request",
                ),
                Field(
                    "notification",
                    "Provider's Party notified at the same time",
                    "2AP Art 7(5)(a)",
                    "Where that Party requires it, the order, supplemental information and a "
                    "summary of the facts go to its authority simultaneously",
                    mandatory=False,
                    kind="bool",
                ),
                _CONF,
            ),
            help="Prosecutor-approved order straight to a provider in another Party: "
            "subscriber information only; 30 days. Unanswered: use Art 8 or MLA.",
        ),
        Template(
            "giving_effect",
            "Giving effect to an order (Art 8)",
            "2AP Art 8",
            "2ap",
            senders=("investigator", "prosecutor"),
            channels=("mla",),
            target="org",
            outcome="produce",
            data_kinds=("subscriber", "traffic"),
            limit=45 * DAY,
            fields=(
                Field(
                    "order_ref",
                    "The order",
                    "2AP Art 8(3)",
                    "The Art 7 order (or a new order) to give effect to",
                    kind="request",
                    mandatory=False,
                ),
                Field(
                    "offence", "Facts", "2AP Art 8(3)(a)", "Summary of the facts", kind="longtext"
                ),
                Field(
                    "legal_grounds",
                    "Legal grounds",
                    "2AP Art 8(3)(b)",
                    "Legal grounds of the order",
                ),
                _DATA,
                _TZ,
                Field(
                    "relevance",
                    "Relevance",
                    "2AP Art 8(3)",
                    "Why the data matters to the investigation",
                ),
                _CONF,
            ),
            help="The requested Party's authority compels the provider: 45 days to serve; "
            "20 days (subscriber) or 45 days (traffic) to return (2AP Art 8(6)).",
        ),
        Template(
            "emergency_disclosure",
            "Expedited disclosure in an emergency",
            "2AP Art 9",
            "2ap",
            senders=("investigator", "poc"),
            channels=("network_24_7",),
            target="org",
            outcome="produce",
            emergency=True,
            limit=1 * DAY,
            fields=(
                replace_basis(_AUTH, "2AP Art 9(3)"),
                Field(
                    "emergency_facts",
                    "Facts showing the emergency",
                    "2AP Art 3(2)(c), 9(3)",
                    "A significant and imminent risk to the life or safety of a person",
                    kind="longtext",
                ),
                _DATA,
                _THREAT,
                _CONF,
            ),
            help="Only where life or safety is at significant and imminent risk "
            "(2AP Art 3): any stored data, within hours.",
        ),
        Template(
            "emergency_mla",
            "Emergency mutual assistance",
            "2AP Art 10",
            "2ap",
            senders=("investigator", "prosecutor"),
            channels=("mla",),
            target="org",
            outcome="produce",
            emergency=True,
            limit=7 * DAY,
            fields=(
                replace_basis(_AUTH, "2AP Art 10(3)"),
                Field(
                    "offence", "Offence and facts", "2AP Art 10(3)", "MLA contents", kind="longtext"
                ),
                Field(
                    "emergency_facts",
                    "Facts showing the emergency",
                    "2AP Art 3(2)(c), 10(3)",
                    "A significant and imminent risk to the life or safety of a person",
                    kind="longtext",
                ),
                _DATA,
                _THREAT,
                _TZ,
                _CONF,
            ),
            help="MLA by the fastest means, central authorities available 24/7; only in "
            "an emergency (2AP Art 3).",
        ),
        Template(
            "jit_agreement",
            "Joint investigation team agreement",
            "EU JIT rules; ETS 182 Art 20; 2AP Art 12; UNTOC Art 19",
            "jit",
            senders=("prosecutor",),
            channels=("eurojust", "mla"),
            target="seat",
            outcome="agree",
            fields=(
                Field("purpose", "Purpose", "ETS 182 Art 20; 2AP Art 12", "Specific purpose"),
                Field(
                    "members", "Members", "ETS 182 Art 20; 2AP Art 12", "Parties and authorities"
                ),
                Field("duration", "Duration", "ETS 182 Art 20; 2AP Art 12", "How long, extendable"),
                Field("location", "Location", "ETS 182 Art 20; 2AP Art 12", "Where the team works"),
                Field(
                    "evidence_use",
                    "Use of evidence",
                    "ETS 182 Art 20; 2AP Art 12",
                    "How information obtained may be used",
                ),
                _CONF,
            ),
            help="Once agreed, members obtain measures in each other's territory without "
            "new MLA requests (channel 'jit').",
        ),
        Template(
            "eio",
            "European Investigation Order",
            "Directive 2014/41/EU",
            "eio",
            senders=("investigator", "prosecutor"),
            channels=("judicial",),
            target="org",
            outcome="produce",
            limit=120 * DAY,  # Art 12(3)-(4): recognition 30 days, execution 90 days after
            fields=(
                _ISSUER,
                Field(
                    "offence",
                    "Offence, its legal classification and the facts",
                    "Directive 2014/41/EU Art 5(1)(c), Annex A (G)",
                    "The offence, the applicable law and a summary of the facts",
                    kind="longtext",
                ),
                _DATA,
                _TZ,
                Field(
                    "link_to_offence",
                    "Why the measure is necessary and proportionate",
                    "Directive 2014/41/EU Art 6(1)(a)",
                    "Why this data is needed for these proceedings",
                ),
                Field(
                    "preservation_ref",
                    "Earlier preservation request",
                    "Directive 2014/41/EU Annex A (D)",
                    "The preservation request or order the data was frozen under",
                    mandatory=False,
                    kind="request",
                ),
                Field(
                    "urgency",
                    "Urgency",
                    "Directive 2014/41/EU Art 12(2)",
                    "Why a shorter deadline is needed",
                    mandatory=False,
                ),
                _EU_CONF,
            ),
            help="Between member states bound by the Directive: a judicial decision the "
            "executing State recognises within 30 days and executes within 90 (Art 12). "
            "It replaces MLA between them.",
        ),
        Template(
            "epoc",
            "European Production Order (EPOC)",
            "Regulation (EU) 2023/1543 Art 5",
            "e_evidence",
            senders=("investigator", "prosecutor"),
            channels=("direct",),
            target="org",
            outcome="produce",
            data_kinds=("subscriber", "traffic", "content", "registration"),
            limit=10 * DAY,  # Art 10(2); 8 hours in an emergency, Art 10(4)
            fields=(
                _ISSUER,
                _VALIDATED,
                Field(
                    "offence",
                    "Offence and summary of the facts",
                    "Regulation (EU) 2023/1543 Art 5(5)",
                    "The offence, its penalty and the grounds for necessity",
                ),
                _DATA,
                _TZ,
                Field(
                    "enforcing_notified",
                    "Enforcing State notified",
                    "Regulation (EU) 2023/1543 Art 8",
                    "Traffic (beyond identification) or content data of a person not living in "
                    "the issuing State: the enforcing State gets the certificate too",
                    mandatory=False,
                    kind="bool",
                ),
                _EU_CONF,
            ),
            help="Straight to the provider's designated establishment or legal representative "
            "in another member state: data within 10 days, 8 hours in an emergency. From "
            "18 August 2026.",
        ),
        Template(
            "epoc_pr",
            "European Preservation Order (EPOC-PR)",
            "Regulation (EU) 2023/1543 Art 6",
            "e_evidence",
            senders=("investigator", "prosecutor"),
            channels=("direct",),
            target="org",
            outcome="preserve",
            admissible=False,
            data_kinds=("subscriber", "traffic", "content", "registration"),
            fields=(
                _ISSUER,
                Field(
                    "offence",
                    "Offence and summary of the facts",
                    "Regulation (EU) 2023/1543 Art 6",
                    "The offence and why the data must not be lost",
                ),
                _DATA,
                Field(
                    "production_to_follow",
                    "A production request will follow",
                    "Regulation (EU) 2023/1543 Art 11(1)",
                    "An EPOC, EIO or MLA request for the data will be issued",
                    kind="bool",
                ),
                _EU_CONF,
            ),
            help="Freezes data at the provider for 60 days, extendable by 30 (Art 11); "
            "nothing is handed over. From 18 August 2026.",
        ),
        Template(
            "voluntary_request",
            "Request for voluntary disclosure by a provider",
            "The provider's own policy (no treaty)",
            "voluntary",
            senders=("investigator",),
            channels=("direct",),
            target="org",
            outcome="produce",
            admissible=False,
            fields=(
                replace_basis(_AUTH, "provider policy"),
                Field("offence", "Offence and brief facts", "", "Why you ask", kind="longtext"),
                _DATA,
                _TZ,
            ),
            help="Some providers answer foreign authorities on their own policy (subscriber "
            "data, or emergencies only): fast, but no order compels them and the answer is a "
            "lead, not evidence.",
        ),
        Template(
            "domestic_order",
            "Domestic production order",
            "BC Art 18 (national law)",
            "domestic",
            senders=("investigator", "prosecutor"),
            channels=("domestic",),
            target="org",
            outcome="produce",
            fields=(
                Field("offence", "Offence", "BC Art 18", "The offence investigated"),
                _DATA,
                _CONF,
            ),
            help="A production order to a provider in your own country.",
        ),
    )
}

# Templates that the prosecutor approves and signs before they leave the country.
NEEDS_SIGNATURE = frozenset(
    {
        "mla_stored_data",
        "subscriber_order",
        "giving_effect",
        "emergency_mla",
        "domestic_order",
        "eio",
        "epoc",
        "epoc_pr",
    }
)  # 2AP Art 6 requests need no prosecutor's signature: any competent authority may send

# Structured identifiers (domain.md "Precision of a request"): what the holder compares with
# its records, beside the free text. None is mandatory: a request without them is sent as
# written, and the answer says what could not be found.
_IDENT = Field(
    "identifier",
    "Identifier",
    "BC Art 31; T-CY guidance",
    "The IP address, account, domain, wallet or number as the holder records it",
    mandatory=False,
    kind="identifier",
)
_MOMENT = Field(
    "moment",
    "Date and time, with UTC offset",
    "BC Art 31; T-CY guidance",
    "The session's instant as in YOUR evidence, with its offset, e.g. 2019-05-06T21:14:09+00:00",
    mandatory=False,
    kind="datetime",
)
_PORT = Field(
    "port",
    "Source port",
    "T-CY guidance",
    "Behind carrier-grade NAT many customers share one address: the port tells them apart",
    mandatory=False,
    kind="port",
)
_LANGUAGE = Field(
    "language",
    "Language of the request",
    "1959 Convention Art 16; declarations",
    "A language the requested side accepts (ISO code, e.g. en, fr); not your own means "
    "translating it first",
    mandatory=False,
    kind="language",
)
PRECISE = frozenset(
    {
        "mla_stored_data",
        "subscriber_order",
        "giving_effect",
        "emergency_disclosure",
        "emergency_mla",
        "eio",
        "epoc",
        "voluntary_request",
        "domestic_order",
    }
)
TRANSLATED = frozenset(
    {"mla_stored_data", "giving_effect", "emergency_mla", "eio", "subscriber_order", "epoc"}
)


def _with_precision(t: Template) -> Template:
    """The template with the structured identifiers after its data field and the language
    before confidentiality, where they apply."""
    fields = list(t.fields)
    if t.id in PRECISE:
        at = next(i for i, f in enumerate(fields) if f.name == "data_sought") + 1
        fields[at:at] = [_IDENT, _MOMENT, _PORT]
    if t.id in TRANSLATED:
        at = next((i for i, f in enumerate(fields) if f.name == "confidentiality"), len(fields))
        fields.insert(at, _LANGUAGE)
    return replace(t, fields=tuple(fields))


TEMPLATES = {tid: _with_precision(t) for tid, t in TEMPLATES.items()}

# What a desk writes into a field it has nothing particular for (tte.core.policies): the
# request carries the English words, a client shows them in its reader's language.
AS_PER_CASE_FILE = N_("{label}: as per case file")
DESK_TEXTS = (
    N_("Dates and times as given, time zone UTC+01:00 (CET), source ports included"),
    N_("Hospital systems encrypted: patients' lives at imminent risk"),
)

# Grounds a requested Party may refuse on (BC Art 25(4), 27(4), 27(5), 28, 29(5)), plus the
# procedural outcomes the engine uses.
REFUSAL_GROUNDS: dict[str, str] = {
    "political_offence": "Political offence or connected with one (BC Art 27(4)(a), 29(5)(a))",
    "sovereignty": "Prejudices sovereignty, security or ordre public (BC Art 27(4)(b), 29(5)(b))",
    "dual_criminality": "No dual criminality where required (BC Art 25(5), 29(4))",
    "postponed": "Postponed: would prejudice our own investigation (BC Art 27(5))",
    "conditions": "Conditions on use and confidentiality not accepted (BC Art 28)",
    "wrong_instrument": "Another instrument applies between us (named in the message)",
    "notification_missing": "The notification our law requires was not made",
    "language": "Not in a language we accept (1959 Convention Art 16; declarations)",
    "invalid_channel": "Not a valid request on this channel",
    "instrument_not_in_force": "The instrument used is not in force between us",
    "reservation": "A reservation or declaration of the requested Party excludes this measure",
    "data_kind": "This instrument cannot obtain this kind of data",
    "no_emergency": "No significant and imminent risk to life or safety (2AP Art 3)",
    "overbroad": "Overbroad: the data sought is not specific",
    "data_unavailable": "The data no longer exists",
    "no_data": "We hold no such data",
    "declined": "The provider declines to answer voluntarily",
    "other": "Other ground (explained in the message)",
}
