//! Reading one delimited text table into header + rows of strings, and typed
//! field access that records a [`Problem`] for every value it cannot use.

use crate::error::{Problem, ProblemKind};
use chrono::{NaiveDate, NaiveDateTime};
use rayon::prelude::*;
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
    /// The rows read (1-based line number, fields). Values are trimmed when read
    /// through [`Row`].
    pub rows: Rows,
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
    read_table_in_chunks(file, bytes, mapping, problems, CHUNK_BYTES)
}

/// [`read_table`] with the body read in chunks of about `chunk_bytes`.
fn read_table_in_chunks(
    file: &str,
    bytes: &[u8],
    mapping: &ColumnMapping,
    problems: &mut Vec<Problem>,
    chunk_bytes: usize,
) -> Option<Table> {
    // Reading from memory cannot fail.
    let mut blocks = TableBlocks::open(file, Text::Bytes(bytes), mapping, problems, usize::MAX).ok()??;
    blocks.chunk_bytes = chunk_bytes;
    let _ = blocks.next(problems);
    Some(blocks.table)
}

/// The text of a table: in memory, or a reader (an open file) that is read in blocks.
pub(crate) enum Text<'a> {
    Bytes(&'a [u8]),
    Reader(Box<dyn std::io::Read + Send + 'a>),
}

/// A table read block by block: the header when opened, then the body in blocks of
/// about `block_bytes` that end at a line end, so that a table larger than memory
/// can be read. After [`TableBlocks::next`], `table.rows` holds the block's rows.
pub(crate) struct TableBlocks<'a> {
    pub table: Table,
    text: Text<'a>,
    /// `Bytes`: where the next block starts. `Reader`: unused.
    at: usize,
    /// `Reader`: bytes read and not yet handed out.
    pending: Vec<u8>,
    eof: bool,
    /// Line number of the next block's first line.
    line: u64,
    block_bytes: usize,
    chunk_bytes: usize,
}

impl<'a> TableBlocks<'a> {
    /// Reads the header. `Ok(None)`: nothing usable (the problems say why); `Err`:
    /// the reader failed.
    pub fn open(
        file: &str,
        text: Text<'a>,
        mapping: &ColumnMapping,
        problems: &mut Vec<Problem>,
        block_bytes: usize,
    ) -> std::io::Result<Option<Self>> {
        let mut this = TableBlocks {
            table: Table {
                file: file.into(),
                headers: Vec::new(),
                index: BTreeMap::new(),
                rows: Rows::default(),
                rejected: Vec::new(),
                rejected_rows: 0,
                mapping: mapping.clone(),
            },
            text,
            at: 0,
            pending: Vec::new(),
            eof: false,
            line: 1,
            block_bytes: block_bytes.max(1),
            chunk_bytes: CHUNK_BYTES,
        };
        // The start of the text: up to a line end that is not only blank lines.
        if let Text::Reader(_) = this.text {
            while !this.eof
                && (this.pending.len() < this.block_bytes.min(1 << 20)
                    || this.pending.iter().all(u8::is_ascii_whitespace))
            {
                this.fill(1 << 20)?;
            }
        }
        let bytes: &[u8] = match &this.text {
            Text::Bytes(b) => b,
            Text::Reader(_) => &this.pending,
        };
        let bom = if bytes.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
        let bytes = &bytes[bom..];
        if bytes.iter().all(|b| b.is_ascii_whitespace()) {
            problems.push(Problem {
                file: file.into(),
                row: None,
                column: None,
                kind: ProblemKind::EmptyFile,
                message: "the file is empty: expected a header row and data".into(),
            });
            return Ok(None);
        }
        if !mapping.delimiter.is_ascii() || !mapping.decimal_separator.is_ascii() {
            problems.push(Problem {
                file: file.into(),
                row: None,
                column: None,
                kind: ProblemKind::InvalidValue,
                message: "delimiter and decimal separator must be ASCII characters".into(),
            });
            return Ok(None);
        }
        let mut rdr = reader(bytes, mapping.delimiter);
        let mut header = csv::ByteRecord::new();
        match rdr.read_byte_record(&mut header) {
            Ok(true) => {}
            Err(e) => {
                problems.push(Problem {
                    file: file.into(),
                    row: Some(1),
                    column: None,
                    kind: ProblemKind::MalformedRow,
                    message: format!("cannot read the header: {e}"),
                });
                return Ok(None);
            }
            Ok(false) => return Ok(None),
        }
        let body_at = (rdr.position().byte() as usize).min(bytes.len());
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
            return Ok(None);
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
        this.line = 1 + lines_in(&bytes[..body_at]);
        match this.text {
            Text::Bytes(_) => this.at = bom + body_at,
            Text::Reader(_) => {
                this.pending.drain(..bom + body_at);
            }
        }
        this.table.rows = Rows::new(headers.len());
        this.table.headers = headers;
        this.table.index = index;
        Ok(Some(this))
    }

