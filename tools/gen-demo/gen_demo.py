#!/usr/bin/env python3
"""Generates the demo season of releve (fixtures/demo/): a fictional scène conventionnée,
"Le Quai des Arts", November and December 2025.

Run from the repository root:  python3 tools/gen-demo/gen_demo.py
Standard library only, fixed random seed: the output is identical at every run.

Writes:
  fixtures/demo/tickets.csv          ticket export (tickets_csv, comma, UTF-8)
  fixtures/demo/tickets-later.csv    a later export: same tickets + late sales + 2 refunds in November
  fixtures/demo/programme.csv        season programme (programme_csv, semicolon, decimal comma)
  fixtures/demo/releve.toml          configuration of the demo organisation
  fixtures/demo/expected-2025-11.json  figures computed here independently, for the tests
"""
import json
import os
import random
from decimal import Decimal, ROUND_HALF_UP
from datetime import datetime, timedelta, timezone

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fixtures", "demo")
rng = random.Random(20251101)


def luhn_ok(digits):
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def siret(prefix):
    """A 14-digit number starting with `prefix` and passing the Luhn check."""
    base = (prefix + "0" * 14)[:13]
    for last in range(10):
        candidate = base + str(last)
        if luhn_ok(candidate):
            return candidate
    raise ValueError(prefix)


ORG_SIRET = siret("5234178900001")
PRIVATE_PROD = siret("8123998700004")     # Les Tréteaux Réunis SAS, private, unsubsidised
SUB_COMPANY = siret("4421875600002")      # Compagnie du Fil, subsidised
OUTDOOR_PROD = siret("9034512300007")     # Ondes Vives Production SARL, private
assert all(luhn_ok(s) for s in [ORG_SIRET, PRIVATE_PROD, SUB_COMPANY, OUTDOOR_PROD])

PARIS_OFFSET = "+01:00"  # November and December: winter time

VENUES = {
    "Grande salle": {"capacity": 450, "type": "THEATRE", "address": "4 quai du Gabut"},
    "Studio": {"capacity": 120, "type": "THEATRE", "address": "4 quai du Gabut"},
    "Parvis": {"capacity": 800, "type": "PLEIN_AIR_PARC_LOISIRS_ATTRACTION", "address": "Parvis du Gabut"},
}

