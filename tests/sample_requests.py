"""Request payloads shared by test directories (tests/ is on sys.path via the root
conftest, so any test can ``from sample_requests import ...``)."""

from __future__ import annotations

from typing import Any

# A complete BC Art 29 preservation request from the Romanian investigator.
PRESERVATION: dict[str, Any] = {
    "template": "preservation",
    "to": "polderhost",
    "channel": "network_24_7",
    "evidence": ["c2_logs"],
    "fields": {
        "requesting_authority": "DIICOT, Bucharest — 24/7 contact +40 21 000 0000",
        "offence": "Ransomware attack on a logistics company (BC Art 5)",
        "data_sought": "Connection logs of 203.0.113.47, 2026-03-01 22:10–23:55 CET",
        "custodian": "Polderhost B.V., Amsterdam",
        "necessity": "Logs are deleted after four days",
        "mla_to_follow": True,
        "confidentiality": True,
    },
}
