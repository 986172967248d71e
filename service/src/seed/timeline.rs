//! Each generated order's story: where it is headed (closed, cancelled, rejected), the
//! steps that take it there, and when each happens. A well-run agency: the first
//! response and the fix come within the SLA targets but for a few per cent, and a poor
//! contractor is slower, sent back more often and rated lower. The order stands wherever
//! its story has reached by `now`, so the open orders are the recent ones.

use super::people::Quality;
use chrono::{DateTime, Duration, Utc};
use plumbline_domain::Action;
use plumbline_domain::sla::SlaDue;
use rand::Rng;
use rand::rngs::SmallRng;

/// Per cent of first responses that miss their target.
const LATE_RESPONSE_PERCENT: f64 = 4.0;
/// Per cent of closed jobs whose estimate went to the landlord first.
const APPROVAL_PERCENT: f64 = 18.0;

/// Where a story must go whatever the dice say: a held order must reach its stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Course {
    /// Wherever the dice take it: done, cancelled or rejected.
    Any,
    /// To the repair (not cancelled or rejected).
    Repair,
    /// To the repair, by way of the landlord's approval of the estimate.
    ApprovedRepair,
}

/// The steps an order takes and when, including those still to come after `now`.
pub struct Story {
    pub steps: Vec<Action>,
    pub times: Vec<DateTime<Utc>>,
}

impl Story {
    /// How many of the steps have happened by `now`.
    pub fn taken_by(&self, now: DateTime<Utc>) -> usize {
        self.times.iter().take_while(|at| **at <= now).count()
    }

    /// Ends the story after its first `steps` steps, all taken by `share` of the way
    /// from the opening to `now`: the times up to there are drawn in towards the
    /// opening if they would come later.
    pub fn hold_after(&mut self, steps: usize, opened: DateTime<Utc>, now: DateTime<Utc>, share: f64) {
        self.steps.truncate(steps);
        self.times.truncate(steps);
        let by = ((now - opened).num_seconds() as f64 * share) as i64;
        let Some(last) = self.times.last().map(|last| (*last - opened).num_seconds()).filter(|last| *last > by) else {
            return;
        };
        for at in &mut self.times {
            *at = opened + Duration::seconds((*at - opened).num_seconds() * by / last.max(1));
        }
    }
}

impl Quality {
    fn accept_hours(self) -> (i64, i64) {
        match self {
            Quality::Good => (1, 4),
            Quality::Fair => (3, 20),
            Quality::Poor => (12, 60),
        }
    }

    /// Per cent of jobs whose fix misses the resolution target.
    fn late_percent(self) -> f64 {
        match self {
            Quality::Good => 3.0,
            Quality::Fair => 7.0,
            Quality::Poor => 18.0,
        }
    }

    /// Per cent of jobs sent back: reopened by staff or reported not done by the tenant.
    fn sent_back_percent(self) -> f64 {
        match self {
            Quality::Good => 3.0,
            Quality::Fair => 9.0,
            Quality::Poor => 24.0,
        }
    }

    /// What a tenant rates the job.
    pub fn stars(self, rng: &mut SmallRng) -> i64 {
        let roll = rng.gen_range(0..100);
        match self {
            Quality::Good => [(60, 5), (95, 4), (100, 3)],
            Quality::Fair => [(25, 5), (70, 4), (100, 3)],
            Quality::Poor => [(30, 4), (70, 3), (100, 2)],
        }
        .into_iter()
        .find(|(below, _)| roll < *below)
        .map_or(3, |(_, stars)| stars)
    }
}

/// The story of an order opened at `opened` with these targets, done by a contractor of
/// `quality`.
pub fn story(
    opened: DateTime<Utc>,
    due: SlaDue,
    quality: Quality,
    tenant_first: bool,
    course: Course,
    rng: &mut SmallRng,
) -> Story {
    let steps = steps(quality, tenant_first, course, rng);
    let times = times(&steps, opened, due, quality, rng);
    Story { steps, times }
}

/// Where the order is headed on `course`, and the steps that take it there.
fn steps(quality: Quality, tenant_first: bool, course: Course, rng: &mut SmallRng) -> Vec<Action> {
    use Action::*;
    let roll = match course {
        Course::ApprovedRepair => 0,
        Course::Repair => rng.gen_range(0..100).min(87),
        Course::Any => rng.gen_range(0..100),
    };
    match roll {
        0..=87 => {
            let approval = course == Course::ApprovedRepair || rng.gen_bool(APPROVAL_PERCENT / 100.0);
            let mut steps = if approval { vec![RequestApproval, Approve] } else { vec![] };
            steps.extend([Assign, Accept, Schedule, Start, Complete]);
            if rng.gen_bool(quality.sent_back_percent() / 100.0) {
                // The tenant's report needs a new visit; staff reopen work still on site.
                if rng.gen_bool(0.6) {
                    steps.extend([ReportNotDone, Start, Complete]);
                } else {
                    steps.extend([Reopen, Complete]);
                }
            }
            steps.push(if tenant_first { ConfirmDone } else { Close });
            if rng.gen_bool(0.65) {
                steps.push(Rate);
            }
            steps
        }
        88..=95 if rng.gen_bool(0.5) => vec![Assign, Cancel],
        88..=95 => vec![Cancel],
        _ => vec![Reject],
    }
}

/// A random share of `span`, between `from` and `to` per cent.
fn share_of(span: Duration, (from, to): (f64, f64), rng: &mut SmallRng) -> Duration {
    Duration::seconds((span.num_seconds() as f64 * rng.gen_range(from..to) / 100.0) as i64)
}