# show id, title, discipline, venue, audience, producer (name, siret, subsidised), creation, contract,
# cession price, frais d'approche, numero_objet, tariffs [(category, kind, price)], vat
SHOWS = [
    ("S01", "Les Vagues", "theatre", "Grande salle", "tout_public",
     ("Les Tréteaux Réunis SAS", PRIVATE_PROD, "no"), False, "cession", "8500,00", "640,00", "OBJ-2025-011",
     [("Plein tarif", "full", "28.00"), ("Tarif réduit", "reduced", "19.00"), ("Abonné", "subscription", "21.00")], "5.5"),
    ("S02", "Le Fil des jours", "theatre", "Studio", "tout_public",
     ("Compagnie du Fil", SUB_COMPANY, "yes"), True, "coproduction", "", "", "OBJ-2025-012",
     [("Plein tarif", "full", "18.00"), ("Tarif réduit", "reduced", "12.00"), ("Abonné", "subscription", "14.00")], "2.1"),
    ("S03", "Blue Note Session", "jazz", "Grande salle", "tout_public",
     ("Swing Quai Prod", None, None), False, "cession", "4200,00", "", "",
     [("Plein tarif", "full", "24.00"), ("Tarif réduit", "reduced", "16.00"), ("Abonné", "subscription", "18.00")], "5.5"),
    ("S04", "Chansons d'hiver", "chanson_variete", "Grande salle", "tout_public",
     ("Mots et Notes", None, None), False, "cession", "6000,00", "300,00", "OBJ-2025-014",
     [("Plein tarif", "full", "26.00"), ("Tarif réduit", "reduced", "18.00"), ("Abonné", "subscription", "20.00")], "5.5"),
    ("S05", "Quatuor Aurore", "musique_classique", "Studio", "tout_public",
     ("Quatuor Aurore", None, "yes"), False, "cession", "3200,00", "", "",
     [("Plein tarif", "full", "22.00"), ("Tarif réduit", "reduced", "14.00")], "5.5"),
    ("S06", "Cirque en équilibre", "cirque", "Grande salle", "tout_public",
     ("Compagnie Haut Perchée", None, "yes"), False, "cession", "7000,00", "900,00", "",
     [("Plein tarif", "full", "20.00"), ("Tarif réduit", "reduced", "12.00"), ("Abonné", "subscription", "15.00")], "5.5"),
    ("S07", "Petit Poucet", "marionnettes", "Studio", "jeune_public",
     ("Théâtre de la Bobine", None, "yes"), False, "cession", "1800,00", "", "",
     [("Plein tarif", "full", "10.00"), ("Tarif réduit", "reduced", "8.00")], "5.5"),
    ("S08", "Rires en stock", "humour", "Grande salle", "tout_public",
     ("Stand Up Tour SAS", None, "no"), False, "cession", "5500,00", "", "",
     [("Plein tarif", "full", "32.00"), ("Tarif réduit", "reduced", "22.00")], "5.5"),
    ("S09", "Corps célestes", "danse", "Grande salle", "tout_public",
     ("Compagnie Éther", None, "yes"), False, "cession", "6500,00", "", "",
     [("Plein tarif", "full", "24.00"), ("Tarif réduit", "reduced", "15.00"), ("Abonné", "subscription", "17.00")], "5.5"),
    ("S10", "La Flûte en voyage", "opera", "Grande salle", "tout_public",
     ("Opéra Nomade", None, "yes"), False, "cession", "9000,00", "1200,00", "",
     [("Plein tarif", "full", "30.00"), ("Tarif réduit", "reduced", "20.00")], "5.5"),
    ("S11", "Lectures à la bougie", "lecture", "Studio", "tout_public",
     ("Collectif Voix Hautes", None, "yes"), False, "cession", "900,00", "", "",
     [("Plein tarif", "full", "8.00"), ("Tarif réduit", "reduced", "5.00")], "5.5"),
    ("S12", "Nuit électro du port", "musiques_actuelles", "Studio", "tout_public",
     ("Onde Basse Prod", None, "no"), False, "cession", "2500,00", "", "",
     [("Plein tarif", "full", "15.00"), ("Tarif réduit", "reduced", "10.00")], "5.5"),
]
FREE_CONCERT = ("S13", "Concert du Parvis", "musiques_actuelles", "Parvis",
                ("Ondes Vives Production SARL", OUTDOOR_PROD, "no"), "3000,00")

