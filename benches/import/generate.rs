//! The benchmark's files, generated deterministically (fixed seeds): a `tickets_csv` file of N
//! tickets and the matching `programme_csv`, for a season of a two-venue house or for one
//! month of a large network (`Layout`), and the configuration that declares them.

use chrono::{Duration, NaiveDate};
use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::Path;

/// How the performances of a file are spread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// 400 performances from mid-September 2025 to June 2026 (42 in November).
    Season,
    /// Every performance in November 2025, one per 300 tickets (1,666 for 500,000 tickets).
    Month,
}

impl Layout {
    pub fn name(self) -> &'static str {
        match self {
            Layout::Season => "season",
            Layout::Month => "month",
        }
    }

    pub fn parse(text: &str) -> Option<Layout> {
        match text.trim() {
            "season" => Some(Layout::Season),
            "month" => Some(Layout::Month),
            _ => None,
        }
    }

    pub fn performances(self, tickets: usize) -> Vec<Performance> {
        match self {
            Layout::Season => season(),
            Layout::Month => month_of_network((tickets / 300).max(1)),
        }
    }
}

/// Performances in the season (one every 18 hours on average over ten months).
const PERFORMANCES: usize = 400;
const PERFORMANCES_PER_SHOW: usize = 5;

/// xorshift64*: a small deterministic generator, so every run measures the same files.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

pub struct Performance {
    id: String,
    title: String,
    /// Paris local time, `YYYY-MM-DD HH:MM`.
    local_start: String,
    pub date: NaiveDate,
    venue: String,
    discipline: &'static str,
    audience: &'static str,
    /// VAT rate of the show's tickets (percent text).
    rate: &'static str,
    creation: bool,
}

const TITLES: [&str; 10] = [
    "Les Heures blanches",
    "Le Dîner des malentendus",
    "Swing Paradise",
    "Contes de la Grande Ourse",
    "Quatuor en « Ré »",
    "Cirque d'hiver",
    "La Mouette",
    "Nuit électro",
    "Fables, fables ; encore",
    "Opéra de quat'sous",
];
const DISCIPLINES: [(&str, &str); 10] = [
    ("theatre", "tout_public"),
    ("theatre", "tout_public"),
    ("jazz", "tout_public"),
    ("conte", "jeune_public"),
    ("musique_classique", "tout_public"),
    ("cirque", "tout_public"),
    ("theatre", "tout_public"),
    ("musique_electronique", "tout_public"),
    ("marionnettes", "scolaire"),
    ("opera", "tout_public"),
];

fn season() -> Vec<Performance> {
    let first = NaiveDate::from_ymd_opt(2025, 9, 15).unwrap();
    let shows = PERFORMANCES / PERFORMANCES_PER_SHOW;
    let mut performances = Vec::with_capacity(PERFORMANCES);
    for show in 0..shows {
        // Shows follow each other every 3 or 4 days, alternating venues, from mid-September
        // to the end of June; each plays on consecutive evenings.
        let base = first + Duration::days((show as i64 * 7) / 2);
        let venue = if show % 2 == 0 {
            "Grande salle"
        } else {
            "Studio"
        };
        let (discipline, audience) = DISCIPLINES[show % DISCIPLINES.len()];
        // A creation at 2.1 % every seventh show, a cabaret with drinks at 10 % every
        // eleventh, 5.5 % otherwise.
        let rate = if show % 7 == 0 {
            "2.1"
        } else if show % 11 == 0 {
            "10"
        } else {
            "5.5"
        };
        for k in 0..PERFORMANCES_PER_SHOW {
            let date = base + Duration::days(k as i64);
            let time = if audience == "scolaire" {
                "14:00"
            } else {
                "20:30"
            };
            performances.push(Performance {
                id: format!("P{:03}-{k}", show),
                title: format!("{} #{show}", TITLES[show % TITLES.len()]),
                local_start: format!("{date} {time}"),
                date,
                venue: venue.to_string(),
                discipline,
                audience,
                rate,
                creation: show % 7 == 0,
            });
        }
    }
    performances
}

