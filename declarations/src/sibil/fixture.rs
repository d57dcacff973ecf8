//! Test months for the SIBIL and SACD tests: ticketing records, tickets and programme rows
//! built with `releve_domain::testing`, turned into facts by the real facts builder.

use crate::BuildInput;
use chrono::{DateTime, TimeZone, Utc};
use releve_domain::facts::{build_month_facts, FactsInput};
use releve_domain::testing::*;
use releve_domain::{
    Discipline, DisciplineTable, MonthFacts, Organisation, PerformanceRecord, PriceKind,
    ProgrammeEntry, Rules, Ticket, TicketStatus,
};

pub(crate) fn generated_at() -> DateTime<Utc> {
    // 1 December 2025, 09:00 in Paris.
    Utc.with_ymd_and_hms(2025, 12, 1, 8, 0, 0).unwrap()
}

pub(crate) struct TestMonth {
    pub month: &'static str,
    pub org: Organisation,
    pub records: Vec<PerformanceRecord>,
    pub tickets: Vec<Ticket>,
    pub programme: Vec<ProgrammeEntry>,
    next_ticket: usize,
}

impl TestMonth {
    pub fn new(month: &'static str) -> TestMonth {
        TestMonth {
            month,
            org: organisation(false),
            records: vec![],
            tickets: vec![],
            programme: vec![],
            next_ticket: 0,
        }
    }

    /// A ticketed performance with its programme row (capacity 400, venue THEATRE); returns
    /// the row to adjust.
    pub fn ticketed(
        &mut self,
        id: &str,
        title: &str,
        start: &str,
        d: Discipline,
    ) -> &mut ProgrammeEntry {
        self.records.push(performance(id, title, start));
        let mut row = programme(Some(id), title, start, d);
        row.line = 2 + self.programme.len() as u64;
        self.programme.push(row);
        self.programme.last_mut().unwrap()
    }

    /// A ticketed performance that no programme row describes (no discipline).
    pub fn ticketing_only(&mut self, id: &str, title: &str, start: &str) {
        self.records.push(performance(id, title, start));
    }

    /// A performance without ticketing, programme row only.
    pub fn programme_only(
        &mut self,
        title: &str,
        start: &str,
        d: Discipline,
    ) -> &mut ProgrammeEntry {
        let mut row = programme(None, title, start, d);
        row.line = 2 + self.programme.len() as u64;
        self.programme.push(row);
        self.programme.last_mut().unwrap()
    }

    /// `count` valid tickets at `price` and `rate`.
    pub fn sell(&mut self, id: &str, count: usize, price: &str, rate: &str, kind: PriceKind) {
        self.tickets
            .extend(tickets(id, self.next_ticket, count, price, rate, kind));
        self.next_ticket += count;
    }

    /// `count` tickets at `price` that were refunded since.
    pub fn refunded(&mut self, id: &str, count: usize, price: &str) {
        let mut sold = tickets(id, self.next_ticket, count, price, "5.5", PriceKind::Full);
        for t in &mut sold {
            t.status = TicketStatus::Refunded;
        }
        self.tickets.extend(sold);
        self.next_ticket += count;
    }

    /// The worked example of `domain.md` §3: 120 full-price tickets at 18.00 (5.5 %), 30
    /// reduced at 30.00 (20 %) and 10 invitations.
    pub fn worked_example(&mut self, id: &str) {
        self.sell(id, 120, "18.00", "5.5", PriceKind::Full);
        self.sell(id, 30, "30.00", "20", PriceKind::Reduced);
        self.sell(id, 10, "0", "0", PriceKind::Free);
    }

    pub fn facts(&self) -> MonthFacts {
        build_month_facts(FactsInput {
            organisation: &self.org,
            month: self.month.parse().unwrap(),
            records: &self.records,
            tickets: &self.tickets,
            programme: &self.programme,
        })
    }
}

pub(crate) fn input(facts: &MonthFacts) -> BuildInput<'_> {
    BuildInput {
        facts,
        rules: Rules::default_rules(),
        disciplines: DisciplineTable::default_table(),
        generated_at: generated_at(),
    }
}