# performances: (show id, local start "YYYY-MM-DD HH:MM", audience override, cancelled)
PERFORMANCES = [
    ("S01", "2025-11-05 20:30"), ("S01", "2025-11-06 20:30"), ("S01", "2025-11-07 20:30"), ("S01", "2025-11-08 18:00"),
    ("S02", "2025-11-12 19:00"), ("S02", "2025-11-13 19:00"), ("S02", "2025-11-14 19:00"),
    ("S02", "2025-12-10 19:00"), ("S02", "2025-12-11 19:00"), ("S02", "2025-12-12 19:00"),
    ("S03", "2025-11-15 21:00"), ("S03", "2025-11-30 23:30"),
    ("S04", "2025-11-20 20:30"), ("S04", "2025-11-21 20:30"), ("S04", "2025-12-05 20:30"),
    ("S05", "2025-11-16 17:00"), ("S05", "2025-12-14 17:00"),
    ("S06", "2025-12-17 20:00"), ("S06", "2025-12-18 20:00"), ("S06", "2025-12-19 20:00"), ("S06", "2025-12-20 15:00"),
    ("S07", "2025-11-18 10:00"), ("S07", "2025-11-18 14:30"), ("S07", "2025-11-19 15:00"),
    ("S07", "2025-12-03 10:00"), ("S07", "2025-12-03 14:30"), ("S07", "2025-12-06 15:00"),
    ("S08", "2025-11-26 20:30"), ("S08", "2025-11-27 20:30"), ("S08", "2025-12-01 00:30"),
    ("S09", "2025-11-25 20:30"), ("S09", "2025-12-09 20:30"),
    ("S10", "2025-12-13 20:00"), ("S10", "2025-12-14 20:00"),
    ("S11", "2025-11-10 19:30"), ("S11", "2025-12-08 19:30"),
    ("S12", "2025-11-29 22:00"), ("S12", "2025-12-27 22:00"),
    ("S03", "2025-12-19 21:00"), ("S08", "2025-12-31 21:00"),
]
SCHOOL = {("S07", "2025-11-18 10:00"), ("S07", "2025-11-18 14:30"), ("S07", "2025-12-03 10:00"), ("S07", "2025-12-03 14:30")}
CANCELLED = {("S09", "2025-12-09 20:30")}
# A few rows of the programme carry no performance_id: they link by title and start time.
LINK_BY_TITLE = {("S05", "2025-11-16 17:00"), ("S11", "2025-11-10 19:30"), ("S04", "2025-12-05 20:30")}
FREE_CONCERT_TIME = "2025-11-22 16:00"
# The 23:30 performance is written RFC 3339 in the ticket export, as some systems do.
RFC3339_PERFORMANCES = {("S03", "2025-11-30 23:30"), ("S08", "2025-12-01 00:30")}

SHOW = {s[0]: s for s in SHOWS}


def perf_id(show, start):
    return f"QDA-{show}-{start[:10].replace('-', '')}-{start[11:].replace(':', '')}"


def starts_text(show, start):
    if (show, start) in RFC3339_PERFORMANCES:
        return start.replace(" ", "T") + ":00" + PARIS_OFFSET
    return start


def money(d):
    return f"{d:.2f}"