    /// Reads up to `want` more bytes from the reader into `pending` (fewer only at
    /// the end of the text).
    fn fill(&mut self, want: usize) -> std::io::Result<()> {
        use std::io::Read;
        let Text::Reader(r) = &mut self.text else { return Ok(()) };
        self.pending.reserve(want);
        let got = r.take(want as u64).read_to_end(&mut self.pending)?;
        self.eof |= got < want;
        Ok(())
    }

    /// Reads the next block of rows into `table.rows` (and its rejected rows into
    /// `table.rejected`); `Ok(false)` when the body is done. A block ends at a line
    /// end; a block holding a quote runs to the end of the table (a quoted value may
    /// hold a line end, so the text is not split after it).
    pub fn next(&mut self, problems: &mut Vec<Problem>) -> std::io::Result<bool> {
        let block_bytes = self.block_bytes;
        let owned;
        let body: &[u8] = match &self.text {
            Text::Bytes(b) => {
                let rest = &b[self.at.min(b.len())..];
                let end = block_end(rest, block_bytes);
                self.at += end;
                &rest[..end]
            }
            Text::Reader(_) => {
                while !self.eof && self.pending.len() < block_bytes {
                    self.fill(block_bytes - self.pending.len())?;
                }
                let end = if self.eof {
                    block_end(&self.pending, block_bytes)
                } else if self.pending.contains(&b'"') {
                    while !self.eof {
                        self.fill(block_bytes)?;
                    }
                    self.pending.len()
                } else {
                    match self.pending.iter().rposition(|&c| c == b'\n') {
                        Some(i) => i + 1,
                        None => {
                            // A line longer than a block: read on to its end.
                            while !self.eof && !self.pending[block_bytes.min(self.pending.len())..].contains(&b'\n') {
                                self.fill(block_bytes)?;
                            }
                            self.pending.iter().rposition(|&c| c == b'\n').map_or(self.pending.len(), |i| i + 1)
                        }
                    }
                };
                let rest = self.pending.split_off(end);
                owned = std::mem::replace(&mut self.pending, rest);
                &owned
            }
        };
        if body.is_empty() {
            self.table.rows = Rows::new(self.table.headers.len());
            self.table.rejected.clear();
            return Ok(false);
        }
        let first_line = self.line;
        self.line += lines_in(body);
        let part = read_body(
            &self.table.file,
            &self.table.headers,
            body,
            first_line,
            self.table.mapping.delimiter,
            self.chunk_bytes,
        );
        problems.extend(part.problems);
        self.table.rows = part.rows;
        self.table.rejected = part.rejected;
        self.table.rejected_rows += part.rejected_rows;
        Ok(true)
    }
}

/// Where the block at the start of `rest` ends: at the first line end after
/// `block_bytes`, or at the end of `rest` when that comes first or the block holds a
/// quote.
fn block_end(rest: &[u8], block_bytes: usize) -> usize {
    if rest.len() <= block_bytes {
        return rest.len();
    }
    let end = rest[block_bytes..].iter().position(|&c| c == b'\n').map_or(rest.len(), |i| block_bytes + i + 1);
    if rest[..end].contains(&b'"') {
        rest.len()
    } else {
        end
    }
}

/// The number of line ends in `text` (SIMD: the line numbers of a POS file are
/// counted over all of its bytes).
fn lines_in(text: &[u8]) -> u64 {
    if text.len() < 64 {
        // The span between two records: a call into bytecount costs more.
        return text.iter().filter(|&&b| b == b'\n').count() as u64;
    }
    bytecount::count(text, b'\n') as u64
}

fn reader(bytes: &[u8], delimiter: char) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter as u8).from_reader(bytes)
}

