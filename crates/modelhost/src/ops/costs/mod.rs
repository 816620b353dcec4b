//! What standing resources cost: each billable resource's replicas, price, cost per hour
//! now and at its floor, and its last 30 days' spend and requests, with every figure a
//! provider cannot give left unknown (`None`, never 0) and the reason kept.
//!
//! Money is [`Decimal`]: prices and spend are read from the JSON text the provider sent, and
//! totals are exact sums. Each provider gathers its own ([`ModelHost::costs`](crate::ModelHost::costs)); [`Costs`]
//! holds them together with the price sources and what could not be read.

pub mod prices;
mod scope;

use std::collections::BTreeMap;

use rust_decimal::Decimal;

pub use prices::{PriceFileError, PriceTable, Source};
pub use scope::Scope;

use crate::{Provider, Target};

/// What a billable resource is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Kind {
    /// A Baseten model deployment.
    ModelDeployment,
    /// A Baseten chain deployment (its chainlets' replicas together).
    ChainDeployment,
    /// A Baseten training job.
    TrainingJob,
    /// A Replicate deployment.
    ReplicateDeployment,
}

/// Replicas (Replicate: instances) up now, and the autoscaling floor and ceiling; `None`
/// where the provider does not say (Replicate gives no count of instances up now).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Replicas {
    /// Up now.
    pub active: Option<u32>,
    /// Kept up even with no traffic.
    pub min: Option<u32>,
    /// The most it scales to.
    pub max: Option<u32>,
}

/// Cost per hour in USD: now (replicas up × price) and at the floor (min replicas × price).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct PerHour {
    /// What it costs now; `None` when the price or the count up now is unknown.
    pub now: Option<Decimal>,
    /// What it costs while nobody calls it; `None` when the price is unknown.
    pub floor: Option<Decimal>,
}

/// One instance type's price as a resource is charged it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Price {
    /// USD per hour for one replica.
    pub per_hour: Decimal,
    /// Where it came from (`baseten api (id)`, `baseten api (name)`, a price file).
    pub source: String,
}

/// One billable resource and what it costs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Resource {
    /// Its reference.
    pub reference: Target,
    /// Its provider.
    pub provider: Provider,
    /// What it is.
    pub kind: Kind,
    /// Its status as the provider says it.
    pub status: Option<String>,
    /// When it was created (RFC 3339), where the provider says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// The Baseten environment it is bound to (`production`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    /// The Baseten model deployment as listed, with the facts a clean-up decides by.
    #[serde(skip)]
    pub listed: Option<crate::VersionInfo>,
    /// Its instance type or hardware (chainlets' types joined with `+`).
    pub instance_type: Option<String>,
    /// Its replicas.
    pub replicas: Replicas,
    /// Its cost per hour.
    pub cost_per_hour: PerHour,
    /// USD spent over the 30 days of the [`Window`] (Replicate: estimated from predictions).
    pub spend_30d: Option<Decimal>,
    /// Inference requests over the same days.
    pub requests_30d: Option<u64>,
    /// The day (or time) of the last request seen in the window.
    pub last_request_at: Option<String>,
    /// The price it is charged, when one instance type prices it.
    pub price: Option<Price>,
    /// Why a figure above is unknown.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<String>,
}

impl Resource {
    /// What orders it among others: cost now, else its floor (descending, unknown last).
    pub fn sort_key(&self) -> Option<Decimal> {
        self.cost_per_hour.now.or(self.cost_per_hour.floor)
    }

    /// Whether it costs money while it stands ([`PerHour::is_costing`]).
    pub fn is_costing(&self) -> bool {
        self.cost_per_hour.is_costing()
    }
}

impl PerHour {
    /// Whether what it stands for costs money while it stands: its floor is above 0 (or
    /// unknown: it may be), or it costs something now. Replicate says no count up now, so
    /// there its floor decides.
    pub fn is_costing(&self) -> bool {
        self.floor.is_none_or(|floor| floor > Decimal::ZERO)
            || self.now.is_some_and(|now| now > Decimal::ZERO)
    }
}

/// Something a provider could not tell, and why: the rest of the answer stands.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Gap {
    /// The provider.
    pub provider: Provider,
    /// What is missing (`prices`, `spend and requests`).
    pub what: String,
    /// Why.
    pub why: String,
}

/// The days spend and requests are summed over: the 30 whole UTC days before `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Window {
    /// The first day.
    pub first: chrono::NaiveDate,
    /// The day after the last (today).
    pub end: chrono::NaiveDate,
}

impl Window {
    /// The 30 whole days before `today`.
    pub fn before(today: chrono::NaiveDate) -> Self {
        Self { first: today - chrono::Days::new(30), end: today }
    }

    /// The 30 days that end with `today`, today included: what a clean-up reads, so that a
    /// call made today counts against "idle".
    pub fn through(today: chrono::NaiveDate) -> Self {
        Self { first: today - chrono::Days::new(29), end: today + chrono::Days::new(1) }
    }

    /// The 30 whole days before today (UTC).
    pub fn last_30_days() -> Self {
        Self::before(chrono::Utc::now().date_naive())
    }

    /// Whether `day` is in it.
    pub fn contains(&self, day: chrono::NaiveDate) -> bool {
        self.first <= day && day < self.end
    }

    /// Its start as a UTC time.
    pub fn start_time(&self) -> chrono::DateTime<chrono::Utc> {
        self.first.and_time(chrono::NaiveTime::MIN).and_utc()
    }

    /// Its end (exclusive) as a UTC time.
    pub fn end_time(&self) -> chrono::DateTime<chrono::Utc> {
        self.end.and_time(chrono::NaiveTime::MIN).and_utc()
    }
}

