//! `modelhost costs`: what standing resources cost, as rows for people (costing resources
//! first, totals per provider, price sources and what is unknown in a footer) or as one JSON
//! document (layout 1) with every resource.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::Arc;

use modelhost::costs::{Costs, Gap, Kind, PriceTable, Resource, Scope, Source, Totals, Window};
use modelhost::{Escaped, Provider};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::args::{CostsArgs, Output};
use crate::outcome::Hints;
use crate::progress::{Mode, Progress};
use crate::report::{self, CliError, NOT_ALL_DONE, SUCCESS};

/// Replicate's prices: the shipped table, with `file`'s over it; a bad file is a usage error
/// (exit 2) before anything is sent.
pub fn prices(file: Option<&std::path::Path>) -> Result<PriceTable, CliError> {
    match file {
        Some(path) => PriceTable::shipped_with(path).map_err(CliError::usage),
        None => Ok(PriceTable::shipped()),
    }
}

/// Runs `modelhost costs`: exit 0 with every provider read (unknown figures included), 1
/// when a provider's resources could not be listed (the others are still shown).
pub async fn costs(args: CostsArgs) -> Result<ExitCode, CliError> {
    let prices = prices(args.prices.as_deref())?;
    let providers = providers(&args.selectors)?;
    let progress = Arc::new(Progress::new(Mode::Quiet, 0, Hints::default()));
    let hosts = crate::run::configured(&providers, &progress)?;
    let window = Window::last_30_days();
    let reads = providers.iter().map(|&provider| {
        let scopes: Vec<Scope> = if args.selectors.is_empty() {
            Scope::everything(provider)
        } else {
            args.selectors.iter().filter(|s| s.provider() == provider).cloned().collect()
        };
        let (hosts, prices, window) = (&hosts, &prices, &window);
        async move {
            let read = match hosts.get(provider) {
                Ok(host) => host.costs(&scopes, prices, window).await,
                Err(e) => Err(e),
            };
            (provider, read)
        }
    });
    // Each provider at once: each has its own rate limit.
    let mut all = Costs::default();
    let mut listed_all = true;
    for (provider, read) in futures::future::join_all(reads).await {
        match read {
            Ok(costs) => all.extend(costs),
            Err(e) => {
                listed_all = false;
                all.gaps.push(Gap { provider, what: "its resources".to_owned(), why: e.to_string() });
            }
        }
    }
    all.sort();
    let text = match args.output {
        Output::Text => text(&all, &window, args.all),
        Output::Json => crate::render::json(&Document::new(&all, &window)),
    };
    Ok(report::result(text.as_bytes(), if listed_all { SUCCESS } else { NOT_ALL_DONE }))
}

/// The providers the selectors name, or every one whose credential is set.
fn providers(selectors: &[Scope]) -> Result<Vec<Provider>, CliError> {
    let mut providers: Vec<Provider> = if selectors.is_empty() {
        [Provider::Baseten, Provider::Replicate]
            .into_iter()
            .filter(|p| std::env::var_os(p.credential_env()).is_some())
            .collect()
    } else {
        selectors.iter().map(Scope::provider).collect()
    };
    providers.sort();
    providers.dedup();
    if providers.is_empty() {
        return Err(CliError::usage("no provider is configured: set BASETEN_API_KEY or REPLICATE_API_TOKEN"));
    }
    Ok(providers)
}

/// The JSON document (layout 1).
#[derive(Serialize)]
struct Document<'a> {
    layout: u32,
    currency: &'static str,
    generated_at: String,
    window: &'a Window,
    resources: &'a [Resource],
    totals: BTreeMap<Provider, Totals>,
    sources: &'a BTreeMap<Provider, Vec<Source>>,
    gaps: &'a [Gap],
}

impl<'a> Document<'a> {
    fn new(costs: &'a Costs, window: &'a Window) -> Self {
        Self {
            layout: 1,
            currency: "USD",
            generated_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            window,
            resources: &costs.resources,
            totals: costs.totals(),
            sources: &costs.sources,
            gaps: &costs.gaps,
        }
    }
}

/// `$1.23`, or `unknown`.
fn usd(amount: Option<Decimal>) -> String {
    amount.map_or_else(|| "unknown".to_owned(), |a| format!("${:.2}", a.round_dp(2)))
}

fn count(n: Option<u32>) -> String {
    n.map_or_else(|| "?".to_owned(), |n| n.to_string())
}

/// The rows, totals and footer.
fn text(costs: &Costs, window: &Window, all: bool) -> String {
    let header = [
        "RESOURCE",
        "STATUS",
        "TYPE",
        "UP (MIN-MAX)",
        "$/H NOW",
        "$/H FLOOR",
        "SPEND 30D",
        "REQUESTS",
        "LAST REQUEST",
    ];
    let listed: Vec<&Resource> = costs.resources.iter().filter(|r| all || r.is_costing()).collect();
    let rows: Vec<[String; 9]> = listed
        .iter()
        .map(|r| {
            [
                r.reference.to_string(),
                Escaped(r.status.as_deref().unwrap_or("-")).to_string(),
                Escaped(r.instance_type.as_deref().unwrap_or("-")).to_string(),
                format!("{} ({}-{})", count(r.replicas.active), count(r.replicas.min), count(r.replicas.max)),
                usd(r.cost_per_hour.now),
                usd(r.cost_per_hour.floor),
                usd(r.spend_30d),
                match (r.requests_30d, r.kind) {
                    (Some(n), _) => n.to_string(),
                    (None, Kind::TrainingJob) => "n/a".to_owned(),
                    (None, _) => "unknown".to_owned(),
                },
                r.last_request_at.as_deref().map_or_else(|| "-".to_owned(), |d| Escaped(d).to_string()),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let padded: Vec<String> = cells.iter().zip(widths).map(|(c, w)| format!("{c:<w$}")).collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    let mut out = String::new();
    if !rows.is_empty() {
        out += &line(&header.map(str::to_owned));
        for row in &rows {
            out += &line(row);
        }
        out.push('\n');
    }
    let quiet = costs.resources.len() - listed.len();
    if quiet > 0 {
        out += &format!("{quiet} more cost nothing now (--all lists them)\n");
    }
    for (provider, t) in costs.totals() {
        let unknown = match t.unknown {
            0 => String::new(),
            1 => " (1 resource with unknown figures, not counted)".to_owned(),
            n => format!(" ({n} resources with unknown figures, not counted)"),
        };
        let per_hour =
            |a: Option<Decimal>| a.map_or_else(|| "unknown".to_owned(), |a| format!("{}/h", usd(Some(a))));
        out += &format!(
            "{provider}: {} now, {} at the floor, {} over 30 days{unknown}\n",
            per_hour(t.cost_per_hour_now),
            per_hour(t.cost_per_hour_floor),
            usd(t.spend_30d),
        );
    }
    out += &format!(
        "spend and requests: the 30 days {} to {} (UTC)\n",
        window.first,
        window.end - chrono::Days::new(1)
    );
    for (provider, sources) in &costs.sources {
        for s in sources {
            let read =
                s.read.as_deref().map_or_else(|| "read now".to_owned(), |r| format!("read {}", Escaped(r)));
            out += &format!("prices: {provider}: {} ({read})\n", Escaped(&s.source));
        }
    }
    for gap in &costs.gaps {
        out += &format!("unknown: {} {}: {}\n", gap.provider, gap.what, Escaped(&gap.why));
    }
    if costs.resources.is_empty() {
        out += "nothing billable found\n";
    }
    out
}
