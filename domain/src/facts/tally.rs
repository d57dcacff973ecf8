//! Ticket counts and receipts per performance, before any rounding: what the monthly facts need
//! of the tickets, and nothing more.
//!
//! A performance's figures depend on its tickets only through sums over groups of tickets that
//! share a status, a VAT rate, a price kind and whether the price is zero ([`TicketGroup`]):
//! the amount excluding VAT is rounded per rate on the summed receipts (`domain.md` §3), never
//! per ticket. So the store can count and sum those groups itself (`GROUP BY`, integer cents)
//! and a month of any size is folded here from a few rows per performance, with exactly the
//! figures the ticket-by-ticket fold gives ([`Tallies::of_tickets`]).

use crate::model::{PriceKind, Ticket, TicketStatus};
use crate::money::Money;
use crate::vat::VatRate;
use std::collections::{BTreeMap, HashMap};

/// Tickets of one performance sharing status, rate, price kind and zero/non-zero price.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TicketGroup {
    pub status: TicketStatus,
    pub vat_rate: VatRate,
    pub price_kind: Option<PriceKind>,
    /// Price zero (invitations, exonérés).
    pub free: bool,
    pub tickets: u64,
    /// Sum of the prices, VAT included (exact).
    pub receipts_incl_vat: Money,
}

impl TicketGroup {
    /// The group of one ticket.
    pub fn of(ticket: &Ticket) -> TicketGroup {
        TicketGroup {
            status: ticket.status,
            vat_rate: ticket.vat_rate,
            price_kind: ticket.price_kind,
            free: ticket.is_free(),
            tickets: 1,
            receipts_incl_vat: ticket.price_incl_vat,
        }
    }
}

/// One performance's ticket figures, unrounded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TicketTally {
    pub paid: u64,
    pub free: u64,
    pub void: u64,
    pub full: u64,
    pub full_incl: Money,
    pub reduced: u64,
    pub subscription: u64,
    /// Receipts VAT included and paid tickets, per rate.
    pub by_rate: BTreeMap<VatRate, (Money, u64)>,
}

impl TicketTally {
    /// Adds a group of tickets: refunded or cancelled ones never count, free ones count apart,
    /// paid ones feed the per-rate receipts and the tariff families.
    pub fn add(&mut self, group: &TicketGroup) {
        let n = group.tickets;
        if group.status != TicketStatus::Valid {
            self.void += n;
            return;
        }
        if group.free {
            self.free += n;
            return;
        }
        self.paid += n;
        let entry = self
            .by_rate
            .entry(group.vat_rate)
            .or_insert((Money::ZERO, 0));
        entry.0 += group.receipts_incl_vat;
        entry.1 += n;
        match group.price_kind {
            Some(PriceKind::Full) => {
                self.full += n;
                self.full_incl += group.receipts_incl_vat;
            }
            Some(PriceKind::Reduced) => self.reduced += n,
            Some(PriceKind::Subscription) => self.subscription += n,
            _ => {}
        }
    }

    /// Any ticket at all, whatever its status.
    pub fn any(&self) -> bool {
        self.paid + self.free + self.void > 0
    }
}

/// Tallies by performance, keyed by `(source, performance external id)`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tallies(HashMap<(String, String), TicketTally>);

impl Tallies {
    /// Folds tickets one by one (what tests and callers holding tickets in memory use).
    pub fn of_tickets(tickets: &[Ticket]) -> Tallies {
        let mut tallies = Tallies::default();
        for t in tickets {
            tallies.add(&t.source, &t.performance_external_id, &TicketGroup::of(t));
        }
        tallies
    }

    /// Adds a group of tickets of one performance.
    pub fn add(&mut self, source: &str, performance_external_id: &str, group: &TicketGroup) {
        self.0
            .entry((source.to_string(), performance_external_id.to_string()))
            .or_default()
            .add(group);
    }

    /// Takes the tally of one performance out (each performance is read once).
    pub fn take(&mut self, source: &str, external_id: &str) -> Option<TicketTally> {
        self.0
            .remove(&(source.to_string(), external_id.to_string()))
    }
}
