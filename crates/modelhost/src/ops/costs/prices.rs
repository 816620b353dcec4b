//! Replicate's prices: a table shipped with the crate as data (each SKU's USD per second,
//! where it was read and when), which a user's file of the same shape overrides SKU by SKU.

use std::collections::BTreeMap;
use std::path::Path;

use rust_decimal::Decimal;

/// The table shipped with this crate.
const SHIPPED: &str = include_str!("../../../data/replicate-prices.toml");

/// Replicate's hardware prices, by SKU, with where each came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceTable {
    rows: BTreeMap<String, (Decimal, Source)>,
}

/// Where a price was read, and when.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Source {
    /// The page or file it was read from.
    pub source: String,
    /// When it was read (as the file says), if it says.
    pub read: Option<String>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    source: String,
    read: Option<String>,
    usd_per_second: BTreeMap<String, String>,
}

/// Why a price file was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PriceFileError {
    /// It could not be read.
    #[error("cannot read the price file {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// It is not a price file.
    #[error("{path} is not a price file: {reason}")]
    Invalid {
        /// The file.
        path: String,
        /// What is wrong, with its line where known.
        reason: String,
    },
}

impl PriceTable {
    /// The table shipped with this crate.
    pub fn shipped() -> Self {
        Self::parse(SHIPPED, "the shipped price table").unwrap_or_else(|_| Self { rows: BTreeMap::new() })
    }

    /// The shipped table with `path`'s prices over it: a SKU the file names takes its price
    /// and source from the file.
    pub fn shipped_with(path: &Path) -> Result<Self, PriceFileError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|source| PriceFileError::Read { path: shown.clone(), source })?;
        let mut table = Self::shipped();
        table.rows.extend(Self::parse(&text, &shown)?.rows);
        Ok(table)
    }

    /// The price table `text` holds (named `name` in errors).
    pub fn parse(text: &str, name: &str) -> Result<Self, PriceFileError> {
        let invalid = |reason: String| PriceFileError::Invalid { path: name.to_owned(), reason };
        let file: File = toml::from_str(text).map_err(|e| invalid(e.to_string().trim().to_owned()))?;
        let source = Source { source: file.source, read: file.read };
        let mut rows = BTreeMap::new();
        for (sku, price) in file.usd_per_second {
            let parsed: Decimal = price
                .trim()
                .parse()
                .map_err(|_| invalid(format!("the price of `{sku}` is not a decimal number: `{price}`")))?;
            if parsed.is_sign_negative() {
                return Err(invalid(format!("the price of `{sku}` is negative")));
            }
            rows.insert(sku, (parsed, source.clone()));
        }
        Ok(Self { rows })
    }

    /// The price of `sku` in USD per hour, and where it came from; `None` when unknown.
    pub fn per_hour(&self, sku: &str) -> Option<(Decimal, &Source)> {
        let (per_second, source) = self.rows.get(sku)?;
        Some((per_second.checked_mul(Decimal::from(3600))?, source))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_table_has_the_t4_at_81_cents_an_hour() {
        let table = PriceTable::shipped();
        let (per_hour, source) = table.per_hour("gpu-t4").unwrap();
        assert_eq!(per_hour, "0.81".parse::<Decimal>().unwrap());
        assert_eq!(source.read.as_deref(), Some("2026-12-01"));
        assert!(table.per_hour("cpu").is_none(), "a price not read is unknown, not 0");
    }

    #[test]
    fn a_file_overrides_what_it_names_and_a_bad_one_says_where() {
        let dir = std::env::temp_dir().join(format!("prices-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("prices.toml");
        std::fs::write(&path, "source = \"our contract\"\n[usd_per_second]\ngpu-t4 = \"0.0002\"\n").unwrap();
        let table = PriceTable::shipped_with(&path).unwrap();
        assert_eq!(table.per_hour("gpu-t4").unwrap().1.source, "our contract");
        assert_eq!(table.per_hour("gpu-h100").unwrap().1.source, "https://replicate.com/pricing");
        std::fs::write(&path, "source = \"x\"\ncolour = 1\n[usd_per_second]\n").unwrap();
        let err = PriceTable::shipped_with(&path).unwrap_err().to_string();
        assert!(err.contains("colour") && err.contains("line 2"), "{err}");
        std::fs::write(&path, "source = \"x\"\n[usd_per_second]\ngpu-t4 = \"cheap\"\n").unwrap();
        assert!(PriceTable::shipped_with(&path).unwrap_err().to_string().contains("not a decimal"));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