/// Writes `tickets.csv` (comma-separated, UTF-8) and `programme.csv` (semicolon-separated),
/// both as a spreadsheet or a ticketing export would. Returns the tickets file size.
pub fn generate(folder: &Path, tickets: usize, performances: &[Performance], seed: u64) -> u64 {
    let mut rng = Rng(0x5EED_0000_0000_0001 ^ tickets as u64 ^ seed.rotate_left(32));
    let path = folder.join("tickets.csv");
    let mut out = BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(
        out,
        "ticket_id,performance_id,show_id,show_title,starts_at,venue_name,venue_postal_code,\
         venue_city,venue_address,price_category,price_kind,price_incl_vat,vat_rate,status,sold_at"
    )
    .unwrap();
    let mut line = String::new();
    for i in 0..tickets {
        let p = &performances[rng.below(performances.len() as u64) as usize];
        let roll = rng.below(1000);
        // 6 % invitations, 40 % full price, 25 % reduced, 25 % subscription, 4 % other.
        let (category, kind, price) = match roll {
            0..=59 => ("Invitation", "free", "0"),
            60..=459 => ("Plein tarif", "full", "28.00"),
            460..=709 => ("Tarif réduit", "reduced", "18,50"),
            710..=959 => ("Abonné", "subscription", "15.00"),
            _ => ("Tarif unique", "", "12.00"),
        };
        // 2 % of the paid tickets of a show carry a bar voucher at 20 %: mixed rates.
        let rate = match (price, rng.below(50)) {
            ("0", _) => "",
            (_, 0) => "20",
            _ => p.rate,
        };
        let status = match rng.below(1000) {
            0..=29 => "refunded",
            30..=34 => "cancelled",
            _ => "valid",
        };
        let sold = p.date - Duration::days(1 + rng.below(60) as i64);
        // Sales between 08:00 and 23:59: a local time at 02:xx would not exist (or exist
        // twice) on the nights clocks change, and such rows are rightly quarantined.
        let minute = 8 * 60 + rng.below(16 * 60);
        line.clear();
        write!(
            line,
            "T{i:07},{},{},\"{}\",{},{},49370,Lanvière-sur-Loire,\"3 quai des Mariniers\",{category},{kind},\"{price}\",{rate},{status},{sold} {:02}:{:02}",
            p.id,
            p.id.split('-').next().unwrap(),
            p.title.replace('"', "\"\""),
            p.local_start,
            p.venue,
            minute / 60,
            minute % 60,
        )
        .unwrap();
        writeln!(out, "{line}").unwrap();
    }
    out.flush().unwrap();
    drop(out);

    // Enough seats for the average performance plus a margin: the fill rate stays plausible.
    let capacity = (tickets / performances.len()).max(50) * 6 / 5;
    let mut programme = String::from(
        "performance_id;show_title;starts_at;venue_name;venue_city;venue_type;capacity;\
         discipline;audience;creation\n",
    );
    for p in performances {
        writeln!(
            programme,
            "{};\"{}\";{};{};Lanvière-sur-Loire;THEATRE;{capacity};{};{};{}",
            p.id,
            p.title.replace('"', "\"\""),
            p.local_start,
            p.venue,
            p.discipline,
            p.audience,
            if p.creation { "yes" } else { "no" }
        )
        .unwrap();
    }
    std::fs::write(folder.join("programme.csv"), programme).unwrap();
    std::fs::metadata(&path).unwrap().len()
}

/// `count` performances in November 2025 in as many venues as needed for each to play three
/// times a day (15:00, 18:30, 20:30) on the 30 days, a new show every fifth performance.
fn month_of_network(count: usize) -> Vec<Performance> {
    const TIMES: [&str; 3] = ["15:00", "18:30", "20:30"];
    let venues = count.div_ceil(TIMES.len() * 30);
    let first = NaiveDate::from_ymd_opt(2025, 11, 1).unwrap();
    (0..count)
        .map(|i| {
            let slot = i / venues;
            let date = first + Duration::days((slot / TIMES.len()) as i64);
            let time = TIMES[slot % TIMES.len()];
            let show = i / PERFORMANCES_PER_SHOW;
            let (discipline, audience) = DISCIPLINES[show % DISCIPLINES.len()];
            Performance {
                id: format!("N{i:05}"),
                title: format!("{} #{show}", TITLES[show % TITLES.len()]),
                local_start: format!("{date} {time}"),
                date,
                venue: format!("Salle {}", i % venues + 1),
                discipline,
                audience,
                rate: if show.is_multiple_of(7) { "2.1" } else { "5.5" },
                creation: show.is_multiple_of(7),
            }
        })
        .collect()
}
