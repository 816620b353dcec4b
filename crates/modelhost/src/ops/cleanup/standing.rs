//! What a target costs while it stands and when it was last called, as the cost model read
//! it: the facts the cost conditions (`idle_for`, `costing`, `min_cost_per_hour`) decide by,
//! and what an action saves.

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use crate::Action;
use crate::costs::{Resource, Window};

/// What a billable target costs and how it was used, when the plan read it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Standing {
    /// USD per hour it costs now (`None`: unknown).
    pub now_per_hour: Option<Decimal>,
    /// USD per hour it costs while nobody calls it (`None`: unknown).
    pub floor_per_hour: Option<Decimal>,
    /// USD spent in the window (`None`: unknown).
    pub spend: Option<Decimal>,
    /// The first day calls were counted from (UTC); `None` when its calls could not be read.
    pub calls_from: Option<NaiveDate>,
    /// The last call seen since then: a time (RFC 3339) or, where only days are known, a
    /// UTC day (`2026-12-05`).
    pub last_called: Option<String>,
    /// Its requests counted to the minute over a recent window (Baseten's deployment
    /// metrics, read for idle times under a day), where they were.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recent: Option<Recent>,
    /// Why a figure above is unknown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<String>,
}

/// Requests counted from `since` to when the plan (or apply) read them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recent {
    /// The window's start.
    pub since: DateTime<Utc>,
    /// Requests in it.
    pub requests: u64,
}

impl Standing {
    /// The facts of `resource`, read over `window`.
    pub fn of(resource: &Resource, window: &Window) -> Self {
        Self {
            now_per_hour: resource.cost_per_hour.now,
            floor_per_hour: resource.cost_per_hour.floor,
            spend: resource.spend_30d,
            calls_from: resource.requests_30d.map(|_| window.first),
            last_called: resource.last_request_at.clone(),
            recent: None,
            unknown: resource.unknown.clone(),
        }
    }

    /// Whether it costs money while it stands, as the cost model says
    /// ([`PerHour::is_costing`](crate::costs::PerHour::is_costing)).
    pub fn is_costing(&self) -> bool {
        crate::costs::PerHour { now: self.now_per_hour, floor: self.floor_per_hour }.is_costing()
    }

    /// Whether nobody called it for `idle_for` before `now`; if not, or if that cannot be
    /// told, why.
    pub fn idle(&self, idle_for: Duration, now: DateTime<Utc>) -> Result<(), NotIdle> {
        let Some(from) = self.calls_from else {
            return Err(NotIdle::Unknown("its calls could not be read".to_owned()));
        };
        let since = chrono::Duration::from_std(idle_for).ok().and_then(|d| now.checked_sub_signed(d));
        let Some(since) = since else {
            return Err(NotIdle::Unknown("the idle time asked for is too long".to_owned()));
        };
        if since < from.and_time(chrono::NaiveTime::MIN).and_utc() {
            return Err(NotIdle::Unknown(format!("calls are counted from {from} only")));
        }
        // Counted to the minute over a window that covers the idle time: that decides.
        if let Some(recent) = self.recent.filter(|r| r.since <= since) {
            return match recent.requests {
                0 => Ok(()),
                n => Err(NotIdle::Called(format!(
                    "{n} time{} in the last {}",
                    if n == 1 { "" } else { "s" },
                    ago(now.signed_duration_since(recent.since)).trim_end_matches(" ago")
                ))),
            };
        }
        let Some(last) = &self.last_called else { return Ok(()) };
        // A day known only as a day may have been called until its very end.
        let called_until = match DateTime::parse_from_rfc3339(last) {
            Ok(at) => Some(at.with_timezone(&Utc)),
            Err(_) => last
                .parse::<NaiveDate>()
                .ok()
                .and_then(|d| d.succ_opt())
                .map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc()),
        };
        match called_until {
            Some(until) if until <= since => Ok(()),
            Some(until) if last.contains('T') => Err(NotIdle::Called(ago(now.signed_duration_since(until)))),
            Some(_) => Err(NotIdle::Called(format!("on {last}"))),
            None => Err(NotIdle::Unknown(format!("its last call `{}` is not a time", crate::Escaped(last)))),
        }
    }
}

/// `2 h ago`, `5 min ago`, `3 days ago`, `just now`.
fn ago(elapsed: chrono::Duration) -> String {
    let secs = elapsed.num_seconds();
    match secs {
        ..60 => "just now".to_owned(),
        60..3_600 => format!("{} min ago", secs / 60),
        3_600..86_400 => format!("{} h ago", secs / 3_600),
        _ => format!("{} days ago", secs / 86_400),
    }
}

