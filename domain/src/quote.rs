//! Quotes (SPEC "Quotes and planned work"): staff ask contractors to price a job; each
//! contractor answers with line items; one quote is approved and becomes the order's
//! approved cost, by staff within the landlord's limit, by the landlord above it.

use crate::money::MoneyMinor;
use serde::{Deserialize, Serialize};

/// Most line items one quote may hold.
pub const MAX_LINES: usize = 30;
/// Longest description of one line item.
pub const MAX_LINE_CHARS: usize = 200;
/// Most contractors asked at once for one order.
pub const MAX_ASKED: usize = 6;

/// Where a quote stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum QuoteStatus {
    /// Asked for; the contractor has not answered.
    Requested,
    /// Priced by the contractor, for staff to compare.
    Submitted,
    /// Above the landlord's limit: sent to the landlord, who approves it or another.
    Proposed,
    /// The order's approved cost.
    Approved,
    /// Another quote was approved.
    NotChosen,
    /// The contractor declined to quote.
    Declined,
}

impl QuoteStatus {
    pub const ALL: [QuoteStatus; 6] = [
        QuoteStatus::Requested,
        QuoteStatus::Submitted,
        QuoteStatus::Proposed,
        QuoteStatus::Approved,
        QuoteStatus::NotChosen,
        QuoteStatus::Declined,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QuoteStatus::Requested => "Requested",
            QuoteStatus::Submitted => "Submitted",
            QuoteStatus::Proposed => "Proposed",
            QuoteStatus::Approved => "Approved",
            QuoteStatus::NotChosen => "NotChosen",
            QuoteStatus::Declined => "Declined",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == name)
    }

    /// How the comparison and the contractor's list name it.
    pub fn label(self) -> &'static str {
        match self {
            QuoteStatus::Requested => "Waiting for the quote",
            QuoteStatus::Submitted => "Quoted",
            QuoteStatus::Proposed => "With the landlord",
            QuoteStatus::Approved => "Approved",
            QuoteStatus::NotChosen => "Not chosen",
            QuoteStatus::Declined => "Declined to quote",
        }
    }

    /// Priced, and still in the running.
    pub fn may_be_approved(self) -> bool {
        match self {
            QuoteStatus::Submitted | QuoteStatus::Proposed => true,
            QuoteStatus::Requested | QuoteStatus::Approved | QuoteStatus::NotChosen | QuoteStatus::Declined => false,
        }
    }

    /// Still waiting for something: the contractor's price or a decision.
    pub fn is_open(self) -> bool {
        match self {
            QuoteStatus::Requested | QuoteStatus::Submitted | QuoteStatus::Proposed => true,
            QuoteStatus::Approved | QuoteStatus::NotChosen | QuoteStatus::Declined => false,
        }
    }
}

/// One priced item of a quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuoteLine {
    pub description: String,
    pub amount_minor: MoneyMinor,
}

/// What is wrong with a quote's lines, each problem in the words a contractor reads
/// beside the form; empty when it may be sent. The total is theirs to trust only then.
pub fn line_problems(lines: &[QuoteLine]) -> Vec<String> {
    let mut problems = Vec::new();
    if lines.is_empty() {
        problems.push("add at least one line item".to_owned());
    }
    if lines.len() > MAX_LINES {
        problems.push(format!("a quote holds at most {MAX_LINES} line items"));
    }
    for (number, line) in lines.iter().enumerate().map(|(index, line)| (index + 1, line)) {
        let description = line.description.trim();
        if description.is_empty() {
            problems.push(format!("line {number} needs a description"));
        } else if description.chars().count() > MAX_LINE_CHARS {
            problems.push(format!("line {number}'s description is longer than {MAX_LINE_CHARS} characters"));
        }
        if line.amount_minor == MoneyMinor::ZERO {
            problems.push(format!("line {number} needs an amount above zero"));
        }
    }
    if total(lines).is_none() {
        problems.push("the lines add up to more than any amount may be".to_owned());
    }
    problems
}

/// The lines' sum, if it is still an amount.
pub fn total(lines: &[QuoteLine]) -> Option<MoneyMinor> {
    lines.iter().try_fold(MoneyMinor::ZERO, |sum, line| sum.checked_add(line.amount_minor))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(description: &str, pounds: i64) -> QuoteLine {
        QuoteLine { description: description.to_owned(), amount_minor: MoneyMinor::from_major(pounds).unwrap() }
    }

    #[test]
    fn every_status_reads_back_as_itself() {
        for status in QuoteStatus::ALL {
            assert_eq!(QuoteStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(QuoteStatus::parse("Accepted"), None);
    }

    #[test]
    fn a_quote_totals_its_lines() {
        let lines = [line("New valve", 120), line("Labour, 3 hours", 135)];
        assert!(line_problems(&lines).is_empty());
        assert_eq!(total(&lines), MoneyMinor::from_major(255).ok());
    }

    #[test]
    fn each_bad_line_is_named() {
        assert_eq!(line_problems(&[]), ["add at least one line item"]);
        let problems = line_problems(&[line(" ", 10), line("Parts", 0), line(&"x".repeat(201), 5)]);
        assert_eq!(
            problems,
            [
                "line 1 needs a description",
                "line 2 needs an amount above zero",
                "line 3's description is longer than 200 characters"
            ]
        );
        let many: Vec<QuoteLine> = (0..31).map(|n| line(&format!("Item {n}"), 1)).collect();
        assert_eq!(line_problems(&many), ["a quote holds at most 30 line items"]);
    }

    #[test]
    fn lines_past_the_largest_amount_are_refused() {
        let max = QuoteLine { description: "All".to_owned(), amount_minor: MoneyMinor::MAX };
        assert_eq!(total(&[max.clone(), max.clone()]), None);
        assert_eq!(line_problems(&[max.clone(), max]), ["the lines add up to more than any amount may be"]);
    }
}
