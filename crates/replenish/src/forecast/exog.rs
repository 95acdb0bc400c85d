//! Future values of exogenous regressors, matched to the forecast horizon.
//!
//! The Python and Node wrappers compute each series' `h` future times (the periods
//! after its last observation) and pass the user's future-regressor rows (`X_df`)
//! as ids, times and columns; [`align_future`] lays them out per series and step and
//! says exactly which (series, time) is missing.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// How times are encoded as integers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    /// Plain integers (period numbers).
    #[default]
    Index,
    /// Nanoseconds since 1970-01-01 (numpy `datetime64[ns]`).
    Nanoseconds,
    /// Milliseconds since 1970-01-01 (JavaScript `Date`).
    Milliseconds,
}

impl TimeUnit {
    /// A time as people read it: the number, or the date (with the time of day when
    /// it is not midnight).
    pub fn label(self, t: i64) -> String {
        let stamp = match self {
            TimeUnit::Index => return t.to_string(),
            TimeUnit::Nanoseconds => chrono::DateTime::from_timestamp_nanos(t),
            TimeUnit::Milliseconds => match chrono::DateTime::from_timestamp_millis(t) {
                Some(s) => s,
                None => return t.to_string(),
            },
        }
        .naive_utc();
        if stamp.time() == chrono::NaiveTime::MIN {
            stamp.format("%Y-%m-%d").to_string()
        } else {
            stamp.format("%Y-%m-%d %H:%M:%S").to_string()
        }
    }
}

/// Future-regressor rows as given by the user: one id and time per row, and one
/// column per regressor name.
#[derive(Debug, Clone, Copy)]
pub struct FutureRows<'a> {
    pub ids: &'a [String],
    pub times: &'a [i64],
    pub names: &'a [String],
    pub columns: &'a [Vec<f64>],
}

/// Lays future rows out as the horizon: for series `ids[i]` and step `s`, the row at
/// time `expected[i·h + s]`. Returns one column per name of `regressors` (in that
/// order), `ids.len() × h` values each. Rows for other series or times are not used.
/// Errors name the missing or unknown regressor, the duplicated row, or the first
/// missing (series, time) with a count of the others.
pub fn align_future(
    ids: &[String],
    expected: &[i64],
    h: usize,
    regressors: &[String],
    rows: FutureRows<'_>,
    unit: TimeUnit,
) -> Result<Vec<Vec<f64>>> {
    let bad = |msg: String| Error::InvalidInput(format!("X_df: {msg}"));
    if expected.len() != ids.len() * h {
        return Err(bad(format!("{} expected times for {} series × h = {h}", expected.len(), ids.len())));
    }
    let n = rows.ids.len();
    if rows.times.len() != n || rows.columns.len() != rows.names.len() || rows.columns.iter().any(|c| c.len() != n) {
        return Err(bad("ids, times and columns must have the same number of rows".into()));
    }
    let list = |v: &[String]| v.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
    if let Some(extra) = rows.names.iter().find(|n| !regressors.contains(n)) {
        return Err(bad(format!(
            "unknown regressor `{extra}`: the history's regressors are {}",
            if regressors.is_empty() { "none".to_string() } else { list(regressors) }
        )));
    }
    let mut columns = Vec::with_capacity(regressors.len());
    for name in regressors {
        match rows.names.iter().position(|n| n == name) {
            Some(k) => columns.push(&rows.columns[k]),
            None => return Err(bad(format!("regressor `{name}` has no column; give its future values"))),
        }
    }
    let mut at: HashMap<(&str, i64), usize> = HashMap::with_capacity(n);
    for r in 0..n {
        if at.insert((rows.ids[r].as_str(), rows.times[r]), r).is_some() {
            return Err(bad(format!("two rows for series `{}` at {}", rows.ids[r], unit.label(rows.times[r]))));
        }
    }
    let mut out: Vec<Vec<f64>> = vec![Vec::with_capacity(expected.len()); regressors.len()];
    let mut missing: Vec<(usize, i64)> = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        for &t in &expected[i * h..(i + 1) * h] {
            match at.get(&(id.as_str(), t)) {
                Some(&r) => {
                    for (k, col) in columns.iter().enumerate() {
                        let v = col[r];
                        if !v.is_finite() {
                            return Err(bad(format!(
                                "regressor `{}` is missing for series `{id}` at {}",
                                regressors[k],
                                unit.label(t)
                            )));
                        }
                        out[k].push(v);
                    }
                }
                None => missing.push((i, t)),
            }
        }
    }
    if let Some(&(i, t)) = missing.first() {
        let more = missing.len() - 1;
        return Err(bad(format!(
            "no row for series `{}` at {}{}; X_df needs the {h} periods after each series' last time in df",
            ids[i],
            unit.label(t),
            if more > 0 { format!(" (and {more} more (series, time) pairs missing)") } else { String::new() }
        )));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn rows_are_laid_out_per_series_and_step_whatever_their_order() {
        let ids = s(&["a", "b"]);
        let rows_ids = s(&["b", "a", "b", "a", "z"]);
        let times = [11, 10, 10, 11, 10];
        let names = s(&["promo"]);
        let cols = vec![vec![4.0, 1.0, 3.0, 2.0, 9.0]];
        let rows = FutureRows { ids: &rows_ids, times: &times, names: &names, columns: &cols };
        let out = align_future(&ids, &[10, 11, 10, 11], 2, &names, rows, TimeUnit::Index).unwrap();
        assert_eq!(out, vec![vec![1.0, 2.0, 3.0, 4.0]]);
    }

    #[test]
    fn errors_name_the_missing_row_the_unknown_and_the_missing_regressor() {
        let ids = s(&["a"]);
        let names = s(&["promo", "price"]);
        let day = 86_400_000_000_000i64;
        let rows_ids = s(&["a"]);
        let cols = vec![vec![1.0], vec![2.0]];
        let rows = FutureRows { ids: &rows_ids, times: &[20_000 * day], names: &names, columns: &cols };
        let e = align_future(&ids, &[20_000 * day, 20_001 * day], 2, &names, rows, TimeUnit::Nanoseconds)
            .unwrap_err()
            .to_string();
        assert!(e.contains("no row for series `a` at 2024-10-05"), "{e}");
        let other = s(&["promo", "temp"]);
        let rows = FutureRows { ids: &rows_ids, times: &[0], names: &other, columns: &cols };
        let e = align_future(&ids, &[0], 1, &names, rows, TimeUnit::Index).unwrap_err().to_string();
        assert!(e.contains("unknown regressor `temp`"), "{e}");
        let only = s(&["promo"]);
        let rows = FutureRows { ids: &rows_ids, times: &[0], names: &only, columns: &cols[..1] };
        let e = align_future(&ids, &[0], 1, &names, rows, TimeUnit::Index).unwrap_err().to_string();
        assert!(e.contains("regressor `price` has no column"), "{e}");
    }
}
