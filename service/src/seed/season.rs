//! The year's rhythm in a generated agency: more requests in winter, heating and leaks
//! peaking in the cold months, pests in the summer, storm damage in the autumn. Months
//! are calendar months, 1 to 12.

/// How busy a month is, as the share of a winter month's requests (1.0).
pub fn busyness(month: u32) -> f64 {
    match month {
        11 | 12 | 1 | 2 => 1.0,
        3 | 10 => 0.85,
        _ => 0.7,
    }
}

/// How likely a request of `category` is in `month`, against a quiet month's 1.0.
pub fn category_weight(category: &str, month: u32) -> f64 {
    match (category, month) {
        ("HVAC / Heating", 12 | 1 | 2) => 4.0,
        ("HVAC / Heating", 11 | 3) => 2.5,
        ("HVAC / Heating", 6..=8) => 0.4,
        // Frozen and burst pipes, and condensation.
        ("Plumbing", 12 | 1 | 2) => 2.2,
        ("Plumbing", 11 | 3) => 1.5,
        ("Pest control", 6..=8) => 2.5,
        ("Pest control", 12 | 1 | 2) => 0.5,
        ("Structural", 10 | 11) => 1.6,
        _ => 1.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heating_peaks_in_winter_and_pests_in_summer() {
        assert!(category_weight("HVAC / Heating", 1) > 3.0 * category_weight("HVAC / Heating", 7));
        assert!(category_weight("Pest control", 7) > category_weight("Pest control", 1));
        assert!(busyness(1) > busyness(7));
    }
}
