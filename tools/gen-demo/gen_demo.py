#!/usr/bin/env python3
"""Generate the demo season of `releve demo`: fixtures/demo/.

A fictional "scène conventionnée", Le Quai des Arts (slug `quai-des-arts`), a subsidised
association in the fictional town of Lanvière-sur-Loire, with two months of season
(2025-11 and 2025-12, Europe/Paris), written in the two open formats of the project:

- tickets.csv        `tickets_csv` (one row per ticket), comma-delimited, UTF-8, decimal point.
                     The box-office export taken on 5 December 2025 at 08:00 (Paris): November is
                     complete, December performances carry their advance sales so far.
- tickets-later.csv  The same system exported again on 5 January 2026: every ticket of the first
                     file (same ids), the sales made since, November door sales of 22 November
                     keyed in late (offline box-office terminal) and two November tickets refunded
                     after the first export. Used by re-import tests (no double counting).
- programme.csv      `programme_csv` (one row per performance), semicolon-delimited with decimal
                     commas, as a French spreadsheet exports it, UTF-8.
- releve.toml        The configuration of the organisation, reading tickets.csv and programme.csv.
- expected-2025-11.json  Figures for November 2025 computed here independently of the Rust
                     engine (Decimal, ROUND_HALF_UP), for tests to assert.

Run from anywhere (Python 3.8+, standard library only):

    python3 tools/gen-demo/gen_demo.py              # writes fixtures/demo/*
    python3 tools/gen-demo/gen_demo.py --check      # fails if the committed files differ
    python3 tools/gen-demo/gen_demo.py --out DIR    # writes into DIR instead

The random generator has a fixed seed and every collection is iterated in a fixed order, so the
output is byte-identical from one run to the next. The checks at the end (capacities, Luhn keys,
required columns, linking) stop the script with an error message when an invariant breaks.
fixtures/demo/README.md is written by hand; the figures it quotes come from the JSON file.
Other files in fixtures/demo/ (e.g. programme-vendors.csv) are not written by this script.
"""

import csv
import io
import json
import random
import re
import sys
from datetime import datetime, timedelta
from decimal import Decimal, ROUND_HALF_UP
from pathlib import Path

SEED = 20251105
ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "fixtures" / "demo"

# The first export (tickets.csv) and the later one (tickets-later.csv), Paris local time.
CUTOFF = datetime(2025, 12, 5, 8, 0)
LATER_EXPORT = datetime(2026, 1, 5, 9, 0)
SALES_OPEN = datetime(2025, 9, 6, 10, 0)  # season launch: the box office opens

CENT = Decimal("0.01")