/// `percent` of the time from `at` to `then` (none if `then` has passed).
fn until(then: DateTime<Utc>, at: DateTime<Utc>, percent: i32) -> Duration {
    (then - at).max(Duration::zero()) * percent / 100
}

fn hours(rng: &mut SmallRng, (from, to): (i64, i64)) -> Duration {
    Duration::minutes(rng.gen_range(from * 60..=to * 60))
}

/// When each step happens: the first is the response, the first completion is the fix
/// (both planned against the targets), the rest follow each other at a person's pace.
fn times(
    steps: &[Action],
    opened: DateTime<Utc>,
    due: SlaDue,
    quality: Quality,
    rng: &mut SmallRng,
) -> Vec<DateTime<Utc>> {
    let respond_window = due.respond_by - opened;
    let resolve_window = due.resolve_by - opened;
    let response = if rng.gen_bool(LATE_RESPONSE_PERCENT / 100.0) {
        due.respond_by + share_of(respond_window, (10.0, 60.0), rng)
    } else {
        opened + share_of(respond_window, (10.0, 75.0), rng)
    };
    let fix = if rng.gen_bool(quality.late_percent() / 100.0) {
        due.resolve_by + share_of(resolve_window, (10.0, 80.0), rng)
    } else {
        opened + share_of(resolve_window, (45.0, 95.0), rng)
    };
    let mut times = Vec::with_capacity(steps.len());
    let mut at = response;
    let mut completed = false;
    for (index, action) in steps.iter().enumerate() {
        let next = match action {
            _ if index == 0 => response,
            // Before the fix, each wait takes its usual time or, where the targets are
            // tight (an emergency), a share of what is left before the planned fix.
            // Landlords take their time over money.
            Action::Approve | Action::DeclineEstimate => at + hours(rng, (12, 120)).min(until(fix, at, 40)),
            Action::Accept => at + hours(rng, quality.accept_hours()).min(until(fix, at, 25)),
            // A visit arranged with the tenant, often the next day.
            Action::Schedule => at + hours(rng, (1, 30)).min(until(fix, at, 25)),
            // The visit shortly before the fix, or days before it when parts are awaited;
            // a second visit a day or so after the report.
            Action::Start if !completed && rng.gen_bool(0.35) => fix - hours(rng, (12, 72)),
            Action::Start if !completed => fix - hours(rng, (1, 4)),
            Action::Start => at + hours(rng, (20, 72)),
            Action::Complete if !completed => fix,
            Action::Complete => at + hours(rng, (1, 4)),
            Action::Reopen | Action::ReportNotDone => at + hours(rng, (4, 72)),
            Action::ConfirmDone | Action::Close => at + hours(rng, (3, 120)),
            Action::Rate => at + hours(rng, (0, 48)),
            Action::SetPriority
            | Action::RequestApproval
            | Action::Reject
            | Action::Assign
            | Action::Reassign
            | Action::Decline
            | Action::RequestReschedule
            | Action::AutoClose
            | Action::Cancel => at + hours(rng, (1, 8)),
        };
        completed |= *action == Action::Complete;
        // Never before the step it follows.
        at = next.max(at + Duration::minutes(5));
        times.push(at);
    }
    times
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn due(opened: DateTime<Utc>) -> SlaDue {
        SlaDue { respond_by: opened + Duration::hours(24), resolve_by: opened + Duration::hours(120) }
    }

    /// Of 2,000 stories with `quality`'s contractor: late first responses, late fixes, fixes.
    fn lateness(quality: Quality, rng: &mut SmallRng) -> (usize, usize, usize) {
        let opened = DateTime::UNIX_EPOCH;
        let (mut late_responses, mut late_fixes, mut fixed) = (0, 0, 0);
        for _ in 0..2_000 {
            let story = story(opened, due(opened), quality, true, Course::Any, rng);
            late_responses += usize::from(story.times[0] > due(opened).respond_by);
            if let Some(fix) = story.steps.iter().position(|a| *a == Action::Complete) {
                fixed += 1;
                late_fixes += usize::from(story.times[fix] > due(opened).resolve_by);
            }
            assert!(story.times.windows(2).all(|w| w[0] < w[1]), "in order");
        }
        (late_responses, late_fixes, fixed)
    }

    #[test]
    fn most_work_meets_both_targets_and_poor_contractors_miss_more() {
        let mut rng = SmallRng::seed_from_u64(7);
        let (late_responses, good_late, good_fixed) = lateness(Quality::Good, &mut rng);
        assert!((40..=120).contains(&late_responses), "{late_responses} late responses of 2000");
        // The planned few per cent.
        assert!(good_late * 100 < good_fixed * 5, "{good_late} late fixes of {good_fixed}");
        let (_, poor_late, poor_fixed) = lateness(Quality::Poor, &mut rng);
        assert!(
            poor_late * good_fixed > 2 * good_late * poor_fixed,
            "poor {poor_late}/{poor_fixed}, good {good_late}/{good_fixed}"
        );
    }

    #[test]
    fn a_poor_contractor_is_sent_back_more_often_than_a_good_one() {
        let mut rng = SmallRng::seed_from_u64(11);
        let sent_back = |quality, rng: &mut SmallRng| {
            (0..2_000)
                .filter(|_| {
                    steps(quality, true, Course::Any, rng)
                        .iter()
                        .any(|a| matches!(a, Action::Reopen | Action::ReportNotDone))
                })
                .count()
        };
        let (good, poor) = (sent_back(Quality::Good, &mut rng), sent_back(Quality::Poor, &mut rng));
        assert!(poor > 4 * good, "poor {poor}, good {good}");
    }
}
