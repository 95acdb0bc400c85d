//! Reading one delimited text table into header + rows of strings, and typed
//! field access that records a [`Problem`] for every value it cannot use.

use crate::error::{Problem, ProblemKind};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How to read one file exported by another system, without editing it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ColumnMapping {
    /// Column name in the file → canonical column name (e.g. `"Artikelnummer" = "sku"`).
    pub rename: BTreeMap<String, String>,
    /// chrono format of date columns (e.g. `"%d.%m.%Y"`). Default: ISO `YYYY-MM-DD`,
    /// optionally followed by a time (`T` or space separated, with or without offset);
    /// the date is taken as written, without time-zone conversion.
    pub date_format: Option<String>,
    /// Decimal separator of numbers: `.` (default) or `,`.
    pub decimal_separator: char,
    /// Thousands separator to strip from numbers, if the export uses one.
    pub thousands_separator: Option<char>,
    /// Field delimiter: `,` (default), `;`, `\t` or `|`.
    pub delimiter: char,
}

/// The largest magnitude of a number in a table: quantities, costs and prices beyond
/// it are data errors (and would overflow sums of squares in the forecasts).
pub const MAX_MAGNITUDE: f64 = 1e15;

impl Default for ColumnMapping {
    fn default() -> Self {
        ColumnMapping {
            rename: BTreeMap::new(),
            date_format: None,
            decimal_separator: '.',
            thousands_separator: None,
            delimiter: ',',
        }
    }
}

/// A table as read from text: original and canonical header names and the rows.
#[derive(Debug)]
pub(crate) struct Table {
    pub file: String,
    /// Header as written in the file.
    pub headers: Vec<String>,
    /// Canonical name → column index.
    pub index: BTreeMap<String, usize>,
    /// (1-based line number, fields). Values are trimmed when read through [`Row`].
    pub rows: Vec<(u64, csv::StringRecord)>,
    /// Rows rejected while reading (encoding, field count), decoded lossily. Used
    /// only to know which keys a table declares, never as data.
    pub rejected: Vec<(u64, Vec<String>)>,
    pub rejected_rows: usize,
    pub mapping: ColumnMapping,
}

/// Reads a table; every problem found goes to `problems`. Returns `None` when
/// nothing usable could be read (empty file, unreadable header).
pub(crate) fn read_table(
    file: &str,
    bytes: &[u8],
    mapping: &ColumnMapping,
    problems: &mut Vec<Problem>,
) -> Option<Table> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        problems.push(Problem {
            file: file.into(),
            row: None,
            column: None,
            kind: ProblemKind::EmptyFile,
            message: "the file is empty: expected a header row and data".into(),
        });
        return None;
    }
    if !mapping.delimiter.is_ascii() || !mapping.decimal_separator.is_ascii() {
        problems.push(Problem {
            file: file.into(),
            row: None,
            column: None,
            kind: ProblemKind::InvalidValue,
            message: "delimiter and decimal separator must be ASCII characters".into(),
        });
        return None;
    }
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(mapping.delimiter as u8)
        .from_reader(bytes);
    let mut records = rdr.byte_records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            problems.push(Problem {
                file: file.into(),
                row: Some(1),
                column: None,
                kind: ProblemKind::MalformedRow,
                message: format!("cannot read the header: {e}"),
            });
            return None;
        }
        None => return None,
    };
    let mut headers = Vec::with_capacity(header.len());
    let mut header_ok = true;
    for (c, raw) in header.iter().enumerate() {
        match std::str::from_utf8(raw) {
            Ok(s) => headers.push(s.trim().to_string()),
            Err(_) => {
                header_ok = false;
                problems.push(Problem {
                    file: file.into(),
                    row: Some(1),
                    column: Some(format!("#{}", c + 1)),
                    kind: ProblemKind::InvalidEncoding,
                    message: "header is not valid UTF-8 text (save the file as UTF-8)".into(),
                });
                headers.push(String::from_utf8_lossy(raw).trim().to_string());
            }
        }
    }
    if !header_ok {
        return None;
    }
    let mut index = BTreeMap::new();
    for (c, h) in headers.iter().enumerate() {
        let canon = mapping.rename.get(h).cloned().unwrap_or_else(|| h.to_ascii_lowercase());
        if index.insert(canon.clone(), c).is_some() {
            problems.push(Problem {
                file: file.into(),
                row: Some(1),
                column: Some(h.clone()),
                kind: ProblemKind::DuplicateColumn,
                message: format!("column `{canon}` appears more than once in the header"),
            });
        }
    }
    let mut rows = Vec::new();
    let mut rejected = Vec::new();
    let mut rejected_rows = 0;
    for rec in records {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                rejected_rows += 1;
                let line = e.position().map(|p| p.line());
                problems.push(Problem {
                    file: file.into(),
                    row: line,
                    column: None,
                    kind: ProblemKind::MalformedRow,
                    message: format!("cannot split the row into fields: {e}"),
                });
                continue;
            }
        };
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        if rec.len() == 1 && rec.get(0).is_some_and(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue; // a blank line carries no data
        }
        if rec.len() != headers.len() {
            rejected_rows += 1;
            rejected.push((line, rec.iter().map(|f| String::from_utf8_lossy(f).trim().to_string()).collect()));
            problems.push(Problem {
                file: file.into(),
                row: Some(line),
                column: None,
                kind: ProblemKind::MalformedRow,
                message: format!(
                    "the row has {} field(s) but the header has {} (wrong delimiter or unquoted `{}` in a value?)",
                    rec.len(),
                    headers.len(),
                    mapping.delimiter
                ),
            });
            continue;
        }
        match csv::StringRecord::from_byte_record(rec) {
            Ok(fields) => rows.push((line, fields)),
            Err(e) => {
                let (c, at) = (e.utf8_error().field(), e.utf8_error().valid_up_to());
                let rec = e.into_byte_record();
                problems.push(Problem {
                    file: file.into(),
                    row: Some(line),
                    column: Some(headers.get(c).cloned().unwrap_or_else(|| format!("#{}", c + 1))),
                    kind: ProblemKind::InvalidEncoding,
                    message: format!("byte {} of the value is not valid UTF-8 (save the file as UTF-8)", at + 1),
                });
                rejected_rows += 1;
                rejected.push((line, rec.iter().map(|f| String::from_utf8_lossy(f).trim().to_string()).collect()));
            }
        }
    }
    Some(Table { file: file.into(), headers, index, rows, rejected, rejected_rows, mapping: mapping.clone() })
}