def money(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def fmt_money(value):
    return str(money(value))


# --- SIRET ------------------------------------------------------------------------------------


def luhn_valid(digits):
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def with_check_digit(prefix):
    """The prefix followed by the digit that makes the whole Luhn-valid."""
    for d in "0123456789":
        if luhn_valid(prefix + d):
            return prefix + d
    raise AssertionError("no Luhn digit for " + prefix)


def make_siret(siren8, nic4):
    """A SIRET whose SIREN (9 digits) and whole number (14 digits) both pass Luhn."""
    siren = with_check_digit(siren8)
    return with_check_digit(siren + nic4)


# --- Paris calendar (EU rule, enough for 2025-2026) -------------------------------------------


def last_sunday(year, month):
    d = datetime(year, month + 1, 1) - timedelta(days=1)
    while d.weekday() != 6:
        d -= timedelta(days=1)
    return d


def paris_offset(local):
    """+02:00 between the last Sunday of March 02:00 and the last Sunday of October 03:00."""
    start = last_sunday(local.year, 3).replace(hour=2)
    end = last_sunday(local.year, 10).replace(hour=3)
    return "+02:00" if start <= local < end else "+01:00"


def local_text(dt, seconds=False):
    return dt.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def rfc3339(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + paris_offset(dt)


# --- The organisation, venues, shows, performances --------------------------------------------

TOWN = "Lanvière-sur-Loire"
POSTAL = "49370"

ORG = {
    "slug": "quai-des-arts",
    "name": "Le Quai des Arts",
    "siret": make_siret("78412953", "0002"),
    "licence": "PLATESV-D-2022-004512",
    "sacem_client_id": "458213",
    "sacd_declarant_id": "870214",
    "address": "3 quai des Mariniers",
    "postal_code": POSTAL,
    "city": TOWN,
}

VENUES = {
    "GS": {"name": "Grande salle", "address": "3 quai des Mariniers", "postal": POSTAL, "city": TOWN,
           "type": "THEATRE", "capacity": 450, "tickets_address": True},
    "ST": {"name": "Studio", "address": "3 quai des Mariniers", "postal": POSTAL, "city": TOWN,
           "type": "ESPACE_POLYVALENT", "capacity": 120, "tickets_address": True},
    "PV": {"name": "Parvis", "address": "Place de l'Hôtel-de-Ville", "postal": POSTAL, "city": TOWN,
           "type": "PLEIN_AIR_PARC_LOISIRS_ATTRACTION", "capacity": 1200, "tickets_address": False},
    "MED": {"name": "Médiathèque Louise-Michel", "address": "14 rue des Écoles", "postal": POSTAL,
            "city": TOWN, "type": "ESPACE_POLYVALENT", "capacity": 60, "tickets_address": False},
}

FULL, REDUCED, SUB = ("Plein tarif", "full"), ("Tarif réduit", "reduced"), ("Abonné", "subscription")
UNIQUE = ("Tarif unique", "full")
SCHOOL = ("Tarif scolaire", "other")


def tariffs(full, reduced=None, sub=None, weights=(0.45, 0.25, 0.30)):
    out = [(FULL, full, weights[0])]
    if reduced is not None:
        out.append((REDUCED, reduced, weights[1]))
    if sub is not None:
        out.append((SUB, sub, weights[2]))
    return out


def producer(name, siren8, nic4, subsidised):
    return {"name": name, "siret": make_siret(siren8, nic4), "subsidised": subsidised}


# Money in the programme is per performance (the engine sums it over a show's performances).
SHOWS = {
    "SPC-2511": dict(title="Le Dîner des malentendus", sacem="no", discipline="theatre",
                     producer=producer("Scènes & Tournées Production SAS", "81934627", "0015", False),
                     contract="cession", cession="3200.00", approach="240.00", numero_objet="OBJ-2025-011",
                     director="m", artists=(5, 2), vat="5.5", fill=(0.82, 0.95), invitations=0.04,
                     tariffs=tariffs("28.00", "22.00", "20.00")),
    "SPC-2514": dict(title="Les Heures blanches", sacem="yes", discipline="theatre", creation=True,
                     producer=producer("Compagnie du Fil tendu", "43517092", "0028", True),
                     contract="coproduction", copro="2400.00", numero_objet="OBJ-2025-014",
                     director="f", artists=(4, 3), vat="2.1", fill=(0.78, 0.87), invitations=0.05,
                     tariffs=tariffs("18.00", "13.00", "12.00", (0.40, 0.30, 0.30))),
    "SPC-2521": dict(title="Élise Garnier Quartet", discipline="jazz",
                     producer=producer("Azimut Productions SARL", "52260418", "0031", False),
                     contract="cession", cession="4500.00", director="f", artists=(4, 1), vat="5.5",
                     fill=(0.62, 0.72), invitations=0.03, tariffs=tariffs("24.00", "19.00", "17.00")),
    "SPC-2522": dict(title="Sélène Trio — Nuit du jazz", discipline="jazz",
                     producer=producer("Les Nuits Bleues SARL", "84711563", "0012", False),
                     contract="cession", cession="1800.00", vat="5.5", fill=(0.80, 0.90),
                     invitations=0.03, tariffs=tariffs("16.00", "12.00", None, (0.6, 0.4, 0))),
    "SPC-2523": dict(title="Noctambule — DJ set", discipline="musique_electronique",
                     producer=producer("Noctambule Booking SARL", "88120734", "0019", False),
                     contract="cession", cession="1200.00", vat="5.5", fill=(0.38, 0.48),
                     invitations=0.05, tariffs=[(UNIQUE, "12.00", 1.0)]),
    "SPC-2531": dict(title="Margaux Lenoir en concert", discipline="chanson_variete",
                     producer=producer("Productions du Vent Debout SAS", "79305281", "0024", False),
                     contract="cession", cession="8500.00", approach="600.00", director="f", artists=(6, 3),
                     vat="5.5", fill=(0.90, 0.97), invitations=0.03,
                     tariffs=tariffs("32.00", "27.00", "25.00")),
    "SPC-2541": dict(title="Quatuor Alcyone — Schubert, Ravel", discipline="musique_classique",
                     producer=producer("Quatuor Alcyone", "44802196", "0016", True),
                     # Given by SIRET only in the programme: `releve demo` completes the name from
                     # the company register's recorded answer (fixtures/demo-registry/).
                     producer_by_siret_only=True,
                     contract="cession", cession="3800.00", artists=(4, 2), vat="5.5", fill=(0.56, 0.70),
                     invitations=0.04, tariffs=tariffs("22.00", "16.00", "15.00")),
    "SPC-2551": dict(title="Vertiges", sacem="yes", discipline="cirque",
                     producer=producer("Compagnie Haut Perchée", "50127389", "0035", True),
                     contract="cession", cession="6500.00", approach="520.00", director="f", artists=(7, 4),
                     vat="5.5", fill=(0.86, 0.96), invitations=0.03,
                     tariffs=tariffs("24.00", "18.00", "16.00")),
    "SPC-2561": dict(title="Le Grand Voyage de Pipo", sacem="yes", discipline="marionnettes",
                     producer=producer("Compagnie Fil de Lune", "42690815", "0027", True),
                     contract="cession", cession="1100.00", numero_objet="OBJ-2025-016|OBJ-2025-017",
                     director="f", artists=(3, 2), vat="5.5", fill=(0.86, 0.97), invitations=0.03,
                     tariffs=tariffs("10.00", "8.00", None, (0.5, 0.5, 0)),
                     school_tariffs=[(SCHOOL, "8.00", 1.0)]),
    "SPC-2571": dict(title="Les Ondes Sauvages — lancement des illuminations", discipline="musiques_actuelles",
                     producer=producer("Ondes Sauvages Production SAS", "83547106", "0011", False),
                     contract="cession", cession="4200.00", free=True, off_site=True, artists=(5, 2)),
    "SPC-2581": dict(title="Karim Benali — Tout va très bien", sacem="no", discipline="humour",
                     producer=producer("Rire & Compagnie Productions SAS", "81672940", "0022", False),
                     contract="cession", cession="7000.00", director="m", artists=(1, 0), vat="5.5",
                     fill=(0.84, 0.94), invitations=0.02, tariffs=tariffs("32.00", "28.00", "26.00")),
    "SPC-2591": dict(title="Éclats", discipline="danse",
                     producer=producer("Compagnie Arborescence", "49208573", "0014", True),
                     contract="cession", cession="5200.00", approach="380.00", numero_objet="OBJ-2025-019",
                     director="f", artists=(6, 4), vat="5.5", fill=(0.62, 0.75), invitations=0.05,
                     tariffs=tariffs("22.00", "16.00", "14.00")),
    "SPC-2601": dict(title="Carmen, l'opéra de poche", discipline="opera",
                     producer=producer("Lyrique en Tournée SARL", "80459317", "0020", False),
                     contract="cession", cession="9000.00", approach="700.00", director="m", artists=(8, 4),
                     vat="5.5", fill=(0.76, 0.90), invitations=0.03,
                     tariffs=tariffs("30.00", "24.00", "22.00")),
    "SPC-2611": dict(title="Lettres de l'intérieur", discipline="lecture",
                     producer=producer("Compagnie La Voix haute", "45381620", "0039", True),
                     contract="cession", cession="650.00", off_site=True, director="f", artists=(2, 1),
                     vat="5.5", fill=(0.72, 0.90), invitations=0.06, tariffs=[(UNIQUE, "8.00", 1.0)]),
    "SPC-2621": dict(title="Les Contes de la Grande Ourse", discipline="conte",
                     producer=producer("Mille et Une Voix SARL", "85063142", "0018", False),
                     contract="cession", cession="900.00", director="m", artists=(1, 0), vat="5.5",
                     fill=(0.72, 0.90), invitations=0.03, tariffs=tariffs("10.00", "8.00", None, (0.5, 0.5, 0))),
    "SPC-2631": dict(title="Swing Paradise", discipline="comedie_musicale",
                     producer=producer("Swing Paradise Productions SAS", "82914375", "0013", False),
                     contract="cession", cession="11000.00", approach="900.00", director="m", artists=(12, 6),
                     vat="5.5", fill=(0.88, 0.97), invitations=0.02,
                     tariffs=tariffs("30.00", "25.00", "23.00")),
    "SPC-2641": dict(title="Asmara Ensemble", discipline="musiques_du_monde",
                     producer=producer("Caravane Productions SARL", "51738260", "0026", False),
                     contract="cession", cession="3500.00", artists=(5, 2), vat="5.5", fill=(0.56, 0.70),
                     invitations=0.04, tariffs=tariffs("20.00", "15.00", "14.00")),
    "SPC-2651": dict(title="Le Misanthrope", sacem="no", discipline="theatre",
                     producer=producer("Théâtre du Rivage", "41970358", "0030", True),
                     contract="cession", cession="4800.00", approach="350.00", director="m", artists=(8, 3),
                     vat="5.5", fill=(0.70, 0.84), invitations=0.04,
                     tariffs=tariffs("24.00", "18.00", "16.00"), school_tariffs=[(SCHOOL, "10.00", 1.0)]),
}

# (show, local start, venue, options). Options: audience, cancelled, link ("id" | "title"),
# fmt ("rfc": every ticket row and the programme row in RFC 3339), programme_start (when the
# programme's time differs from ticketing's, within the 15-minute linking tolerance),
# programme_title (another spelling in the programme), late_door_sales.
PERFORMANCES = [
    ("SPC-2511", "2025-11-06 20:30", "GS", {}),
    ("SPC-2511", "2025-11-07 20:30", "GS", {}),
    ("SPC-2511", "2025-11-08 20:30", "GS", {}),
    ("SPC-2581", "2025-11-13 20:30", "GS", {"cancelled": True}),
    ("SPC-2521", "2025-11-14 20:30", "GS", {}),
    ("SPC-2641", "2025-11-15 20:30", "GS", {}),
    ("SPC-2541", "2025-11-16 17:00", "GS", {"fmt": "rfc"}),
    ("SPC-2514", "2025-11-18 20:00", "ST", {}),
    ("SPC-2514", "2025-11-19 20:00", "ST", {}),
    ("SPC-2514", "2025-11-20 20:00", "ST", {}),
    ("SPC-2611", "2025-11-20 19:00", "MED", {"link": "title", "programme_title": "Lettres de l'Intérieur"}),
    ("SPC-2514", "2025-11-21 20:00", "ST", {}),
    ("SPC-2531", "2025-11-21 20:30", "GS", {}),
    ("SPC-2514", "2025-11-22 18:00", "ST", {"late_door_sales": 12}),
    ("SPC-2591", "2025-11-25 20:30", "GS", {}),
    ("SPC-2561", "2025-11-26 15:00", "ST", {"audience": "jeune_public"}),
    ("SPC-2561", "2025-11-27 10:00", "ST", {"audience": "scolaire"}),
    ("SPC-2561", "2025-11-27 14:00", "ST", {"audience": "scolaire"}),
    ("SPC-2561", "2025-11-28 10:00", "ST", {"audience": "scolaire"}),
    ("SPC-2571", "2025-11-29 18:30", "PV", {}),
    ("SPC-2522", "2025-11-30 23:30", "ST", {"fmt": "rfc", "link": "title"}),
    ("SPC-2523", "2025-12-01 00:30", "GS", {"fmt": "rfc"}),
    ("SPC-2651", "2025-12-02 20:30", "GS", {}),
    ("SPC-2651", "2025-12-03 20:30", "GS", {}),
    ("SPC-2561", "2025-12-03 15:00", "ST", {"audience": "jeune_public"}),
    ("SPC-2561", "2025-12-04 10:00", "ST", {"audience": "scolaire"}),
    ("SPC-2561", "2025-12-04 14:00", "ST", {"audience": "scolaire"}),
    ("SPC-2651", "2025-12-04 14:00", "GS", {"audience": "scolaire"}),
    ("SPC-2551", "2025-12-05 20:30", "GS", {}),
    ("SPC-2551", "2025-12-06 20:30", "GS", {}),
    ("SPC-2561", "2025-12-06 11:00", "ST", {"audience": "jeune_public"}),
    ("SPC-2551", "2025-12-07 16:00", "GS", {}),
    ("SPC-2601", "2025-12-10 20:00", "GS", {}),
    ("SPC-2611", "2025-12-11 19:00", "MED", {"link": "title", "programme_start": "2025-12-11 18:50"}),
    ("SPC-2601", "2025-12-12 20:00", "GS", {}),
    ("SPC-2531", "2025-12-13 20:30", "GS", {}),
    ("SPC-2541", "2025-12-14 17:00", "GS", {"link": "title"}),
    ("SPC-2621", "2025-12-17 15:00", "ST", {}),
    ("SPC-2581", "2025-12-19 20:30", "GS", {}),
    ("SPC-2621", "2025-12-20 11:00", "ST", {}),
    ("SPC-2631", "2025-12-20 20:30", "GS", {}),
    ("SPC-2631", "2025-12-21 16:00", "GS", {}),
]

# The representative November performances whose figures README.md quotes.
REPRESENTATIVE = {
    "mixed_tariff_theatre": "P20251107-2030-GS",
    "creation_2_1": "P20251119-2000-ST",
    "late_night_23_30": "P20251130-2330-ST",
}
# The November tickets refunded after the first export (tickets-later.csv only).
LATE_REFUNDS_PERFORMANCE = "P20251107-2030-GS"
LATE_REFUNDS_RECORDED = datetime(2025, 12, 9, 14, 12)
LATE_DOOR_SALES_RECORDED = datetime(2025, 12, 8, 11, 5)
CANCELLATION_ANNOUNCED = datetime(2025, 11, 12, 10, 0)

CNM = {"jazz", "chanson_variete", "humour", "musiques_actuelles", "comedie_musicale", "musique_electronique",
       "musiques_du_monde", "cabaret_music_hall", "musiques_urbaines"}
ASTP = {"theatre", "conte", "marionnettes", "mime", "lecture", "opera", "danse"}


def parse_local(text):
    return datetime.strptime(text, "%Y-%m-%d %H:%M")


def performance_id(start, venue):
    return "P{}-{}-{}".format(start.strftime("%Y%m%d"), start.strftime("%H%M"), venue)


def build_performances():
    perfs = []
    for show_id, start_text, venue, opts in PERFORMANCES:
        show = SHOWS[show_id]
        start = parse_local(start_text)
        perfs.append({
            "id": performance_id(start, venue),
            "show_id": show_id,
            "show": show,
            "start": start,
            "venue": venue,
            "audience": opts.get("audience", "tout_public"),
            "cancelled": opts.get("cancelled", False),
            "link": opts.get("link", "id"),
            "fmt": opts.get("fmt", "mixed"),
            "programme_start": parse_local(opts["programme_start"]) if "programme_start" in opts else start,
            "programme_title": opts.get("programme_title", show["title"]),
            "late_door_sales": opts.get("late_door_sales", 0),
            "free": show.get("free", False),
        })
    return perfs


# --- Ticket simulation ------------------------------------------------------------------------


def pick(rng, weighted):
    total = sum(w for _, _, w in weighted)
    x = rng.random() * total
    for item, price, w in weighted:
        x -= w
        if x < 0:
            return item, price
    return weighted[-1][0], weighted[-1][1]


def sale_time(rng, start):
    """Most sales come close to the date; some at the door just before the start. Sales happen
    between 09:00 and 23:00, never in the repeated hour of the October DST change."""
    span = (start - SALES_OPEN).total_seconds() / 86400
    days_before = span * rng.random() ** 3
    day = (start - timedelta(days=days_before)).replace(hour=0, minute=0, second=0)
    t = day + timedelta(seconds=rng.randint(9 * 3600, 22 * 3600 + 3599))
    if t < SALES_OPEN:
        t = SALES_OPEN + timedelta(seconds=rng.randint(0, 8 * 3600))
    if t >= start - timedelta(minutes=5):
        t = start - timedelta(seconds=rng.randint(10 * 60, 60 * 60))
    return t


def simulate(rng, perfs):
    """Every ticket ever issued, with when it reached the system and what became of it."""
    tickets = []
    for p in perfs:
        if p["free"]:
            continue
        show = p["show"]
        capacity = VENUES[p["venue"]]["capacity"]
        room = capacity - p["late_door_sales"]
        lo, hi = show["fill"]
        n = min(room, int(capacity * rng.uniform(lo, hi)))
        school = p["audience"] == "scolaire"
        paid_tariffs = show["school_tariffs"] if school else show["tariffs"]
        inv_rate = 0.08 if school else show["invitations"]  # teachers come free with their classes
        n_inv = max(1, round(n * inv_rate))
        for i in range(n):
            sold = sale_time(rng, p["start"])
            if p["cancelled"] and sold >= CANCELLATION_ANNOUNCED:
                sold = CANCELLATION_ANNOUNCED - timedelta(seconds=rng.randint(3600, 200 * 3600))
            t = {"perf": p, "sold": sold, "recorded": sold, "status": "valid", "status_recorded": None,
                 "rfc": p["fmt"] == "rfc" or (p["fmt"] == "mixed" and rng.random() < 0.04),
                 "kind_blank": False}
            if i < n_inv:
                t["category"], t["kind"], t["price"] = "Invitation", "free", Decimal("0.00")
                if p["cancelled"]:
                    t["status"] = "cancelled"
                    t["status_recorded"] = CANCELLATION_ANNOUNCED + timedelta(minutes=30)
            else:
                (label, kind), price = pick(rng, paid_tariffs)
                t["category"], t["kind"], t["price"] = label, kind, Decimal(price)
                # Some exports leave price_kind empty: the collector derives it from the label.
                t["kind_blank"] = label in (FULL[0], REDUCED[0], SUB[0]) and rng.random() < 0.08
                if p["cancelled"]:
                    t["status"] = "refunded"
                    t["status_recorded"] = CANCELLATION_ANNOUNCED + timedelta(minutes=rng.randint(0, 5 * 24 * 60))
                else:
                    x = rng.random()
                    if x < 0.022:
                        t["status"] = "refunded"
                        gap = (p["start"] - sold).total_seconds()
                        t["status_recorded"] = sold + timedelta(seconds=int(gap * rng.uniform(0.1, 0.9)))
                    elif x < 0.027:
                        t["status"] = "cancelled"
                        t["status_recorded"] = sold + timedelta(minutes=rng.randint(2, 30))
            tickets.append(t)
        for _ in range(p["late_door_sales"]):
            sold = p["start"] - timedelta(seconds=rng.randint(5 * 60, 40 * 60))
            (label, kind), price = pick(rng, paid_tariffs[:2])  # at the door: full or reduced
            tickets.append({"perf": p, "sold": sold, "recorded": LATE_DOOR_SALES_RECORDED, "status": "valid",
                            "status_recorded": None, "rfc": False, "kind_blank": False,
                            "category": label, "kind": kind, "price": Decimal(price)})
    # Two valid full-price November tickets refunded after the first export.
    late = [t for t in tickets if t["perf"]["id"] == LATE_REFUNDS_PERFORMANCE and t["status"] == "valid"
            and t["kind"] == "full"]
    late.sort(key=lambda t: (t["sold"], t["price"]))
    for t in late[:2]:
        t["status"], t["status_recorded"] = "refunded", LATE_REFUNDS_RECORDED
    # Ids in the order tickets reached the system: the first export holds a prefix of them.
    tickets.sort(key=lambda t: (t["recorded"], t["perf"]["start"], t["perf"]["id"], t["sold"], t["category"]))
    for i, t in enumerate(tickets, start=1):
        t["id"] = "T{:07d}".format(i)
    return tickets


def state_at(ticket, when):
    """The status an export taken at `when` shows (None when the ticket is not yet there)."""
    if ticket["recorded"] > when:
        return None
    status = ticket["status"]
    if status != "valid" and ticket["status_recorded"] > when:
        status = "valid"
    return status


TICKET_COLUMNS = ["ticket_id", "performance_id", "show_id", "show_title", "starts_at", "venue_name",
                  "venue_postal_code", "venue_city", "venue_address", "price_category", "price_kind",
                  "price_incl_vat", "vat_rate", "status", "sold_at"]


def tickets_csv(tickets, when):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(TICKET_COLUMNS)
    exported = []
    for t in tickets:
        status = state_at(t, when)
        if status is None:
            continue
        p = t["perf"]
        v = VENUES[p["venue"]]
        free = t["price"] == 0
        w.writerow([
            t["id"], p["id"], p["show_id"], p["show"]["title"],
            rfc3339(p["start"]) if t["rfc"] else local_text(p["start"]),
            v["name"],
            v["postal"] if v["tickets_address"] else "",
            v["city"] if v["tickets_address"] else "",
            v["address"] if v["tickets_address"] else "",
            t["category"], "" if t["kind_blank"] else t["kind"],
            fmt_money(t["price"]),
            "" if free else p["show"]["vat"],
            status,
            rfc3339(t["sold"]) if t["rfc"] else local_text(t["sold"], seconds=True),
        ])
        exported.append((t, status))
    return buf.getvalue(), exported


# --- Programme --------------------------------------------------------------------------------

PROGRAMME_COLUMNS = ["performance_id", "show_title", "starts_at", "venue_name", "venue_postal_code",
                     "venue_city", "venue_address", "venue_type", "capacity", "discipline", "audience",
                     "producer_name", "producer_siret", "producer_subsidised", "free_admission",
                     "cession_price_excl_vat", "sacem", "sacd", "creation", "numero_objet", "cancelled",
                     "contract_type", "frais_approche_excl_vat", "coproduction_contribution_excl_vat",
                     "off_site", "director_sex", "artists_total", "artists_women"]


def comma(amount):
    """A French spreadsheet's amount: decimal comma, no thousands separator."""
    return fmt_money(amount).replace(".", ",") if amount else ""


def yes(flag):
    return "yes" if flag else ""


def programme_csv(perfs):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    w.writerow(PROGRAMME_COLUMNS)
    for p in sorted(perfs, key=lambda p: (p["programme_start"], p["id"])):
        s, v, pr = p["show"], VENUES[p["venue"]], p["show"]["producer"]
        start = p["programme_start"]
        artists = s.get("artists", ("", ""))
        w.writerow([
            p["id"] if p["link"] == "id" and not p["free"] else "",
            p["programme_title"],
            rfc3339(start) if p["fmt"] == "rfc" else local_text(start),
            v["name"], v["postal"], v["city"], v["address"], v["type"], v["capacity"],
            s["discipline"], p["audience"],
            "" if s.get("producer_by_siret_only") else pr["name"], pr["siret"],
            "yes" if pr["subsidised"] else "no",
            yes(p["free"]),
            "" if p["cancelled"] else comma(s.get("cession")),
            # Theatre, puppetry, humour and circus are a SACEM question unless the programme
            # says (issue 13): the demo's programme answers it for each such show.
            s.get("sacem", ""), "",
            yes(s.get("creation")),
            s.get("numero_objet", ""),
            yes(p["cancelled"]),
            s["contract"],
            "" if p["cancelled"] else comma(s.get("approach")),
            comma(s.get("copro")),
            yes(s.get("off_site") or v["name"] in ("Parvis", "Médiathèque Louise-Michel")),
            s.get("director", ""), artists[0], artists[1],
        ])
    return buf.getvalue()


# --- Configuration ----------------------------------------------------------------------------


def releve_toml():
    o = ORG
    return f"""# releve configuration of the demo season: Le Quai des Arts, a fictional scène conventionnée
# (generated by tools/gen-demo/gen_demo.py). Paths are relative to this file. No [database]:
# the default SQLite file next to this file (`releve demo` uses a throw-away database instead).

[[organisation]]
slug = "{o['slug']}"
name = "{o['name']}"
siret = "{o['siret']}"
licence = "{o['licence']}"
subsidised = true
sacem_client_id = "{o['sacem_client_id']}"
sacd_declarant_id = "{o['sacd_declarant_id']}"
address = "{o['address']}"
postal_code = "{o['postal_code']}"
city = "{o['city']}"

  [[organisation.source]]
  kind = "tickets_csv"
  path = "tickets.csv"

  [[organisation.source]]
  kind = "programme_csv"
  path = "programme.csv"
"""


# --- Expected figures (independent of the engine) ---------------------------------------------


def excl(incl, rate):
    return (incl / (Decimal(1) + Decimal(rate) / Decimal(100))).quantize(CENT, rounding=ROUND_HALF_UP)


def performance_figures(p, rows):
    paid = free = full = reduced = sub = 0
    by_rate = {}
    for t, status in rows:
        if status != "valid":
            continue
        if t["price"] == 0:
            free += 1
            continue
        paid += 1
        rate = p["show"]["vat"]
        incl, count = by_rate.get(rate, (Decimal("0.00"), 0))
        by_rate[rate] = (incl + t["price"], count + 1)
        full += t["kind"] == "full"
        reduced += t["kind"] == "reduced"
        sub += t["kind"] == "subscription"
    vat = []
    for rate in sorted(by_rate, key=Decimal):
        incl, count = by_rate[rate]
        vat.append({"rate": rate, "paid_tickets": count, "receipts_incl_vat": fmt_money(incl),
                    "receipts_excl_vat": fmt_money(excl(incl, rate))})
    incl_total = sum((by_rate[r][0] for r in by_rate), Decimal("0.00"))
    excl_total = sum((Decimal(v["receipts_excl_vat"]) for v in vat), Decimal("0.00"))
    return {
        "external_id": None if p["free"] else p["id"],
        "performance_id": None if p["free"] else "tickets_csv:" + p["id"],
        "show_title": p["programme_title"],
        "starts_at": rfc3339(p["start"]),
        "date": p["start"].strftime("%Y-%m-%d"),
        "venue_name": VENUES[p["venue"]]["name"],
        "discipline": p["show"]["discipline"],
        "audience": p["audience"],
        "capacity": VENUES[p["venue"]]["capacity"],
        "cancelled": p["cancelled"],
        "free_admission": p["free"],
        "paid_tickets": paid,
        "free_tickets": free,
        "full_price_tickets": full,
        "reduced_tickets": reduced,
        "subscription_tickets": sub,
        "receipts_incl_vat": fmt_money(incl_total),
        "receipts_excl_vat": fmt_money(excl_total),
        "vat": vat,
    }


def tax_outcome(p, fig):
    """(body, line or None, reason) for one performance, per the domain rules (the organisation
    is subsidised; it sells none of the shows)."""
    d = p["show"]["discipline"]
    body = "cnm" if d in CNM else "astp" if d in ASTP else None
    if body is None:
        return None, None, None
    if p["cancelled"]:
        return body, None, "cancelled"
    if body == "astp" and p["show"]["producer"]["subsidised"]:
        return body, None, "subsidised organiser, subsidised producer: exempt"
    if p["free"]:
        return body, None, "free admission: owed by the seller"
    if fig["paid_tickets"] == 0:
        return body, None, "no receipts"
    base = Decimal(fig["receipts_excl_vat"])
    tax = (base * Decimal("3.5") / Decimal(100)).quantize(CENT, rounding=ROUND_HALF_UP)
    return body, {"performance_id": fig["performance_id"], "date": fig["date"], "show_title": fig["show_title"],
                  "paid_tickets": fig["paid_tickets"], "free_tickets": fig["free_tickets"],
                  "tax_base": fmt_money(base), "tax_rate": "3.5", "tax_due": fmt_money(tax)}, None


def month_figures(perfs, exported, month="2025-11"):
    rows_by_perf = {}
    for t, status in exported:
        rows_by_perf.setdefault(t["perf"]["id"], []).append((t, status))
    in_month = sorted((p for p in perfs if p["start"].strftime("%Y-%m") == month),
                      key=lambda p: (p["start"], p["id"]))
    figures = [performance_figures(p, rows_by_perf.get(p["id"], [])) for p in in_month]
    bodies = {"cnm": {"lines": [], "not_taxable": []}, "astp": {"lines": [], "not_taxable": []}}
    for p, fig in zip(in_month, figures):
        body, line, reason = tax_outcome(p, fig)
        if body is None:
            continue
        if line:
            bodies[body]["lines"].append(line)
        else:
            bodies[body]["not_taxable"].append({
                "performance_id": fig["performance_id"], "date": fig["date"], "show_title": fig["show_title"],
                "reason": reason})
    for b in bodies.values():
        b["totals"] = {
            "lines": len(b["lines"]),
            "paid_tickets": sum(line["paid_tickets"] for line in b["lines"]),
            "tax_base": fmt_money(sum((Decimal(line["tax_base"]) for line in b["lines"]), Decimal(0))),
            "tax_due": fmt_money(sum((Decimal(line["tax_due"]) for line in b["lines"]), Decimal(0))),
        }
    totals = {
        "performances": len(figures),
        "ticketed_performances": sum(1 for f in figures if not f["free_admission"]),
        "paid_tickets": sum(f["paid_tickets"] for f in figures),
        "free_tickets": sum(f["free_tickets"] for f in figures),
        "receipts_incl_vat": fmt_money(sum((Decimal(f["receipts_incl_vat"]) for f in figures), Decimal(0))),
        "receipts_excl_vat": fmt_money(sum((Decimal(f["receipts_excl_vat"]) for f in figures), Decimal(0))),
    }
    return {"totals": totals, "performances": figures, "cnm": bodies["cnm"], "astp": bodies["astp"]}


def slug(text):
    """releve_domain::text::slug: folded key, every run of other characters one dash."""
    return re.sub("[^a-z0-9]+", "-", fold(text)).strip("-")


def keyed(figures):
    """Performances keyed by the engine's id: `tickets_csv:<performance_id>`, or for a row of
    the programme without ticketing `programme_csv:<slug of title>-<YYYYMMDDTHHMM>`."""
    out = {}
    for f in figures:
        key = f["performance_id"] or "programme_csv:{}-{}".format(
            slug(f["show_title"]), f["starts_at"][:16].replace("-", "").replace(":", ""))
        out[key] = f
    return out


def body_summary(b):
    return {
        "lines": b["totals"]["lines"],
        "paid_tickets": b["totals"]["paid_tickets"],
        "tax_base": b["totals"]["tax_base"],
        "tax_due": b["totals"]["tax_due"],
        "taxable": b["lines"],
        "not_taxable": b["not_taxable"],
    }


def expected_json(perfs, first, later, first_count, later_count):
    m1 = month_figures(perfs, first)
    m2 = month_figures(perfs, later)
    k1, k2 = keyed(m1["performances"]), keyed(m2["performances"])
    for key, f in list(k1.items()) + list(k2.items()):
        f["performance_id"] = key
    doc = {
        "schema_version": 1,
        "organisation": ORG["slug"],
        "month": "2025-11",
        "note": "Computed by tools/gen-demo/gen_demo.py with Python Decimal and ROUND_HALF_UP, independently "
                "of the Rust engine, from tickets.csv and programme.csv: per performance and VAT rate r, "
                "excl = round(incl / (1 + r/100), 2); tax per line = round(tax_base x 3.5 / 100, 2); totals "
                "are sums of the lines. Performances whose Europe/Paris date is in November 2025, keyed by the "
                "engine's performance id. 'performances' in totals counts the free concert (programme only) and "
                "the cancelled performance.",
        "tickets_csv_rows": first_count,
        "representative": {k: "tickets_csv:" + v for k, v in REPRESENTATIVE.items()},
        "performances": k1,
        "totals": m1["totals"],
        "cnm": body_summary(m1["cnm"]),
        "astp": body_summary(m1["astp"]),
        "after_tickets_later_csv": {
            "note": "November after importing tickets-later.csv in place of tickets.csv: ticket ids already "
                    "known are replaced, never counted twice. Only the performances listed here changed.",
            "tickets_csv_rows": later_count,
            "changed_performances": {k: f for k, f in k2.items() if f != k1.get(k)},
            "totals": m2["totals"],
            "cnm": {k: v for k, v in body_summary(m2["cnm"]).items() if k not in ("taxable", "not_taxable")},
            "astp": {k: v for k, v in body_summary(m2["astp"]).items() if k not in ("taxable", "not_taxable")},
        },
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


# --- Checks -----------------------------------------------------------------------------------


def fail(msg):
    sys.exit("gen_demo: check failed: " + msg)


def fold(text):
    table = str.maketrans("àâäéèêëîïôöùûüçÀÂÄÉÈÊËÎÏÔÖÙÛÜÇ", "aaaeeeeiioouuucAAAEEEEIIOOUUUC")
    return " ".join(text.translate(table).lower().split())


def prog_start(row):
    text = row["starts_at"]
    if "T" in text:
        return datetime.strptime(text[:16], "%Y-%m-%dT%H:%M")  # the offset is Paris's own
    return parse_local(text)


def verify(perfs, tickets_text, programme_text, later_text):
    for s in SHOWS.values():
        siret = s["producer"]["siret"]
        if len(siret) != 14 or not luhn_valid(siret) or not luhn_valid(siret[:9]):
            fail("producer SIRET " + siret)
    if len(ORG["siret"]) != 14 or not luhn_valid(ORG["siret"]) or not luhn_valid(ORG["siret"][:9]):
        fail("organisation SIRET")
    first_ids = None
    for name, text in (("tickets.csv", tickets_text), ("tickets-later.csv", later_text)):
        if "\r" in text:
            fail(name + ": carriage return")
        rows = list(csv.DictReader(io.StringIO(text)))
        ids = [r["ticket_id"] for r in rows]
        if len(ids) != len(set(ids)):
            fail(name + ": duplicate ticket ids")
        issued, valid = {}, {}
        for r in rows:
            for col in ("ticket_id", "performance_id", "show_title", "starts_at", "venue_name",
                        "price_incl_vat", "status"):
                if not r[col]:
                    fail(f"{name}: {col} empty on {r['ticket_id']}")
            price = Decimal(r["price_incl_vat"])
            if price > 0 and not r["vat_rate"]:
                fail(f"{name}: vat_rate empty on paid ticket {r['ticket_id']}")
            if not (price == 0 or Decimal("8") <= price <= Decimal("32")):
                fail(f"{name}: price out of range on {r['ticket_id']}")
            if (price == 0) != (r["price_kind"] == "free"):
                fail(f"{name}: price_kind free iff price 0 ({r['ticket_id']})")
            issued[r["performance_id"]] = issued.get(r["performance_id"], 0) + 1
            if r["status"] == "valid":
                valid[r["performance_id"]] = valid.get(r["performance_id"], 0) + 1
        for p in perfs:
            cap = VENUES[p["venue"]]["capacity"]
            if issued.get(p["id"], 0) > cap:
                fail(f"{name}: {p['id']} has {issued[p['id']]} tickets for {cap} seats")
            if p["free"] and p["id"] in issued:
                fail(f"{name}: free performance {p['id']} has tickets")
            if p["cancelled"] and valid.get(p["id"], 0):
                fail(f"{name}: cancelled performance {p['id']} has valid tickets")
        if first_ids is None:
            first_ids = set(issued)
            first_rows = {r["ticket_id"]: r for r in rows}
            if len(rows) < 5000:
                fail(f"tickets.csv has only {len(rows)} rows")
        else:
            later_rows = {r["ticket_id"]: r for r in rows}
            if not set(first_rows) <= set(later_rows):
                fail("tickets-later.csv lost tickets of tickets.csv")
    prog = list(csv.DictReader(io.StringIO(programme_text), delimiter=";"))
    linked = []
    for r in prog:
        for col in ("show_title", "starts_at", "venue_name", "discipline", "capacity", "producer_name",
                    "producer_siret", "producer_subsidised", "contract_type", "venue_type"):
            if col == "producer_name" and r["producer_siret"]:
                continue  # a producer may be given by SIRET only
            if not r[col]:
                fail(f"programme.csv: {col} empty for {r['show_title']} {r['starts_at']}")
        if r["performance_id"]:
            if r["performance_id"] not in first_ids:
                fail("programme.csv: unknown performance_id " + r["performance_id"])
            linked.append(r["performance_id"])
        elif r["free_admission"] == "yes":
            if any(fold(p["show"]["title"]) == fold(r["show_title"]) and not p["free"] for p in perfs):
                fail("programme.csv: the free row would link to ticketing: " + r["show_title"])
        else:
            # Linked by title: exactly one ticketed performance of that title within 15 minutes.
            matches = [p for p in perfs if not p["free"] and fold(p["show"]["title"]) == fold(r["show_title"])
                       and abs((p["start"] - prog_start(r)).total_seconds()) <= 15 * 60]
            if len(matches) != 1 or matches[0]["id"] not in first_ids:
                fail("programme.csv: title link fails for " + r["show_title"])
            linked.append(matches[0]["id"])
    if len(linked) != len(set(linked)) or set(linked) != first_ids:
        fail("programme.csv does not link every ticketed performance exactly once")
    if len(perfs) < 40 or len(SHOWS) < 12:
        fail("not enough performances or shows")


# --- Main -------------------------------------------------------------------------------------


def generate():
    rng = random.Random(SEED)
    perfs = build_performances()
    tickets = simulate(rng, perfs)
    first_text, first_rows = tickets_csv(tickets, CUTOFF)
    later_text, later_rows = tickets_csv(tickets, LATER_EXPORT)
    programme_text = programme_csv(perfs)
    verify(perfs, first_text, programme_text, later_text)
    return {
        "tickets.csv": first_text,
        "tickets-later.csv": later_text,
        "programme.csv": programme_text,
        "releve.toml": releve_toml(),
        "expected-2025-11.json": expected_json(perfs, first_rows, later_rows, len(first_rows), len(later_rows)),
    }


def main():
    args = sys.argv[1:]
    out = Path(args[args.index("--out") + 1]) if "--out" in args else OUT
    files = generate()
    if "--check" in args:
        stale = [n for n, text in files.items()
                 if not (out / n).exists() or (out / n).read_text(encoding="utf-8") != text]
        if stale:
            sys.exit("gen_demo: out of date: " + ", ".join(stale) + " (run tools/gen-demo/gen_demo.py)")
        print("gen_demo: " + str(out) + " is up to date")
        return
    out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        with open(out / name, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        rows = " ({} rows)".format(text.count("\n") - 1) if name.endswith(".csv") else ""
        print("wrote", out / name, rows)


if __name__ == "__main__":
    main()
