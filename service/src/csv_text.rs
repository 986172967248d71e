//! Records written as CSV text: what every export and report file is made with.

use crate::error::Result;

/// `records` (the heading first) as CSV; `what` names the file in an error.
pub fn csv_text(what: &str, records: impl IntoIterator<Item = Vec<String>>) -> Result<String> {
    let failed = |err: &dyn std::fmt::Display| anyhow::anyhow!("writing {what}: {err}");
    let mut writer = csv::Writer::from_writer(Vec::new());
    for record in records {
        writer.write_record(&record).map_err(|err| failed(&err))?;
    }
    let bytes = writer.into_inner().map_err(|err| failed(&err.error()))?;
    Ok(String::from_utf8(bytes).map_err(|err| failed(&err))?)
}