/// Reads a body (rows only), whose first line is `body_line` of the file, in chunks
/// of about `chunk_bytes` read in parallel and split at line ends. Only when no value
/// is quoted: a quoted value may hold a line end, so quoted text is read in one piece.
fn read_body(
    file: &str,
    headers: &[String],
    body: &[u8],
    body_line: u64,
    delimiter: char,
    chunk_bytes: usize,
) -> Chunk {
    let mut chunks: Vec<(u64, &[u8])> = Vec::new();
    if body.contains(&b'"') || body.len() < 2 * chunk_bytes {
        chunks.push((body_line, body));
    } else {
        let (mut at, mut line) = (0, body_line);
        while at < body.len() {
            let end = body[(at + chunk_bytes).min(body.len())..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(body.len(), |i| (at + chunk_bytes + i + 1).min(body.len()));
            chunks.push((line, &body[at..end]));
            line += lines_in(&body[at..end]);
            at = end;
        }
    }
    let width = headers.len();
    let parts: Vec<Chunk> = chunks
        .into_par_iter()
        .map(|(first_line, text)| read_chunk(file, headers, first_line, delimiter, reader(text, delimiter)))
        .collect();
    let mut all = Chunk { rows: Rows::new(width), problems: Vec::new(), rejected: Vec::new(), rejected_rows: 0 };
    for part in parts {
        all.rows.append(part.rows);
        all.problems.extend(part.problems);
        all.rejected.extend(part.rejected);
        all.rejected_rows += part.rejected_rows;
    }
    all
}

/// Bytes per chunk of a table read in parallel.
const CHUNK_BYTES: usize = 4 << 20;

/// What one chunk of a table's body yields.
struct Chunk {
    rows: Rows,
    problems: Vec<Problem>,
    rejected: Vec<(u64, Vec<String>)>,
    rejected_rows: usize,
}

/// Reads the records of one chunk whose first line is `first_line` of the file.
fn read_chunk(file: &str, headers: &[String], first_line: u64, delimiter: char, mut rdr: csv::Reader<&[u8]>) -> Chunk {
    let width = headers.len();
    let mut c = Chunk { rows: Rows::new(width), problems: Vec::new(), rejected: Vec::new(), rejected_rows: 0 };
    // Line numbers are counted here rather than taken from the csv reader, which
    // numbers rows of CRLF files one too low: a row's line is 1 + the line ends
    // before its first byte (past the previous row's terminator).
    let text: &[u8] = rdr.get_ref();
    let (mut at, mut line_at) = (0usize, first_line);
    let mut line_of = |p: &csv::Position| {
        let mut b = (p.byte() as usize).min(text.len());
        while b < text.len() && (text[b] == b'\r' || text[b] == b'\n') {
            b += 1;
        }
        if b > at {
            line_at += lines_in(&text[at..b]);
            at = b;
        }
        line_at
    };
    let lossy = |rec: &csv::ByteRecord| rec.iter().map(|f| String::from_utf8_lossy(f).trim().to_string()).collect();
    let mut rec = csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                c.rejected_rows += 1;
                c.problems.push(Problem {
                    file: file.into(),
                    row: e.position().map(&mut line_of),
                    column: None,
                    kind: ProblemKind::MalformedRow,
                    message: format!("cannot split the row into fields: {e}"),
                });
                continue;
            }
        }
        let line = rec.position().map_or(0, &mut line_of);
        if rec.len() == 1 && rec.get(0).is_some_and(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue; // a blank line carries no data
        }
        if rec.len() != width {
            c.rejected_rows += 1;
            c.rejected.push((line, lossy(&rec)));
            c.problems.push(Problem {
                file: file.into(),
                row: Some(line),
                column: None,
                kind: ProblemKind::MalformedRow,
                message: format!(
                    "the row has {} field(s) but the header has {width} (wrong delimiter or unquoted `{delimiter}` in a value?)",
                    rec.len(),
                ),
            });
            continue;
        }
        // One UTF-8 check of the whole record: valid, with every field ending on a
        // character boundary, means every field is valid. Only a failing record is
        // checked field by field, to name the column.
        if let Ok(text) = std::str::from_utf8(rec.as_slice()) {
            if (0..rec.len()).all(|i| rec.range(i).is_some_and(|r| text.is_char_boundary(r.end))) {
                c.rows.push(line, text, &rec);
                continue;
            }
        }
        if let Some((col, e)) = rec.iter().enumerate().find_map(|(i, f)| std::str::from_utf8(f).err().map(|e| (i, e))) {
            c.problems.push(Problem {
                file: file.into(),
                row: Some(line),
                column: Some(headers.get(col).cloned().unwrap_or_else(|| format!("#{}", col + 1))),
                kind: ProblemKind::InvalidEncoding,
                message: format!(
                    "byte {} of the value is not valid UTF-8 (save the file as UTF-8)",
                    e.valid_up_to() + 1
                ),
            });
            c.rejected_rows += 1;
            c.rejected.push((line, lossy(&rec)));
        }
    }
    c
}

