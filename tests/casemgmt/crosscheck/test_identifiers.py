"""The identifiers criminals leave besides names: postal addresses, bank accounts, IP addresses,
crypto-currency addresses and handles: checked at intake (a clear message naming the field),
shown on the case page, in the API, and matched exactly after normalisation with their own reason."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from casemgmt.crosscheck.identifiers import (
    normalise_address,
    normalise_bic,
    normalise_crypto,
    normalise_handle,
    normalise_iban,
    normalise_ip,
)
from casemgmt.crosscheck.models import CrossCheckHit
from casemgmt.crosscheck.normalise import NormalisationError
from casemgmt.models import BankAccount, Case, CryptoAddress, Handle, IpAddress
from casemgmt.schemas import validate_intake
from tests.casemgmt.conftest import make_payload

# Published test vectors: the IBAN of ISO 13616's example, BIP-173 / BIP-350 and EIP-55 addresses.
IBAN = "DE89 3704 0044 0532 0130 00"
BECH32 = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
BECH32M = "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"
P2PKH = "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"
ETH = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"

NEW_KINDS = [
    {"kind": "address", "country": "BE", "postcode": "1000", "city": "Brussel", "street": "Wetstraat",
     "number": "16"},
    {"kind": "bank_account", "iban": IBAN, "bic": "cobadeff", "holder": "J. Kowalski"},
    {"kind": "ip_address", "address": "2001:0db8:0000:0000:0000:0000:0000:0001"},
    {"kind": "crypto_address", "address": BECH32},
    {"kind": "handle", "platform": "Telegram", "handle": "https://t.me/Courier_77"},
]


@pytest.mark.parametrize("written, expected", [
    ((IBAN,), "DE89370400440532013000"),
    (("be71 0961 2345 6769",), "BE71096123456769"),
])
def test_an_iban_is_compacted_and_its_check_digits_verified(written, expected):
    assert normalise_iban(*written) == expected
    wrong = expected[:2] + ("00" if expected[2:4] != "00" else "11") + expected[4:]
    with pytest.raises(NormalisationError, match="check digits"):
        normalise_iban(wrong)


def test_a_bic_has_8_or_11_characters():
    assert normalise_bic("gkcc be bb") == "GKCCBEBB"
    with pytest.raises(NormalisationError, match="not a BIC"):
        normalise_bic("GKCC")


def test_ip_addresses_in_their_compressed_form():
    assert normalise_ip(" 192.0.2.1 ") == "192.0.2.1"
    assert normalise_ip("2001:0DB8:0:0:0:0:0:1") == normalise_ip("[2001:db8::1]") == "2001:db8::1"
    assert normalise_ip("::ffff:192.0.2.1") == "192.0.2.1"  # IPv4-mapped is the IPv4 address
    for bad in ("192.0.2.300", "192.0.2.1:443", "example.org"):
        with pytest.raises(NormalisationError, match="not an IP address"):
            normalise_ip(bad)


def test_bitcoin_and_ethereum_addresses_are_checked():
    assert normalise_crypto(P2PKH) == f"BTC:{P2PKH}"
    assert normalise_crypto(BECH32.upper()) == f"BTC:{BECH32}"
    assert normalise_crypto(BECH32M, "btc") == f"BTC:{BECH32M}"
    assert normalise_crypto(ETH) == normalise_crypto(ETH.lower()) == f"ETH:{ETH.lower()}"
    for bad, why in ((P2PKH[:-1] + "3", "Base58Check"), (BECH32[:-1] + "5", "Bech32"),
                     (ETH[:-1] + "D", "EIP-55"), ("hello", "neither")):
        with pytest.raises(NormalisationError, match=why):
            normalise_crypto(bad)
    with pytest.raises(NormalisationError, match="Ethereum address, not BTC"):
        normalise_crypto(ETH, "BTC")


def test_handles_and_addresses_are_compared_as_one_writes_them():
    assert normalise_handle("Twitter", "@Courier") == normalise_handle("x", "https://x.com/courier") == "x:courier"
    assert normalise_handle("whatsapp", "+32 470 12 34 56") == "whatsapp:+32470123456"
    with pytest.raises(NormalisationError, match="not a known platform"):
        normalise_handle("myspace2", "courier")
    assert normalise_address("be", "1000", "Rue de la Loi", "16") == "BE|1000|rue de la loi|16"
    assert normalise_address("DE", "10 115", "Hauptstr.", "5 a") == normalise_address("DE", "10115", "Hauptstraße", "5A")


def test_intake_takes_the_new_kinds_and_names_the_field_of_a_bad_value():
    payload, errors = validate_intake(make_payload(entities=NEW_KINDS))
    assert errors == {}
    bank, ip, crypto, handle = payload.entities[1:]
    assert (bank.iban, bank.bic) == ("DE89370400440532013000", "COBADEFF")
    assert ip.address == "2001:db8::1" and (crypto.currency, crypto.address) == ("BTC", BECH32)
    assert (handle.platform, handle.handle) == ("telegram", "courier_77")
    _, errors = validate_intake(make_payload(entities=[{"kind": "bank_account", "iban": "DE89 3704 0044 0532 0130 01"},
                                                       {"kind": "ip_address", "address": "10.0.0.256"},
                                                       {"kind": "crypto_address", "address": ETH[:-1] + "D"},
                                                       {"kind": "address", "country": "BE", "street": "Wetstraat"}]))
    assert "check digits" in errors["entities.0.iban"]
    assert "not an IP address" in errors["entities.1.address"]
    assert "EIP-55" in errors["entities.2.address"]
    assert "entities.3.postcode" in errors


def test_two_cases_with_the_same_account_and_handle_meet_with_their_own_reasons(intake, login_as, db):
    client, officer = login_as("officer", "BE")
    first_id, first_no, _ = intake("BE", officer, subject="Money mule ring", entities=NEW_KINDS)
    later = [{"kind": "bank_account", "iban": "de89370400440532013000"},
             {"kind": "ip_address", "address": "2001:db8::1"},
             {"kind": "crypto_address", "address": BECH32.upper(), "currency": "BTC"},
             {"kind": "handle", "platform": "tg", "handle": "@COURIER_77"},
             {"kind": "address", "country": "be", "postcode": "1000", "street": "Wetstraat", "number": "16"}]
    second_id, second_no, _ = intake("BE", officer, subject="Fraud", counterpart_country="FR", entities=later)
    db.rollback()
    hits = {h.query_ref.split(":")[2]: h for h in db.scalars(select(CrossCheckHit).where(
        CrossCheckHit.case_id == second_id))}
    assert set(hits) == {"bank_account", "ip_address", "crypto_address", "handle", "address"}
    assert {h.matched_case_id for h in hits.values()} == {first_id}
    assert hits["bank_account"].level == "strong"
    assert hits["bank_account"].reasons[0] == "same bank account (IBAN) DE89 3704 0044 0532 0130 00"
    assert hits["crypto_address"].level == "strong" and "Bitcoin" in hits["crypto_address"].reasons[0]
    assert hits["handle"].reasons[0] == "same account Telegram @courier_77"
    # shared by many: a lead to review, and the hit says why it is not stronger
    for kind, what in (("ip_address", "NAT, VPN"), ("address", "share one address")):
        assert hits[kind].level == "possible" and what in hits[kind].reasons[0]
        assert hits[kind].reasons[-1].startswith("possible, not strong:")
    page = client.get(f"/cases/{second_no}/crosscheck").get_data(as_text=True)
    assert "same bank account (IBAN)" in page and first_no in page
    case_page = client.get(f"/cases/{first_no}").get_data(as_text=True)
    assert "IBAN DE89 3704 0044 0532 0130 00" in case_page and "Telegram @courier_77" in case_page
    assert "IP 2001:db8::1" in case_page and "Wetstraat 16, 1000 Brussel (BE)" in case_page


def test_the_case_page_form_adds_an_account_and_refuses_a_bad_iban_beside_the_field(login_as, intake, db):
    case_id, number, _ = intake("BE")
    client, _ = login_as("officer", "BE")
    r = client.post_form(f"/cases/{number}/entities", {"en-kind": "bank_account", "en-iban": "BE71 0961 2345 6760",
                                                      "en-justification": "Named in the follow-up"})
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and 'id="en-iban-error"' in page and "check digits are wrong" in page
    db.rollback()
    assert db.scalar(select(func.count(BankAccount.id)).where(BankAccount.case_id == case_id)) == 0
    r = client.post_form(f"/cases/{number}/entities", {"en-kind": "handle", "en-platform": "Instagram",
                                                      "en-handle": "@Night.Owl", "en-justification": "Named"})
    assert r.status_code == 302
    db.rollback()
    assert db.scalar(select(Handle.handle).where(Handle.case_id == case_id)) == "night.owl"


def test_the_api_adds_an_ip_address_and_names_the_field_of_a_bad_one(api, intake, make_user, db):
    officer = make_user("officer", "BE")
    _, number, _ = intake("BE", officer)
    bad = api(officer).post(f"/api/v1/cases/{number}/entities", json={
        "entity": {"kind": "crypto_address", "address": P2PKH[:-1] + "3"}, "justification": "follow-up"})
    assert bad.status_code == 422 and "Base58Check" in bad.get_json()["error"]["fields"]["entity.crypto_address.address"]
    ok = api(officer).post(f"/api/v1/cases/{number}/entities", json={
        "entity": {"kind": "ip_address", "address": "198.51.100.7"}, "justification": "follow-up"})
    assert ok.status_code == 201 and ok.get_json()["entities"][0]["label"] == "IP 198.51.100.7"
    db.rollback()
    case = db.scalar(select(Case).where(Case.registration_number == number))
    assert db.scalar(select(IpAddress.address).where(IpAddress.case_id == case.id)) == "198.51.100.7"
    assert db.scalar(select(func.count(CryptoAddress.id))) == 0


def test_the_demo_has_a_money_mule_case_whose_account_and_handle_are_in_the_reference_data(app, db):
    from casemgmt.crosscheck.models import ReferenceDataset
    from portal.demo import load_demo

    with app.extensions["spoc_db"].unit_of_work() as s:
        load_demo(s, "demo-password-1")
    db.rollback()
    mule = db.scalar(select(Case.id).where(Case.subject == "Demo cross-check: money mule accounts"))
    hits = db.scalars(select(CrossCheckHit).where(CrossCheckHit.case_id == mule,
                                                  CrossCheckHit.source == "dataset:wanted-persons-demo")).all()
    reasons = [r for h in hits for r in h.reasons]
    assert "same bank account (IBAN) NL91 ABNA 0417 1643 00" in reasons
    assert "same account Telegram @sanne_vdb" in reasons
    assert any("particle written joined and apart" in r for r in reasons)
    datasets = {d.name: d for d in db.scalars(select(ReferenceDataset).where(ReferenceDataset.country_code == "BE"))}
    assert all(d.legal_basis and d.owner and d.extract_date and d.refresh_days for d in datasets.values())
    assert [n for n, d in datasets.items() if d.is_expired()] == ["interpol-diffusions-2024-demo"]
    assert not db.scalars(select(CrossCheckHit).where(
        CrossCheckHit.source == "dataset:interpol-diffusions-2024-demo")).all()


def test_the_intake_form_takes_one_identifier_per_line_and_shows_a_bad_one_beside_its_field(login_as, db):
    client, _ = login_as("officer", "BE")
    form = {"channel": "SIENA", "direction": "in", "type": "request", "received_at": "2026-03-02T09:15",
            "counterpart_country": "DE", "counterpart_type": "spoc", "subject": "Phishing wave",
            "person_category": "unknown", "bank_accounts": "DE89 3704 0044 0532 0130 01, COBADEFF",
            "ip_addresses": "203.0.113.9", "handles": "telegram @courier_77",
            "addresses": "Wetstraat; 16; 1000; Brussel; be", "crypto_addresses": f"{ETH}, ETH"}
    r = client.post_form("/cases/new", form)
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and 'id="bank_accounts-error"' in page and "check digits are wrong" in page
    db.rollback()
    assert db.scalar(select(func.count(Case.id))) == 0
    r = client.post_form("/cases/new", {**form, "bank_accounts": "DE89 3704 0044 0532 0130 00, COBADEFF"})
    assert r.status_code == 302, r.get_data(as_text=True)[:3000]
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    for label in ("IBAN DE89 3704 0044 0532 0130 00 · BIC COBADEFF", "IP 203.0.113.9", "Telegram @courier_77",
                  "Wetstraat 16, 1000 Brussel (BE)", f"ETH {ETH.lower()}"):
        assert label in page, label
