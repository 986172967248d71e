//! A job's address as a map search, for the contractor's "Map" link: the OS opens it in
//! the user's browser, where their phone or satnav can take over.

/// The map service searched: OpenStreetMap, which needs no account or key.
const MAP_SEARCH: &str = "https://www.openstreetmap.org/search?query=";

/// A search for `address` ("116 Harbour Walk, Bristol BS1 4QA") on the map.
pub fn search_url(address: &str) -> String {
    format!("{MAP_SEARCH}{}", query_encoded(address.trim()))
}

/// Percent-encodes everything but the characters a URL query keeps as they are, so an
/// address cannot add parameters or leave the query.
fn query_encoded(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => encoded.push(char::from(byte)),
            other => encoded.push_str(&format!("%{other:02X}")),
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_becomes_one_encoded_query() {
        assert_eq!(
            search_url(" 116 Harbour Walk, Bristol BS1 4QA "),
            "https://www.openstreetmap.org/search?query=116%20Harbour%20Walk%2C%20Bristol%20BS1%204QA"
        );
    }

    #[test]
    fn nothing_in_an_address_can_add_parameters_or_leave_the_query() {
        let url = search_url("Flat 2 & 3, Rue d'Église #4?x=1/..");
        let query = url.trim_start_matches(MAP_SEARCH);
        assert!(!query.contains(['&', '#', '?', '=', '/', ' ', '\'']), "{query}");
        assert!(query.contains("%C3%89glise"), "UTF-8 is encoded byte by byte: {query}");
    }
}
