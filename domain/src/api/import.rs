//! Bringing an agency's book in from its spreadsheets: the file sent, and the report of
//! what was (or, in a preview, would be) added and what was rejected and why.

use serde::{Deserialize, Serialize};

/// A CSV file as chosen on the user's computer. Its bytes travel as base64, because the
/// text's encoding (UTF-8, Windows-1252…) is for the importer to work out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportFile {
    pub file_name: String,
    pub content_base64: String,
}

/// Which records a file holds, told by its header row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportKind {
    /// One row per unit or tenancy: landlord, property, unit, tenant and tenancy.
    Properties,
    /// One row per contractor.
    Contractors,
}

impl ImportKind {
    pub fn label(self) -> &'static str {
        match self {
            ImportKind::Properties => "Properties, units and tenancies",
            ImportKind::Contractors => "Contractors",
        }
    }
}

/// How many new records of each kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportCounts {
    pub landlords: u32,
    pub properties: u32,
    pub units: u32,
    pub tenants: u32,
    pub tenancies: u32,
    pub contractors: u32,
}

impl ImportCounts {
    pub fn total(&self) -> u32 {
        self.landlords + self.properties + self.units + self.tenants + self.tenancies + self.contractors
    }
}

/// One reason a row was rejected. `row` is the file's line where the row starts (the
/// header is line 1), as a spreadsheet or text editor shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    pub row: u64,
    pub column: String,
    pub value: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub file_name: String,
    pub kind: ImportKind,
    /// "UTF-8", "UTF-8 with BOM" or "Windows-1252"; the separator found.
    pub encoding: String,
    pub separator: char,
    /// False for a preview: nothing was stored.
    pub applied: bool,
    /// Rows read, blank lines left out.
    pub rows: u64,
    /// Rows whose every record was already on record (a file imported before).
    pub unchanged: u64,
    /// Rows repeated earlier in the same file, taken once.
    pub duplicates: u64,
    pub created: ImportCounts,
    /// Every rejected row's problems, in file order; the rows' other records are not stored.
    pub rejected: Vec<RowProblem>,
}

impl ImportReport {
    /// Rows rejected (a row may have several problems).
    pub fn rejected_rows(&self) -> usize {
        let mut rows: Vec<u64> = self.rejected.iter().map(|p| p.row).collect();
        rows.dedup();
        rows.len()
    }
}

/// How far a long import has got, for its progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProgress {
    pub done: u64,
    pub total: u64,
}