/// Why a target is not idle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotIdle {
    /// It was called within the idle time (`2 h ago`, `on 2026-12-05`).
    Called(String),
    /// Its calls could not be read (never idle then).
    Unknown(String),
}

/// What an action removes: cost per hour now and at the floor, and the window's spend of
/// what goes. `None` where it is not known.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Savings {
    /// USD per hour of what it costs now.
    pub per_hour_now: Option<Decimal>,
    /// USD per hour of its floor.
    pub per_hour_floor: Option<Decimal>,
    /// The window's spend of what is removed.
    pub spend: Option<Decimal>,
}

impl Savings {
    /// What `action` saves on a target standing as `standing` says (`None`: a target with no
    /// standing cost, such as a Replicate version, saves nothing).
    pub fn of(action: Action, standing: Option<&Standing>) -> Self {
        let Some(s) = standing else {
            return Self {
                per_hour_now: Some(Decimal::ZERO),
                per_hour_floor: Some(Decimal::ZERO),
                spend: None,
            };
        };
        match action {
            // The floor goes; above it, replicas follow calls as before.
            Action::ScaleToZero => Self {
                per_hour_floor: s.floor_per_hour,
                per_hour_now: match (s.now_per_hour, s.floor_per_hour) {
                    (Some(now), Some(floor)) => Some(now.min(floor)),
                    _ => None,
                },
                // With no call in the window, all it spent was its floor.
                spend: s
                    .last_called
                    .is_none()
                    .then_some(s.spend)
                    .flatten()
                    .filter(|_| s.calls_from.is_some()),
            },
            _ => Self { per_hour_now: s.now_per_hour, per_hour_floor: s.floor_per_hour, spend: s.spend },
        }
    }

    /// Nothing saved: every figure 0 (what a sum starts from).
    pub fn nothing() -> Self {
        Self {
            per_hour_now: Some(Decimal::ZERO),
            per_hour_floor: Some(Decimal::ZERO),
            spend: Some(Decimal::ZERO),
        }
    }

    /// `saving $2.41/h ($1735.20 a month at the floor)`, `saving $0/h`, or `saving an
    /// unknown amount`: the floor, which is what stops being paid for sure.
    pub fn as_saving(&self) -> String {
        match self.per_hour_floor {
            None => "saving an unknown amount".to_owned(),
            Some(floor) if floor.is_zero() => "saving $0/h".to_owned(),
            Some(floor) => match floor.checked_mul(Decimal::from(HOURS_A_MONTH)) {
                Some(month) => format!("saving {}/h ({} a month at the floor)", usd(floor), usd(month)),
                None => format!("saving {}/h", usd(floor)),
            },
        }
    }

    /// Adds `other`, each figure unknown once either is (or the sum does not fit).
    pub fn plus(self, other: Self) -> Self {
        let sum = |a: Option<Decimal>, b: Option<Decimal>| a?.checked_add(b?);
        Self {
            per_hour_now: sum(self.per_hour_now, other.per_hour_now),
            per_hour_floor: sum(self.per_hour_floor, other.per_hour_floor),
            spend: sum(self.spend, other.spend),
        }
    }

    /// Whether it saves nothing that is known: every hourly figure is 0.
    pub fn is_nothing(&self) -> bool {
        self.per_hour_now == Some(Decimal::ZERO) && self.per_hour_floor == Some(Decimal::ZERO)
    }
}

impl fmt::Display for Savings {
    /// `saves $2.41/h now, $0.81/h at the floor ($583.20 a month)`, `saves $0/h`, with
    /// `unknown` for an unknown figure.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_nothing() {
            return f.write_str("saves $0/h");
        }
        let shown = |d: Option<Decimal>| d.map_or_else(|| "unknown".to_owned(), usd);
        write!(f, "saves {}/h now, {}/h at the floor", shown(self.per_hour_now), shown(self.per_hour_floor))?;
        if let Some(month) = self.per_hour_floor.and_then(|f| f.checked_mul(Decimal::from(HOURS_A_MONTH))) {
            write!(f, " ({} a month)", usd(month))?;
        }
        Ok(())
    }
}

/// The hours a month is counted as (30 days).
const HOURS_A_MONTH: u32 = 720;

/// `$2.41`: dollars to the cent (half away from zero), for people; plans keep the exact figure.
fn usd(amount: Decimal) -> String {
    format!("${:.2}", amount.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero))
}
