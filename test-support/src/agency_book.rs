//! An agency's book as it arrives from its spreadsheets, for the import's tests and
//! benchmark: properties with units and tenancies saved by Excel on Windows
//! (Windows-1252, `;` separators, day-first dates, quoted newlines, blank lines, a
//! duplicated row) and contractors saved as UTF-8 with a BOM, each with a few bad rows
//! whose lines are known.

/// What was written and which lines hold the bad rows.
pub struct BookFile {
    pub bytes: Vec<u8>,
    /// The file's lines (header = 1) of the rows the import must reject, with the column at fault.
    pub bad_rows: Vec<(u64, &'static str)>,
    /// Good rows (each once), blank lines and the repeated row left out.
    pub good_rows: usize,
}

const STREETS: &[&str] =
    &["Ashley Road", "Quay Street", "Gloucester Road", "Cotham Hill", "Whiteladies Road", "St Mark’s Road"];
const TOWNS: &[(&str, &str)] = &[("Bristol", "BS6"), ("Bath", "BA1"), ("Bristol", "BS1"), ("Keynsham", "BS31")];

/// A property's units: 1 to 5, three on average (so N properties have 3N tenancies).
pub fn units_of(property: usize) -> usize {
    1 + property % 5
}

struct Lines {
    text: String,
    line: u64,
}

impl Lines {
    fn push(&mut self, row: &str) -> u64 {
        let at = self.line + 1;
        self.text.push_str(row);
        self.text.push_str("\r\n");
        self.line += 1 + row.matches('\n').count() as u64;
        at
    }
}

/// `properties` properties (street numbers 1…), their units and one tenancy per unit, from
/// `properties / 5` landlords (at least one). Every 25th property's rows carry a mistake.
pub fn properties_csv(properties: usize) -> BookFile {
    let mut lines = Lines { text: String::new(), line: 0 };
    lines.push(
        "Landlord Name;Landlord E-mail;Landlord Phone;Address;Town;Post code;Flat;Tenant;Tenant Email;Tenant Phone;\
         Move-in date;End date;Gate code;Key safe;Pets;Best contact;Preferred times",
    );
    let (mut bad_rows, mut good_rows) = (Vec::new(), 0);
    let landlords = (properties / 5).max(1);
    for p in 0..properties {
        let landlord = p % landlords;
        let (town, district) = TOWNS[p % TOWNS.len()];
        let street = format!("{} {}", p + 1, STREETS[p % STREETS.len()]);
        let postcode = format!(
            "{district} {}{}{}",
            1 + p % 9,
            (b'A' + (p % 26) as u8) as char,
            (b'A' + (p / 26 % 26) as u8) as char
        );
        for u in 0..units_of(p) {
            let flat = if units_of(p) == 1 { String::new() } else { format!("Flat {}", u + 1) };
            let mistake = (p % 25 == 24).then_some(u % 4);
            let email = match mistake {
                Some(0) => format!("tenant{p}.{u} at example.test"),
                _ => format!("tenant{p}.{u}@example.test"),
            };
            let moved_in = match mistake {
                Some(1) => "31/02/2025".to_owned(),
                _ => format!("{:02}/{:02}/{}", 1 + p % 28, 1 + u % 12, 2020 + p % 6),
            };
            let postcode = if mistake == Some(2) { String::new() } else { postcode.clone() };
            let ended = if mistake == Some(3) { "01/01/2019".to_owned() } else { String::new() };
            let pets = if p % 7 == 3 { "\"Friendly dog;\nkeep the gate shut\"" } else { "" };
            let row = format!(
                "Zoë Landlord {landlord};landlord{landlord}@example.test;0117 496 {landlord:04};{street};{town};{postcode};{flat};\
                 Tenant {p}-{u} Brontë;{email};07700 9{p:05};{moved_in};{ended};{gate};{lockbox};{pets};Text first;Weekday mornings",
                gate = if p % 3 == 0 { "#1234" } else { "" },
                lockbox = if p % 4 == 0 { "4321" } else { "" },
            );
            let at = lines.push(&row);
            match mistake {
                Some(0) => bad_rows.push((at, "tenant_email")),
                Some(1) => bad_rows.push((at, "tenancy_start")),
                Some(2) => bad_rows.push((at, "postcode")),
                Some(3) => bad_rows.push((at, "tenancy_end")),
                _ => good_rows += 1,
            }
            if p == 2 && u == 0 {
                // Pasted twice, as happens.
                lines.push(&row);
            }
        }
        if p % 10 == 9 {
            lines.push("");
        }
    }
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&lines.text);
    assert!(!unmappable, "the fixture is Windows-1252 text");
    BookFile { bytes: bytes.into_owned(), bad_rows, good_rows }
}

/// `contractors` contractors, UTF-8 with a BOM, comma-separated. Every other one has no
/// insurance date (staff set it in the app); the 4th has an unknown trade and the 7th an
/// address that is not one.
pub fn contractors_csv(contractors: usize) -> BookFile {
    const TRADES: &[&str] =
        &["Plumbing", "Electrical", "Heating", "Plumbing; Heating", "General, Structural", "Appliances"];
    let mut lines = Lines { text: String::from('\u{feff}'), line: 0 };
    lines.push(
        "Company,Contact,Email,Phone,Trades,Hourly rate,Call-out fee,Insurance expiry,Licence expiry,Preferred,Notes",
    );
    let (mut bad_rows, mut good_rows) = (Vec::new(), 0);
    for c in 0..contractors {
        let trades = if c % 10 == 3 { "Roofing" } else { TRADES[c % TRADES.len()] };
        let email =
            if c % 10 == 6 { format!("office@contractor{c}") } else { format!("office@contractor{c}.example.test") };
        let insurance = if c % 2 == 0 { String::new() } else { format!("{:02}/{:02}/2027", 1 + c % 28, 1 + c % 12) };
        let row = format!(
            "\"Ace Repairs {c}, Ltd\",Sam Fixer {c},{email},0117 555 {c:04},\"{trades}\",£{rate}.50,\"£1,0{c:02}.00\",{insurance},,{preferred},\"Van on site;\nparks on the street\"",
            rate = 30 + c % 20,
            preferred = if c % 3 == 0 { "Yes" } else { "no" },
        );
        let at = lines.push(&row);
        match c % 10 {
            3 => bad_rows.push((at, "trades")),
            6 => bad_rows.push((at, "email")),
            _ => good_rows += 1,
        }
    }
    BookFile { bytes: lines.text.into_bytes(), bad_rows, good_rows }
}