/// What the resources of one or more providers cost.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Costs {
    /// Each resource.
    pub resources: Vec<Resource>,
    /// Where each provider's prices came from.
    pub sources: BTreeMap<Provider, Vec<Source>>,
    /// What could not be read.
    pub gaps: Vec<Gap>,
}

/// A provider's sums over its resources: each figure sums the rows that know it (`None`
/// when none does), and `unknown` counts the rows missing any of them (so a total is never
/// an unknown taken as 0).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Totals {
    /// Sum of cost per hour now.
    pub cost_per_hour_now: Option<Decimal>,
    /// Sum of cost per hour at the floor.
    pub cost_per_hour_floor: Option<Decimal>,
    /// Sum of the 30 days' spend.
    pub spend_30d: Option<Decimal>,
    /// Rows whose cost now, floor or spend is unknown.
    pub unknown: usize,
}

impl Costs {
    /// Adds another provider's answer.
    pub fn extend(&mut self, other: Costs) {
        self.resources.extend(other.resources);
        for (provider, sources) in other.sources {
            self.sources.entry(provider).or_default().extend(sources);
        }
        self.gaps.extend(other.gaps);
    }

    /// The resources by cost now (else floor), highest first, unknown last, then by reference.
    pub fn sort(&mut self) {
        self.resources.sort_by(|a, b| {
            let key =
                |r: &Resource| std::cmp::Reverse(r.sort_key().map(|k| (1, k)).unwrap_or((0, Decimal::ZERO)));
            key(a).cmp(&key(b)).then_with(|| a.reference.cmp(&b.reference))
        });
    }

    /// Each provider's totals.
    pub fn totals(&self) -> BTreeMap<Provider, Totals> {
        let mut totals: BTreeMap<Provider, Totals> = BTreeMap::new();
        for r in &self.resources {
            let t = totals.entry(r.provider).or_default();
            let figures = [r.cost_per_hour.now, r.cost_per_hour.floor, r.spend_30d];
            for (sum, figure) in [&mut t.cost_per_hour_now, &mut t.cost_per_hour_floor, &mut t.spend_30d]
                .into_iter()
                .zip(figures)
            {
                if let Some(figure) = figure {
                    // A sum too large for a decimal is unknown, never wrapped or 0.
                    *sum = add(Some(sum.unwrap_or_default()), Some(figure));
                }
            }
            t.unknown += usize::from(figures.iter().any(Option::is_none));
        }
        totals
    }
}

/// A money figure from the text a provider sent (a JSON number's shortest form, or a
/// decimal string), `None` when it is not one.
pub(crate) fn money(text: &str) -> Option<Decimal> {
    let text = text.trim();
    text.parse::<Decimal>().ok().or_else(|| Decimal::from_scientific(text).ok())
}

/// Most significant digits a JSON number read as `f64` (by the generated clients) carries
/// exactly: any decimal of at most 15 digits comes back from its shortest form unchanged.
#[cfg_attr(not(feature = "replicate"), allow(dead_code))]
const EXACT_DIGITS: usize = 15;

/// A money figure the generated client read as a JSON number: exact when its shortest form
/// has at most [`EXACT_DIGITS`] significant digits, otherwise `None` (the server may have
/// written digits an `f64` cannot hold, and a figure is never silently rounded).
#[cfg_attr(not(feature = "replicate"), allow(dead_code))]
pub(crate) fn float_money(value: f64) -> Option<Decimal> {
    if !value.is_finite() {
        return None;
    }
    let shortest = format!("{value:e}");
    let mantissa = shortest.split('e').next()?;
    if mantissa.chars().filter(char::is_ascii_digit).count() > EXACT_DIGITS {
        return None;
    }
    money(&shortest)
}

/// `count` replicas at `per_hour` each; `None` when either is unknown or the product does
/// not fit (a server's number never panics the sum).
pub(crate) fn times(count: Option<u32>, per_hour: Option<Decimal>) -> Option<Decimal> {
    match count? {
        // No replica costs nothing, whatever the price.
        0 => Some(Decimal::ZERO),
        count => Decimal::from(count).checked_mul(per_hour?),
    }
}

/// `a + b`, `None` when either is unknown or the sum does not fit.
pub(crate) fn add(a: Option<Decimal>, b: Option<Decimal>) -> Option<Decimal> {
    a?.checked_add(b?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_read_exactly_and_sums_without_drift() {
        let tenth = money("0.1").unwrap();
        let sum: Decimal = std::iter::repeat_n(tenth, 10).sum();
        assert_eq!(sum, Decimal::ONE);
        assert_eq!(money("1e-4").unwrap(), "0.0001".parse::<Decimal>().unwrap());
        assert_eq!(money(" 12.50 ").unwrap().to_string(), "12.50");
        assert!(money("cheap").is_none() && money("NaN").is_none());
        assert_eq!(float_money(0.01052), money("0.01052"));
        assert_eq!(float_money(0.0), Some(Decimal::ZERO));
        assert_eq!(float_money(1e30), money("1000000000000000000000000000000"));
        assert_eq!(float_money(9428948367029393534642074715.0), None, "more digits than an f64 holds");
        assert_eq!(float_money(f64::NAN), None);
        assert_eq!(times(Some(3), money("0.81")), money("2.43"));
        assert_eq!(times(None, money("0.81")), None);
        assert_eq!(times(Some(u32::MAX), Some(Decimal::MAX)), None, "too large is unknown, not a panic");
        assert_eq!(add(Some(Decimal::MAX), Some(Decimal::MAX)), None);
    }

    #[test]
    fn a_window_is_the_30_whole_days_before_today() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        let window = Window::before(today);
        assert_eq!(window.first.to_string(), "2026-11-06");
        assert!(window.contains(chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()));
        assert!(!window.contains(today));
    }
}
