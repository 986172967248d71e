//! Certificates: what runs out when, across the agency (staff) or the landlord's own
//! properties; each property's standing, red / amber / green, at the top. Staff record
//! certificates on each property's page.

use crate::components::certificates::CertificateTable;
use crate::components::status::{error_banner, loading};
use crate::live::use_load;
use plumbline_domain::api::{Certificate, ListCertificates};
use plumbline_domain::compliance::property_status;
use plumbline_domain::contractor::DocumentStatus;
use plumbline_domain::ids::PropertyId;
use plumbline_domain::{WorkOrderId, commands};
use std::collections::BTreeMap;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CompliancePageProps {
    pub on_open_order: Callback<WorkOrderId>,
    /// Staff open the property's page; landlords have none.
    #[prop_or_default]
    pub on_open_property: Option<Callback<PropertyId>>,
}

#[function_component]
pub fn CompliancePage(props: &CompliancePageProps) -> Html {
    let load = use_load((), |_| commands::ListCertificates { request: ListCertificates::default() }, |_| false);
    html! {
        <section class="page">
            <header class="page-head">
                <div>
                    <h1>{ "Certificates" }</h1>
                    <p class="muted">{ if props.on_open_property.is_some() {
                        "Every property's current certificates, soonest to run out first. Reminders go 30 and 7 days ahead, and a renewal order is raised 30 days ahead."
                    } else {
                        "Your properties' current certificates, soonest to run out first. You and the agency are reminded 30 and 7 days ahead; the agency books the renewal."
                    } }</p>
                </div>
            </header>
            { match &*load.loaded {
                None => loading(),
                Some(Err(error)) => error_banner(error),
                Some(Ok(certificates)) if certificates.is_empty() => html! {
                    <div class="card"><p class="muted">{ "No certificates recorded yet. Record them on each property's page." }</p></div>
                },
                Some(Ok(certificates)) => html! {
                    <>
                        { standing(certificates) }
                        <div class="card">
                            <CertificateTable certificates={certificates.clone()} show_property=true
                                              on_open_order={props.on_open_order.clone()}
                                              on_open_property={props.on_open_property.clone()} />
                        </div>
                    </>
                },
            } }
        </section>
    }
}

/// How many properties stand red, amber and green: each as its worst certificate.
fn standing(certificates: &[Certificate]) -> Html {
    let mut by_property: BTreeMap<PropertyId, Vec<DocumentStatus>> = BTreeMap::new();
    for certificate in certificates {
        by_property.entry(certificate.property).or_default().push(certificate.status);
    }
    let (mut red, mut amber, mut green) = (0, 0, 0);
    for statuses in by_property.into_values() {
        match property_status(statuses) {
            DocumentStatus::Expired { .. } => red += 1,
            DocumentStatus::ExpiresSoon { .. } => amber += 1,
            DocumentStatus::Valid { .. } | DocumentStatus::NotRecorded => green += 1,
        }
    }
    let tile = |count: usize, label: &str, class: &str| {
        html! {
            <div class={classes!("tile", "standing", class.to_owned())} data-standing={class.to_owned()}>
                <span class="tile-count">{ count }</span>
                <span class="tile-label">{ label.to_owned() }</span>
            </div>
        }
    };
    html! {
        <div class="tiles count-3">
            { tile(red, "properties with a certificate run out", "bad") }
            { tile(amber, "with one running out within 30 days", "warn") }
            { tile(green, "with every certificate in date", "ok") }
        </div>
    }
}
