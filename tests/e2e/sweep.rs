//! The screenshot sweep: every screen of every role at 1280×800, 1024×700 and 960×600
//! (the smallest the window goes), in the light and the dark theme. Each is saved as
//! `target/e2e-screens/sweep/<role>-<screen>-<size>-<theme>.png` for a person to look at,
//! and checked in the page itself: nothing scrolls sideways, no label, button, badge or
//! menu clips its text, and no card's content spills out of it.

use crate::harness::App;
use crate::roles::sign_out;
use anyhow::{Context, Result};
use plumbline_service::accounts;
use std::fmt::Write as _;

const SIZES: [(u32, u32); 3] = [(1280, 800), (1024, 700), (960, 600)];
const THEMES: [&str; 2] = ["light", "dark"];

/// What a person would see as broken on the screen now, one line each. An element
/// "clips" when its content is wider or taller than its box (scroll size over client
/// size) and it does not scroll; a select clips when its chosen option's text is wider
/// than the space beside its arrow. Text shortened on purpose with its whole in a
/// tooltip (`.clamp`, or an ellipsis with a title) is not a problem.
const LAYOUT_PROBLEMS: &str = r#"
const problems = [];
const name = el => {
  const id = el.id ? '#' + el.id : '';
  const test = el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : '';
  const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '';
  const text = (el.innerText || el.value || '').trim().replace(/\s+/g, ' ').slice(0, 40);
  return `${el.tagName.toLowerCase()}${id}${test}${cls} "${text}"`;
};
const shown = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
const page = document.scrollingElement;
if (page.scrollWidth > page.clientWidth + 1) problems.push(`the window scrolls sideways (${page.scrollWidth} > ${page.clientWidth})`);
for (const el of document.querySelectorAll('main, main *, nav, nav *')) {
  if (!shown(el) || el.closest('.clamp')) continue;
  const style = getComputedStyle(el);
  if (style.display === 'inline' || el.tagName === 'svg' || el.closest('svg')) continue;
  const scrolls = v => v === 'auto' || v === 'scroll';
  if (scrolls(style.overflowX) && el.scrollWidth > el.clientWidth + 1) {
    problems.push(`${name(el)} scrolls sideways (${el.scrollWidth} > ${el.clientWidth})`);
    continue;
  }
  if (el.tagName === 'SELECT') {
    const chosen = el.options[el.selectedIndex];
    if (!chosen) continue;
    const probe = document.createElement('span');
    probe.style.cssText = `position:absolute;visibility:hidden;white-space:pre;font:${style.font}`;
    probe.textContent = chosen.text;
    document.body.appendChild(probe);
    const needed = probe.getBoundingClientRect().width;
    probe.remove();
    const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 18;
    if (needed > room + 1) problems.push(`${name(el)} clips its choice (${Math.ceil(needed)} > ${Math.floor(room)})`);
    continue;
  }
  const clippable = ['LABEL', 'BUTTON', 'TH', 'TD', 'DT', 'DD', 'H1', 'H2', 'H3', 'INPUT', 'LEGEND', 'P', 'SPAN', 'LI', 'A'];
  const isCard = el.classList.contains('card') || el.classList.contains('tile');
  if (!clippable.includes(el.tagName) && !isCard) continue;
  if (scrolls(style.overflowX) || scrolls(style.overflowY)) continue;
  // Shortened on purpose, the whole in its tooltip (a long company name in a column).
  if (style.textOverflow === 'ellipsis' && el.title) continue;
  if (el.scrollWidth > el.clientWidth + 1) problems.push(`${name(el)} clips or spills sideways (${el.scrollWidth} > ${el.clientWidth})`);
  else if (style.overflowY === 'hidden' && el.scrollHeight > el.clientHeight + 1) problems.push(`${name(el)} clips its text (${el.scrollHeight} > ${el.clientHeight} tall)`);
}
return problems;
"#;

/// Resizes the window's inside to `width`×`height` CSS pixels, whatever the frame adds.
async fn resize(app: &App, width: u32, height: u32) -> Result<()> {
    app.client.set_window_size(width, height).await?;
    let inner = app.eval("[window.innerWidth, window.innerHeight]").await?;
    let (inner_width, inner_height) = (inner[0].as_u64().unwrap_or(0), inner[1].as_u64().unwrap_or(0));
    let (extra_width, extra_height) =
        (u64::from(width).saturating_sub(inner_width), u64::from(height).saturating_sub(inner_height));
    if extra_width > 0 || extra_height > 0 {
        let (w, h) = (u64::from(width) + extra_width, u64::from(height) + extra_height);
        app.client.set_window_size(u32::try_from(w)?, u32::try_from(h)?).await?;
    }
    // Let the layout settle at the new size.
    tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    Ok(())
}