/// The rows of a table packed together: each row's fields back to back in the text
/// of a block, with their end offsets, instead of an allocation per row. A table
/// read in chunks keeps each chunk's block (no copy into one); a block holds at most
/// 4 GiB of text, so offsets fit in `u32`.
#[derive(Debug, Default)]
pub(crate) struct Rows {
    width: usize,
    blocks: Vec<Block>,
    /// Index of each block's first row.
    firsts: Vec<usize>,
    len: usize,
}

#[derive(Debug, Default)]
struct Block {
    text: String,
    /// Where each row's fields start in `text`.
    starts: Vec<u32>,
    /// `width` field ends per row, from the row's start.
    ends: Vec<u32>,
    lines: Vec<u64>,
}

impl Block {
    fn row(&self, j: usize, width: usize) -> (&u64, Fields<'_>) {
        let start = self.starts[j] as usize;
        let end = self.starts.get(j + 1).map_or(self.text.len(), |&e| e as usize);
        (&self.lines[j], Fields { text: &self.text[start..end], ends: &self.ends[j * width..(j + 1) * width] })
    }
}

/// The fields of one row.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields<'a> {
    text: &'a str,
    ends: &'a [u32],
}

impl<'a> Fields<'a> {
    pub fn get(&self, i: usize) -> Option<&'a str> {
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.text.get(start..end)
    }
}

impl Rows {
    fn new(width: usize) -> Self {
        Rows { width, ..Rows::default() }
    }
    pub fn len(&self) -> usize {
        self.len
    }
    /// Row `i`: its line number and fields.
    pub fn row(&self, i: usize) -> (&u64, Fields<'_>) {
        let b = self.firsts.partition_point(|&f| f <= i) - 1;
        self.blocks[b].row(i - self.firsts[b], self.width)
    }
    pub fn iter(&self) -> impl Iterator<Item = (&u64, Fields<'_>)> + '_ {
        self.blocks.iter().flat_map(move |b| (0..b.lines.len()).map(move |j| b.row(j, self.width)))
    }
    /// A record with `width` fields whose concatenated text is `text`.
    fn push(&mut self, line: u64, text: &str, rec: &csv::ByteRecord) {
        if self.blocks.last().is_none_or(|b| b.text.len() + text.len() > u32::MAX as usize) {
            self.firsts.push(self.len);
            self.blocks.push(Block::default());
        }
        let Some(b) = self.blocks.last_mut() else { return };
        b.starts.push(b.text.len() as u32);
        b.lines.push(line);
        b.text.push_str(text);
        // A single row of over 4 GiB would have its ends cut; none is that long.
        b.ends.extend((0..rec.len()).map(|i| rec.range(i).map_or(0, |r| u32::try_from(r.end).unwrap_or(u32::MAX))));
        self.len += 1;
    }
    /// Moves `other`'s rows after these.
    fn append(&mut self, other: Rows) {
        for b in other.blocks.into_iter().filter(|b| !b.lines.is_empty()) {
            self.firsts.push(self.len);
            self.len += b.lines.len();
            self.blocks.push(b);
        }
    }
}

impl Table {
    /// Column `name` of this table, resolved once.
    pub fn col<'n>(&self, name: &'n str) -> Col<'n> {
        Col { name, index: self.index.get(name).copied() }
    }

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
/// A column named by its canonical name: a `&str` is looked up in the table's
/// index on each use; a [`Col`] was looked up once, for tables read row by row in
/// the millions.
pub(crate) trait ColRef: Copy {
    fn name(&self) -> &str;
    fn index(&self, table: &Table) -> Option<usize>;
}