def main():
    tickets = []   # dicts
    counter = 0
    for show, start in PERFORMANCES:
        s = SHOW[show]
        venue = s[3]
        capacity = VENUES[venue]["capacity"]
        pid = perf_id(show, start)
        cancelled = (show, start) in CANCELLED
        school = (show, start) in SCHOOL
        fill = rng.uniform(0.55, 0.95)
        sold = int(capacity * fill)
        invitations = rng.randint(4, 14) if not school else rng.randint(2, 6)
        sold = min(sold, capacity - invitations)
        sale_day = datetime(2025, 9, 15, 10, 0)
        for i in range(sold + invitations):
            counter += 1
            if i < sold:
                tariffs = s[11]
                if school:
                    category, kind, price = ("Tarif scolaire", "reduced", "6.00")
                else:
                    weights = [0.45, 0.35, 0.2][:len(tariffs)]
                    category, kind, price = rng.choices(tariffs, weights=weights)[0]
                rate = s[12]
            else:
                category, kind, price, rate = ("Invitation", "free", "0", "")
            status = "valid"
            if cancelled and i < sold:
                status = "refunded"
            elif i < sold and rng.random() < 0.015:
                status = "refunded"
            elif i < sold and rng.random() < 0.004:
                status = "cancelled"
            sold_at = sale_day + timedelta(minutes=rng.randint(0, 60 * 24 * 60))
            tickets.append({
                "ticket_id": f"T{counter:06d}",
                "performance_id": pid,
                "show_id": show,
                "show_title": s[1],
                "starts_at": starts_text(show, start),
                "venue_name": venue,
                "venue_postal_code": "17000",
                "venue_city": "La Rochelle",
                "price_category": category,
                "price_kind": kind,
                "price_incl_vat": price,
                "vat_rate": rate,
                "status": status,
                "sold_at": sold_at.strftime("%Y-%m-%dT%H:%M:%S") + "+02:00" if sold_at < datetime(2025, 10, 26, 3) else sold_at.strftime("%Y-%m-%dT%H:%M:%S") + "+01:00",
            })
    columns = ["ticket_id", "performance_id", "show_id", "show_title", "starts_at", "venue_name", "venue_postal_code",
               "venue_city", "price_category", "price_kind", "price_incl_vat", "vat_rate", "status", "sold_at"]

    def write_tickets(name, rows):
        with open(os.path.join(ROOT, name), "w", encoding="utf-8", newline="") as f:
            f.write(",".join(columns) + "\n")
            for r in rows:
                f.write(",".join(r[c] for c in columns) + "\n")

    write_tickets("tickets.csv", tickets)

    # The later export: two November tickets refunded, a few late sales on November performances.
    later = [dict(t) for t in tickets]
    refunded_ids = []
    for t in later:
        if t["performance_id"] == perf_id("S01", "2025-11-07 20:30") and t["status"] == "valid" and t["price_kind"] == "full":
            t["status"] = "refunded"
            refunded_ids.append(t["ticket_id"])
            if len(refunded_ids) == 2:
                break
    for i in range(3):
        counter += 1
        later.append({**tickets[0], "ticket_id": f"T{counter:06d}", "performance_id": perf_id("S04", "2025-11-21 20:30"),
                      "show_id": "S04", "show_title": SHOW["S04"][1], "starts_at": "2025-11-21 20:30",
                      "price_category": "Plein tarif", "price_kind": "full", "price_incl_vat": "26.00", "vat_rate": "5.5",
                      "status": "valid", "sold_at": "2025-11-21T19:45:00+01:00"})
    write_tickets("tickets-later.csv", later)

    # Programme.
    pcols = ["performance_id", "show_title", "starts_at", "venue_name", "venue_address", "venue_postal_code", "venue_city", "venue_type",
             "capacity", "discipline", "audience", "producer_name", "producer_siret", "producer_subsidised",
             "free_admission", "cession_price_excl_vat", "sacem", "sacd", "creation", "numero_objet", "cancelled",
             "contract_type", "frais_approche_excl_vat", "off_site"]
    prows = []
    for show, start in PERFORMANCES:
        s = SHOW[show]
        venue = s[3]
        producer = s[5]
        prows.append({
            "performance_id": "" if (show, start) in LINK_BY_TITLE else perf_id(show, start),
            "show_title": s[1], "starts_at": start, "venue_name": venue, "venue_address": VENUES[venue]["address"],
            "venue_postal_code": "17000",
            "venue_city": "La Rochelle", "venue_type": VENUES[venue]["type"], "capacity": str(VENUES[venue]["capacity"]),
            "discipline": s[2], "audience": "scolaire" if (show, start) in SCHOOL else s[4],
            "producer_name": producer[0], "producer_siret": producer[1] or "", "producer_subsidised": producer[2] or "",
            "free_admission": "", "cession_price_excl_vat": s[8], "sacem": "", "sacd": "",
            "creation": "oui" if s[6] else "", "numero_objet": s[10], "cancelled": "oui" if (show, start) in CANCELLED else "",
            "contract_type": s[7], "frais_approche_excl_vat": s[9], "off_site": "",
        })
    fc = FREE_CONCERT
    prows.append({
        "performance_id": "", "show_title": fc[1], "starts_at": FREE_CONCERT_TIME, "venue_name": fc[3],
        "venue_address": VENUES[fc[3]]["address"],
        "venue_postal_code": "17000", "venue_city": "La Rochelle", "venue_type": VENUES[fc[3]]["type"],
        "capacity": str(VENUES[fc[3]]["capacity"]), "discipline": fc[2], "audience": "tout_public",
        "producer_name": fc[4][0], "producer_siret": fc[4][1], "producer_subsidised": fc[4][2],
        "free_admission": "oui", "cession_price_excl_vat": fc[5], "sacem": "", "sacd": "", "creation": "",
        "numero_objet": "", "cancelled": "", "contract_type": "cession", "frais_approche_excl_vat": "", "off_site": "oui",
    })
    prows.sort(key=lambda r: r["starts_at"])
    with open(os.path.join(ROOT, "programme.csv"), "w", encoding="utf-8", newline="") as f:
        f.write(";".join(pcols) + "\n")
        for r in prows:
            f.write(";".join(r[c] for c in pcols) + "\n")

    with open(os.path.join(ROOT, "releve.toml"), "w", encoding="utf-8") as f:
        f.write(f'''# Demo configuration: a fictional scène conventionnée (generated by tools/gen-demo/gen_demo.py).
[[organisation]]
slug = "quai-des-arts"
name = "Le Quai des Arts"
siret = "{ORG_SIRET}"
licence = "PLATESV-D-2022-004512"
subsidised = true
sacem_client_id = "245871"
sacd_declarant_id = "318204"
address = "4 quai du Gabut"
postal_code = "17000"
city = "La Rochelle"

  [[organisation.source]]
  kind = "tickets_csv"
  path = "tickets.csv"

  [[organisation.source]]
  kind = "programme_csv"
  path = "programme.csv"
''')

    write_expected(tickets)
    print(f"{len(tickets)} tickets, {len(PERFORMANCES)} ticketed performances + 1 free concert, org SIRET {ORG_SIRET}")