async fn use_theme(app: &App, theme: &str) -> Result<()> {
    app.set_value("[data-testid=theme]", theme).await?;
    let applied = app.eval("document.documentElement.dataset.theme").await?;
    anyhow::ensure!(applied.as_str() == Some(theme), "the theme switch did not apply {theme}: {applied}");
    Ok(())
}

/// Checks and saves the screen on show at every size and in both themes.
async fn sweep_screen(app: &App, role: &str, screen: &str, problems: &mut String) -> Result<()> {
    for (width, height) in SIZES {
        resize(app, width, height).await?;
        for theme in THEMES {
            use_theme(app, theme).await?;
            let slug: String =
                screen.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
            app.save_screen(&format!("sweep/{role}-{slug}-{width}x{height}-{theme}")).await?;
            if theme != THEMES[0] {
                continue; // The themes change colours only; the layout was checked.
            }
            let found: Vec<String> =
                serde_json::from_value(app.eval(&format!("(() => {{{LAYOUT_PROBLEMS}}})()")).await?)?;
            for problem in found {
                let _ = writeln!(problems, "{role} · {screen} · {width}×{height}: {problem}");
            }
        }
    }
    Ok(())
}

/// The screen a list's first row opens (an order, a property), swept as `screen`.
async fn sweep_first_row(
    app: &App,
    role: &str,
    row: &str,
    opened: &str,
    screen: &str,
    problems: &mut String,
) -> Result<()> {
    resize(app, SIZES[0].0, SIZES[0].1).await?;
    if let Some(first) = app.find_all(row).await?.into_iter().next() {
        first.click().await.with_context(|| format!("{role}: clicking {row} to open the {screen}"))?;
        app.wait_for(opened).await?;
        sweep_screen(app, role, screen, problems).await?;
        resize(app, SIZES[0].0, SIZES[0].1).await?;
    }
    Ok(())
}

/// The sidebar's screens for whoever is signed in, and the first order and property
/// their lists open.
async fn sweep_role(app: &App, role: &str, problems: &mut String) -> Result<()> {
    resize(app, SIZES[0].0, SIZES[0].1).await?;
    let mut screens = Vec::new();
    for entry in app.find_all("[data-nav]").await? {
        screens.extend(entry.attr("data-nav").await?);
    }
    for screen in &screens {
        app.wait_for(&format!("[data-nav='{screen}']")).await?.click().await?;
        app.wait_for("main .page, main section").await?;
        // Let the screen's data arrive before it is judged.
        let _ = app.wait_for_gone("main .loading").await;
        sweep_screen(app, role, screen, problems).await?;
        match screen.as_str() {
            "Work orders" | "My jobs" | "My requests" => {
                sweep_first_row(app, role, "tr.order-row td.ref", "[data-testid=detail]", "order", problems).await?;
            }
            "Properties" => {
                let opened = "[data-testid=property-name]";
                sweep_first_row(app, role, "tr.record-row td.primary", opened, "property", problems).await?;
            }
            _ => {}
        }
    }
    // A landlord's decision on an estimate, from the tile that counts them.
    app.wait_for("[data-nav='Dashboard']").await?.click().await?;
    let _ = app.wait_for_gone("main .loading").await;
    let awaiting = app.find_all("[data-count='Awaiting my approval']").await?;
    if let Some(tile) = awaiting.into_iter().next() {
        tile.click().await.context("opening the orders awaiting approval")?;
        app.wait_for("[data-testid=list-count]").await?;
        sweep_first_row(app, role, "tr.order-row td.ref", "[data-testid=approval-needed]", "approval", problems)
            .await?;
    }
    Ok(())
}

#[tokio::test]
async fn every_screen_of_every_role_fits_every_window_size_in_both_themes() -> Result<()> {
    let app = App::launch("sweep").await?;
    let store = app.store().await?;
    let people = accounts::demo_accounts(&store).await?;
    let mut problems = String::new();
    for person in &people {
        sign_out(&app).await?;
        app.sign_in(&person.email, &person.password, false).await?;
        app.wait_for("[data-nav]").await.with_context(|| format!("{} never got their desk", person.email))?;
        sweep_role(&app, person.role.as_str(), &mut problems).await?;
    }
    assert!(problems.is_empty(), "screens a person would find broken:\n{problems}");
    app.finish().await
}