impl Table {
    /// Checks that every required canonical column is present.
    pub fn require(&self, columns: &[&str], problems: &mut Vec<Problem>) -> bool {
        let mut ok = true;
        for &c in columns {
            if !self.index.contains_key(c) {
                ok = false;
                let renamed: Vec<&String> =
                    self.mapping.rename.iter().filter(|(_, v)| v.as_str() == c).map(|(k, _)| k).collect();
                let hint = if renamed.is_empty() { String::new() } else { format!(" (mapped from {renamed:?})") };
                problems.push(Problem {
                    file: self.file.clone(),
                    row: Some(1),
                    column: Some(c.to_string()),
                    kind: ProblemKind::MissingColumn,
                    message: format!(
                        "required column `{c}`{hint} is missing; the header has: {}",
                        self.headers.join(", ")
                    ),
                });
            }
        }
        ok
    }

    /// Columns not in `known`, in file order (kept as item attributes, for example).
    pub fn extra_columns(&self, known: &[&str]) -> Vec<(String, usize)> {
        let mut v: Vec<(String, usize)> =
            self.index.iter().filter(|(k, _)| !known.contains(&k.as_str())).map(|(k, &i)| (k.clone(), i)).collect();
        v.sort_by_key(|(_, i)| *i);
        v
    }
}

/// Typed access to the fields of one row; each failure is recorded once and marks
/// the row as rejected.
pub(crate) struct Row<'a, 'p> {
    table: &'a Table,
    pub line: u64,
    fields: &'a csv::StringRecord,
    problems: &'p mut Vec<Problem>,
    pub ok: bool,
}

impl<'a, 'p> Row<'a, 'p> {
    pub fn new(table: &'a Table, line: u64, fields: &'a csv::StringRecord, problems: &'p mut Vec<Problem>) -> Self {
        Row { table, line, fields, problems, ok: true }
    }