impl ColRef for &str {
    fn name(&self) -> &str {
        self
    }
    fn index(&self, table: &Table) -> Option<usize> {
        table.index.get(*self).copied()
    }
}

/// A column of one table, its index resolved ([`Table::col`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Col<'n> {
    name: &'n str,
    index: Option<usize>,
}

impl ColRef for Col<'_> {
    fn name(&self) -> &str {
        self.name
    }
    fn index(&self, _: &Table) -> Option<usize> {
        self.index
    }
}

pub(crate) struct Row<'a, 'p> {
    table: &'a Table,
    pub line: u64,
    fields: Fields<'a>,
    problems: &'p mut Vec<Problem>,
    pub ok: bool,
}

impl<'a, 'p> Row<'a, 'p> {
    pub fn new(table: &'a Table, line: u64, fields: Fields<'a>, problems: &'p mut Vec<Problem>) -> Self {
        Row { table, line, fields, problems, ok: true }
    }

    fn raw(&self, col: impl ColRef) -> Option<&'a str> {
        col.index(self.table).and_then(|i| self.fields.get(i)).map(trim)
    }

    /// Records a problem on this row at canonical column `col`.
    pub fn problem(&mut self, col: impl ColRef, kind: ProblemKind, message: String) {
        self.ok = false;
        let column = col.index(self.table).map(|i| self.table.headers[i].clone()).unwrap_or_else(|| col.name().into());
        self.problems.push(Problem {
            file: self.table.file.clone(),
            row: Some(self.line),
            column: Some(column),
            kind,
            message,
        });
    }

    pub fn opt_str(&mut self, col: impl ColRef) -> Option<String> {
        self.raw(col).filter(|s| !s.is_empty()).map(str::to_string)
    }

    /// A required value borrowed from the row's text (no allocation).
    pub fn req_ref(&mut self, col: impl ColRef) -> &'a str {
        match self.raw(col).filter(|s| !s.is_empty()) {
            Some(s) => s,
            None => {
                self.problem(col, ProblemKind::MissingValue, "a value is required".into());
                ""
            }
        }
    }

    pub fn req_str(&mut self, col: impl ColRef) -> String {
        match self.opt_str(col) {
            Some(s) => s,
            None => {
                self.problem(col, ProblemKind::MissingValue, "a value is required".into());
                String::new()
            }
        }
    }

    pub fn opt_f64(&mut self, col: impl ColRef) -> Option<f64> {
        let raw = self.raw(col).filter(|s| !s.is_empty())?;
        let m = &self.table.mapping;
        if m.thousands_separator.is_none() && m.decimal_separator == '.' {
            return self.checked_number(col, raw, plain_decimal(raw).map_or_else(|| raw.parse::<f64>(), Ok));
        }
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
        self.checked_number(col, raw, s.parse::<f64>())
    }

    /// A parsed number, or the problem with it (`raw` as written in the file).
    fn checked_number(
        &mut self,
        col: impl ColRef,
        raw: &str,
        parsed: Result<f64, std::num::ParseFloatError>,
    ) -> Option<f64> {
        match parsed {
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

    pub fn req_f64(&mut self, col: impl ColRef) -> f64 {
        if self.raw(col).is_none_or(str::is_empty) {
            self.problem(col, ProblemKind::MissingValue, "a number is required".into());
            return 0.0;
        }
        self.opt_f64(col).unwrap_or(0.0)
    }

    /// A number that must be ≥ 0 (or > 0 when `strict`).
    pub fn non_negative(&mut self, col: impl ColRef, v: f64, strict: bool) -> f64 {
        if v < 0.0 || (strict && v == 0.0) {
            let want = if strict { "greater than 0" } else { "0 or more" };
            self.problem(col, ProblemKind::OutOfRange, format!("{v} is not allowed: must be {want}"));
        }
        v
    }

    pub fn opt_date(&mut self, col: impl ColRef) -> Option<NaiveDate> {
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

    pub fn req_date(&mut self, col: impl ColRef) -> Option<NaiveDate> {
        if self.raw(col).is_none_or(str::is_empty) {
            self.problem(col, ProblemKind::MissingValue, "a date is required".into());
            return None;
        }
        self.opt_date(col)
    }

    pub fn opt_bool(&mut self, col: impl ColRef) -> Option<bool> {
        let raw = self.raw(col).filter(|s| !s.is_empty())?;
        match raw {
            "1" => return Some(true),
            "0" => return Some(false),
            _ => {}
        }
        let is = |words: &[&str]| words.iter().any(|w| raw.eq_ignore_ascii_case(w));
        match () {
            _ if is(&["1", "true", "t", "yes", "y"]) => Some(true),
            _ if is(&["0", "false", "f", "no", "n"]) => Some(false),
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

/// [`str::trim`], without looking at the characters when the first and last bytes
/// are ASCII and not white space (most fields): then there is nothing to trim.
fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(&f), Some(&l)) if f.is_ascii_graphic() && l.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// `[-]digits[.digits]` with at most 15 digits in all, parsed to the same bits as
/// `str::parse::<f64>` (most quantities and prices): the digits as an integer are
/// exact in an f64, and so is the power of ten dividing them, so the one correctly
/// rounded division gives the correctly rounded value (Clinger's fast path). Any
/// other form: `None`, for the general parser.
fn plain_decimal(s: &str) -> Option<f64> {
    const POW10: [f64; 16] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
    let (negative, b) = match s.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        b => (false, b),
    };
    let (mut digits, mut fraction, mut n, mut dot) = (0u64, 0usize, 0usize, false);
    for &c in b {
        match c {
            b'0'..=b'9' if n < 15 => {
                digits = digits * 10 + u64::from(c - b'0');
                n += 1;
                fraction += usize::from(dot);
            }
            b'.' if !dot => dot = true,
            _ => return None,
        }
    }
    if n == 0 || (dot && fraction == 0) {
        return None;
    }
    let v = digits as f64 / POW10[fraction];
    Some(if negative { -v } else { v })
}

/// ISO date, or ISO timestamp whose date part is taken as written.
fn parse_iso_date(s: &str) -> Option<NaiveDate> {
    if s.len() < 10 || !s.is_char_boundary(10) {
        return None;
    }
    // YYYY-MM-DD directly (most dates); anything else through chrono's parser.
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    let date = match (b[4], b[7], digits(0..4), digits(5..7), digits(8..10)) {
        (b'-', b'-', Some(y), Some(m), Some(d)) => NaiveDate::from_ymd_opt(y as i32, m, d)?,
        _ => s[..10].parse().ok()?,
    };
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
    fn plain_decimals_parse_to_the_bits_of_the_general_parser() {
        let mut cases: Vec<String> = [
            "0",
            "-0",
            "7",
            "-12",
            "12.99",
            "0.1",
            "-0.30",
            "999999999999999",
            "123456789.012345",
            ".5",
            "-.5",
            "00012",
            "3.14159265358979",
            "0.00000000000001",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        cases.extend((0..20_000u64).map(|i| format!("{}.{:02}", i * 7919 % 100_000, i % 100)));
        cases.extend((0..2_000u64).map(|i| format!("-{}.{}", i * 104_729 % 1_000_003, i * 31 % 1000)));
        for c in &cases {
            let fast = plain_decimal(c).unwrap_or_else(|| panic!("{c} is plain"));
            assert_eq!(fast.to_bits(), c.parse::<f64>().unwrap().to_bits(), "{c}");
        }
        for other in [
            "",
            "-",
            ".",
            "1.",
            "1e5",
            "+3",
            "1,5",
            "1.2.3",
            "1234567890123456",
            "0.000000000000001",
            "123456789012345678901234567890",
            "-98765432109876543210.5",
            "nan",
            "inf",
            " 1",
        ] {
            assert_eq!(plain_decimal(other), None, "{other}");
        }
    }

    #[test]
    fn the_fast_trim_is_trim() {
        for s in ["", " ", "a", " a", "a ", "\ta\n", "\u{a0}x", "x\u{3000}", "é", "ab c", "\u{1}a"] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
    }

    #[test]
    fn a_table_read_in_chunks_is_the_table_read_whole() {
        let mut text = b"date,sku,qty\r\n".to_vec();
        for i in 0..500 {
            match i % 97 {
                13 => text.extend_from_slice(b"2025-01-01,too,many,fields\r\n"),
                41 => text.extend_from_slice(b"\r\n"),
                77 => text.extend_from_slice(b"2025-01-02,caf\xe9,1\r\n"),
                _ => text.extend_from_slice(format!("2025-01-{:02},SKU{i},{i}\r\n", i % 28 + 1).as_bytes()),
            }
        }
        let read = |chunk| {
            let mut problems = Vec::new();
            let t = read_table_in_chunks("t.csv", &text, &ColumnMapping::default(), &mut problems, chunk).unwrap();
            let rows: Vec<(u64, Vec<String>)> =
                t.rows.iter().map(|(l, f)| (*l, (0..3).map(|i| f.get(i).unwrap().to_string()).collect())).collect();
            (rows, problems, t.rejected, t.rejected_rows)
        };
        let whole = read(usize::MAX / 4);
        assert_eq!(whole.0.len() + whole.3, 495, "500 lines, 5 blank");
        assert_eq!(whole.0[0], (2, vec!["2025-01-01".into(), "SKU0".into(), "0".into()]));
        assert_eq!(
            whole.1.iter().map(|p| p.row).collect::<Vec<_>>(),
            [15, 79, 112, 176, 209, 273, 306, 370, 403, 467, 500].map(Some)
        );
        for chunk in [1, 64, 1000] {
            assert_eq!(read(chunk), whole, "chunks of {chunk} bytes");
        }
    }

    #[test]
    fn a_table_read_in_blocks_from_a_reader_is_the_table_read_whole() {
        let mut text = b"\xEF\xBB\xBFdate,sku,qty\n".to_vec();
        for i in 0..300 {
            match i % 61 {
                7 => text.extend_from_slice(b"2025-01-01,too,many,fields\n"),
                29 => text.extend_from_slice(b"\n"),
                _ => text.extend_from_slice(format!("2025-01-{:02},SKU{i},{i}\n", i % 28 + 1).as_bytes()),
            }
        }
        let rows_of = |t: &Table| -> Vec<(u64, Vec<String>)> {
            t.rows.iter().map(|(l, f)| (*l, (0..3).map(|i| f.get(i).unwrap().to_string()).collect())).collect()
        };
        let mut problems = Vec::new();
        let whole = read_table("t.csv", &text, &ColumnMapping::default(), &mut problems).unwrap();
        for block in [1, 10, 100, 5000] {
            for from_reader in [false, true] {
                let source = if from_reader { Text::Reader(Box::new(&text[..])) } else { Text::Bytes(&text) };
                let mut got = Vec::new();
                let mut blocks =
                    TableBlocks::open("t.csv", source, &ColumnMapping::default(), &mut got, block).unwrap().unwrap();
                let mut rows = Vec::new();
                let mut n = 0;
                while blocks.next(&mut got).unwrap() {
                    rows.extend(rows_of(&blocks.table));
                    n += 1;
                }
                assert_eq!(blocks.table.headers, whole.headers);
                assert_eq!(rows, rows_of(&whole), "blocks of {block} bytes, reader {from_reader}");
                assert_eq!(got, problems, "blocks of {block} bytes, reader {from_reader}");
                assert_eq!(blocks.table.rejected_rows, whole.rejected_rows);
                assert!(block > 1000 || n > 5, "{n} blocks of {block} bytes");
            }
        }
        // A quote: the block runs to the end, so a line end inside a value is kept.
        let quoted = b"sku,name\nA,plain\nB,\"two\nlines\"\nC,last\n";
        let mut got = Vec::new();
        let mut blocks =
            TableBlocks::open("q.csv", Text::Reader(Box::new(&quoted[..])), &ColumnMapping::default(), &mut got, 4)
                .unwrap()
                .unwrap();
        let mut names = Vec::new();
        while blocks.next(&mut got).unwrap() {
            names.extend(blocks.table.rows.iter().map(|(l, f)| (*l, f.get(1).unwrap().to_string())));
        }
        assert!(got.is_empty(), "{got:?}");
        assert_eq!(names, [(2, "plain".to_string()), (3, "two\nlines".to_string()), (5, "last".to_string())]);
    }

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
        assert_eq!(parse_iso_date("2024-02-29"), NaiveDate::from_ymd_opt(2024, 2, 29));
        assert_eq!(parse_iso_date("2025-13-01"), None);
        assert_eq!(parse_iso_date("2025-1-011"), None);
        assert_eq!(parse_iso_date("+2025-03-0"), None);
    }
}