def round2(d):
    return d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def write_expected(tickets):
    """Figures for November 2025, computed independently of releve."""
    cnm_disciplines = {"jazz", "chanson_variete", "humour", "musiques_actuelles", "comedie_musicale"}
    astp_disciplines = {"theatre", "danse", "opera", "lecture", "conte", "marionnettes", "mime"}
    per = {}
    for show, start in PERFORMANCES:
        if not start.startswith("2025-11"):
            continue
        per[perf_id(show, start)] = {"show": show, "start": start, "paid": 0, "free": 0, "incl": {}}
    for t in tickets:
        p = per.get(t["performance_id"])
        if p is None or t["status"] != "valid":
            continue
        price = Decimal(t["price_incl_vat"])
        if price == 0:
            p["free"] += 1
        else:
            p["paid"] += 1
            p["incl"][t["vat_rate"]] = p["incl"].get(t["vat_rate"], Decimal(0)) + price
    out = {"month": "2025-11", "performances": {}, "cnm": {"lines": 0, "tax_due": Decimal(0)},
           "astp": {"lines": 0, "tax_due": Decimal(0)}}
    for pid, p in per.items():
        excl = sum((round2(v / (1 + Decimal(r) / 100)) for r, v in p["incl"].items()), Decimal(0))
        incl = sum(p["incl"].values(), Decimal(0))
        p["excl"] = excl
        out["performances"][f"tickets_csv:{pid}"] = {
            "paid_tickets": p["paid"], "free_tickets": p["free"],
            "receipts_incl_vat": money(incl), "receipts_excl_vat": money(excl),
        }
        s = SHOW[p["show"]]
        cancelled = (p["show"], p["start"]) in CANCELLED
        if cancelled or p["paid"] == 0:
            continue
        tax = round2(excl * Decimal("3.5") / 100)
        if s[2] in cnm_disciplines:
            out["cnm"]["lines"] += 1
            out["cnm"]["tax_due"] += tax
        elif s[2] in astp_disciplines and s[5][2] == "no":
            # The organisation is subsidised: ASTP only for shows bought from a private, unsubsidised producer.
            out["astp"]["lines"] += 1
            out["astp"]["tax_due"] += tax
    out["cnm"]["tax_due"] = money(out["cnm"]["tax_due"])
    out["astp"]["tax_due"] = money(out["astp"]["tax_due"])
    out["totals"] = {
        "performances": len(per) + 1,  # + the free concert, known from the programme only
        "paid_tickets": sum(p["paid"] for p in per.values()),
        "free_tickets": sum(p["free"] for p in per.values()),
        "receipts_incl_vat": money(sum((sum(p["incl"].values(), Decimal(0)) for p in per.values()), Decimal(0))),
        "receipts_excl_vat": money(sum((p["excl"] for p in per.values()), Decimal(0))),
    }
    with open(os.path.join(ROOT, "expected-2025-11.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, indent=2, ensure_ascii=False, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    os.makedirs(ROOT, exist_ok=True)
    main()