    fn raw(&self, col: &str) -> Option<&'a str> {
        self.table.index.get(col).and_then(|&i| self.fields.get(i)).map(str::trim)
    }

    /// Records a problem on this row at canonical column `col`.
    pub fn problem(&mut self, col: &str, kind: ProblemKind, message: String) {
        self.ok = false;
        let column = self.table.index.get(col).map(|&i| self.table.headers[i].clone()).unwrap_or_else(|| col.into());
        self.problems.push(Problem {
            file: self.table.file.clone(),
            row: Some(self.line),
            column: Some(column),
            kind,
            message,
        });
    }

    pub fn opt_str(&mut self, col: &str) -> Option<String> {
        self.raw(col).filter(|s| !s.is_empty()).map(str::to_string)
    }

    /// A required value borrowed from the row's text (no allocation).
    pub fn req_ref(&mut self, col: &str) -> &'a str {
        match self.raw(col).filter(|s| !s.is_empty()) {
            Some(s) => s,
            None => {
                self.problem(col, ProblemKind::MissingValue, "a value is required".into());
                ""
            }
        }
    }

    pub fn req_str(&mut self, col: &str) -> String {
        match self.opt_str(col) {
            Some(s) => s,
            None => {
                self.problem(col, ProblemKind::MissingValue, "a value is required".into());
                String::new()
            }
        }
    }

    pub fn opt_f64(&mut self, col: &str) -> Option<f64> {
        let raw = self.raw(col).filter(|s| !s.is_empty())?;
        let m = &self.table.mapping;
        let mut s: String = match m.thousands_separator {
            Some(t) => raw.chars().filter(|&c| c != t).collect(),
            None => raw.to_string(),
        };
        if m.decimal_separator != '.' {
            if s.contains('.') {
                self.problem(
                    col,
                    ProblemKind::InvalidNumber,
                    format!("`{raw}` is not a number: the decimal separator is `{}`", m.decimal_separator),
                );
                return None;
            }
            s = s.replace(m.decimal_separator, ".");
        }
        match s.parse::<f64>() {
            Ok(v) if v.is_finite() && v.abs() <= MAX_MAGNITUDE => Some(v),
            Ok(v) if v.is_finite() => {
                self.problem(
                    col,
                    ProblemKind::OutOfRange,
                    format!("`{raw}` is beyond ±1e15, the largest magnitude accepted (a unit or currency mix-up?)"),
                );
                None
            }
            Ok(_) => {
                self.problem(col, ProblemKind::InvalidNumber, format!("`{raw}` is not a finite number"));
                None
            }
            Err(_) => {
                self.problem(col, ProblemKind::InvalidNumber, format!("`{raw}` is not a number"));
                None
            }
        }
    }

    pub fn req_f64(&mut self, col: &str) -> f64 {
        if self.raw(col).is_none_or(str::is_empty) {
            self.problem(col, ProblemKind::MissingValue, "a number is required".into());
            return 0.0;
        }
        self.opt_f64(col).unwrap_or(0.0)
    }

    /// A number that must be ≥ 0 (or > 0 when `strict`).
    pub fn non_negative(&mut self, col: &str, v: f64, strict: bool) -> f64 {
        if v < 0.0 || (strict && v == 0.0) {
            let want = if strict { "greater than 0" } else { "0 or more" };
            self.problem(col, ProblemKind::OutOfRange, format!("{v} is not allowed: must be {want}"));
        }
        v
    }

    pub fn opt_date(&mut self, col: &str) -> Option<NaiveDate> {
        let raw = self.raw(col).filter(|s| !s.is_empty())?;
        let parsed = match &self.table.mapping.date_format {
            Some(fmt) => NaiveDate::parse_from_str(raw, fmt)
                .ok()
                .or_else(|| NaiveDateTime::parse_from_str(raw, fmt).ok().map(|t| t.date())),
            None => parse_iso_date(raw),
        };
        if parsed.is_none() {
            let want = self.table.mapping.date_format.clone().unwrap_or_else(|| "YYYY-MM-DD".into());
            self.problem(col, ProblemKind::InvalidDate, format!("`{raw}` is not a date in the format {want}"));
        }
        parsed
    }

    pub fn req_date(&mut self, col: &str) -> Option<NaiveDate> {
        if self.raw(col).is_none_or(str::is_empty) {
            self.problem(col, ProblemKind::MissingValue, "a date is required".into());
            return None;
        }
        self.opt_date(col)
    }

    pub fn opt_bool(&mut self, col: &str) -> Option<bool> {
        let raw = self.raw(col).filter(|s| !s.is_empty())?;
        match raw.to_ascii_lowercase().as_str() {
            "1" | "true" | "t" | "yes" | "y" => Some(true),
            "0" | "false" | "f" | "no" | "n" => Some(false),
            _ => {
                self.problem(
                    col,
                    ProblemKind::InvalidValue,
                    format!("`{raw}` is not a yes/no value (1/0, true/false, yes/no)"),
                );
                None
            }
        }
    }
}

/// ISO date, or ISO timestamp whose date part is taken as written.
fn parse_iso_date(s: &str) -> Option<NaiveDate> {
    if s.len() < 10 || !s.is_char_boundary(10) {
        return None;
    }
    let date: NaiveDate = s[..10].parse().ok()?;
    let rest = &s[10..];
    if rest.is_empty() {
        return Some(date);
    }
    let ok = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").is_ok()
        || NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").is_ok()
        || NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").is_ok()
        || NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").is_ok()
        || chrono::DateTime::parse_from_rfc3339(s).is_ok()
        || chrono::DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f%:z").is_ok();
    ok.then_some(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_and_timestamps() {
        let d = NaiveDate::from_ymd_opt(2025, 3, 1);
        assert_eq!(parse_iso_date("2025-03-01"), d);
        assert_eq!(parse_iso_date("2025-03-01T23:59:59"), d);
        assert_eq!(parse_iso_date("2025-03-01 08:15:00.250"), d);
        assert_eq!(parse_iso_date("2025-03-01T08:15:00+02:00"), d);
        assert_eq!(parse_iso_date("2025-03-01Tgarbage"), None);
        assert_eq!(parse_iso_date("01/03/2025"), None);
        assert_eq!(parse_iso_date("2025-02-30"), None);
    }
}
