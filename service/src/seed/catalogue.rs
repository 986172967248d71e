//! The default category list of SPEC "Intake", with troubleshooting tips, and the
//! sample request texts the demo agency's tenants write.

use plumbline_domain::Priority;

pub struct CategorySeed {
    pub name: &'static str,
    pub default_priority: Priority,
    pub tips: &'static str,
    pub subcategories: &'static [SubcategorySeed],
}

pub struct SubcategorySeed {
    pub name: &'static str,
    pub default_priority: Priority,
    /// What tenants write; the demo picks one per request.
    pub descriptions: &'static [&'static str],
}

const fn sub(name: &'static str, default_priority: Priority, descriptions: &'static [&'static str]) -> SubcategorySeed {
    SubcategorySeed { name, default_priority, descriptions }
}

use Priority::{Emergency, Low, Routine, Urgent};

pub const CATEGORIES: &[CategorySeed] = &[
    CategorySeed {
        name: "Plumbing",
        default_priority: Routine,
        tips: "Turn off the stopcock (usually under the kitchen sink) if water is escaping. Check whether neighbours have the same problem.",
        subcategories: &[
            sub(
                "Leak",
                Urgent,
                &[
                    "Water dripping from the ceiling under the bathroom",
                    "Leak under the kitchen sink, cupboard floor is wet",
                    "Burst pipe in the airing cupboard, water pouring out",
                ],
            ),
            sub(
                "Blocked drain",
                Routine,
                &[
                    "Shower drains very slowly",
                    "Kitchen sink blocked and smells",
                    "Toilet blocked, plunger has not helped",
                ],
            ),
            sub(
                "Toilet",
                Routine,
                &["Toilet keeps running after flushing", "Toilet seat hinge broken", "Cistern fills very slowly"],
            ),
            sub("Taps", Low, &["Hot tap in bathroom drips constantly", "Kitchen mixer tap is loose"]),
        ],
    },
    CategorySeed {
        name: "Electrical",
        default_priority: Urgent,
        tips: "Check the consumer unit: has a breaker or RCD tripped? Try resetting it once. Do not touch anything that is sparking or hot.",
        subcategories: &[
            sub(
                "Power",
                Urgent,
                &[
                    "No power to the kitchen sockets, breaker keeps tripping",
                    "Half the flat has no power since this morning",
                ],
            ),
            sub(
                "Sockets and switches",
                Routine,
                &[
                    "Bedroom socket is loose in the wall",
                    "Light switch sparking when turned on",
                    "Burning smell from the hallway socket",
                ],
            ),
            sub(
                "Lighting",
                Low,
                &["Bathroom ceiling light not working after bulb change", "Outside security light stays on all day"],
            ),
        ],
    },
    CategorySeed {
        name: "HVAC / Heating",
        default_priority: Urgent,
        tips: "Check the boiler pressure gauge (1–1.5 bar is normal), that the thermostat is set above room temperature, and that the timer is on.",
        subcategories: &[
            sub(
                "Boiler",
                Urgent,
                &[
                    "Boiler showing fault code F28, no heating or hot water",
                    "Boiler pressure keeps dropping below 1 bar",
                    "No heating since yesterday evening",
                ],
            ),
            sub("Radiators", Routine, &["Bedroom radiator cold at the top", "Radiator valve leaking onto the carpet"]),
            sub(
                "Ventilation",
                Routine,
                &["Bathroom extractor fan not working, mould appearing", "Cooker hood fan very noisy"],
            ),
        ],
    },
    CategorySeed {
        name: "Appliances",
        default_priority: Routine,
        tips: "Check the appliance is switched on at the wall and the fuse in its plug. For the washing machine, clean the filter first.",
        subcategories: &[
            sub("Oven and hob", Routine, &["Oven not heating up", "Two hob rings will not ignite"]),
            sub(
                "Fridge freezer",
                Urgent,
                &["Fridge not cold, food spoiling", "Freezer iced up and door will not close"],
            ),
            sub(
                "Washing machine",
                Routine,
                &["Washing machine will not drain", "Washing machine leaks during spin cycle"],
            ),
        ],
    },
    CategorySeed {
        name: "Structural",
        default_priority: Routine,
        tips: "If a door or window cannot be secured, tell us straight away: it is treated as an emergency.",
        subcategories: &[
            sub(
                "Doors and locks",
                Urgent,
                &["Front door lock is broken, cannot lock the flat", "Back door swollen and hard to close"],
            ),
            sub(
                "Windows",
                Routine,
                &[
                    "Bedroom window is broken after the storm",
                    "Window handle snapped off",
                    "Condensation between double-glazing panes",
                ],
            ),
            sub("Flooring", Low, &["Laminate lifting in the hallway", "Loose stair carpet is a trip hazard"]),
            sub(
                "Roof and walls",
                Routine,
                &["Damp patch spreading on the bedroom wall", "Slipped roof tiles after the wind"],
            ),
        ],
    },
    CategorySeed {
        name: "Pest control",
        default_priority: Routine,
        tips: "Keep food sealed and bins closed. Note where you have seen droppings or activity so the contractor can find it.",
        subcategories: &[
            sub("Rodents", Urgent, &["Mice droppings in the kitchen cupboards", "Scratching in the loft at night"]),
            sub("Insects", Routine, &["Wasp nest by the front door", "Ants coming in through the patio door"]),
        ],
    },
    CategorySeed {
        name: "General",
        default_priority: Low,
        tips: "Test smoke alarms with their button; replace a bulb before reporting a light fault.",
        subcategories: &[
            sub(
                "Smoke and CO detectors",
                Emergency,
                &["Smoke alarm chirping every minute", "Carbon monoxide alarm going off"],
            ),
            sub(
                "Bulbs and fittings",
                Low,
                &["Bulbs in the communal hallway out", "Curtain rail came away from the wall"],
            ),
            sub("Cosmetic", Low, &["Paint peeling in the bathroom", "Cracked tile by the bath"]),
        ],
    },
];
