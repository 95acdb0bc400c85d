//! The approval workflow: chains from rules, separation of duties, escalation and
//! delegation, and the hash-chained audit log, including property tests over random
//! event sequences.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDateTime;
use proptest::prelude::*;
use replenish::workflow::*;
use replenish::Error;

const CONFIG: &str = r#"
auto_approve_when = "total_value < 500 and not supplier_on_watch"

[actors]
ann = ["buyer"]
bob = ["buyer", "category_manager"]
cat = ["category_manager"]
dan = ["finance_director"]
eve = ["finance_director", "cfo"]
fay = ["cfo"]

[[rules]]
name = "every PO"
steps = [{ name = "category", roles = ["category_manager"] }]

[[rules]]
name = "large"
when = "total_value >= 10000 or over_budget"
steps = [{ name = "finance", roles = ["finance_director"], min_approvers = 1, deadline_hours = 48, escalate_to = ["cfo"] }]

[[rules]]
name = "watched supplier"
when = "supplier_on_watch"
steps = [{ name = "two buyers", roles = ["buyer", "category_manager"], min_approvers = 2 }]
"#;

fn at(h: i64) -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap().and_hms_opt(8, 0, 0).unwrap() + chrono::Duration::hours(h)
}

fn po(value: f64, watch: bool) -> PoFacts {
    PoFacts {
        po_number: "PO-1".into(),
        supplier: "SUP-01".into(),
        location: "L01".into(),
        currency: "EUR".into(),
        total_value: value,
        total_quantity: 100.0,
        lines: 3,
        supplier_new: false,
        supplier_on_watch: watch,
        over_budget: false,
    }
}

fn wf() -> Workflow {
    ApprovalConfig::from_toml(CONFIG).unwrap().compile().unwrap()
}

fn kind(r: replenish::Result<PoApproval>) -> WorkflowErrorKind {
    match r {
        Err(Error::Workflow { kind, .. }) => kind,
        other => panic!("expected a workflow error, got {other:?}"),
    }
}

fn submit(w: &Workflow, p: PoFacts, by: &str) -> PoApproval {
    w.apply(&PoApproval::new(p), &Event::Submit { actor: by.into(), at: at(0) }).unwrap()
}

fn approve(by: &str, h: i64) -> Event {
    Event::Approve { actor: by.into(), at: at(h), comment: None }
}

#[test]
fn a_large_po_needs_its_category_manager_then_finance() {
    let w = wf();
    let s = submit(&w, po(25_000.0, false), "ann");
    assert_eq!(s.status, ApprovalStatus::PendingApproval);
    let names: Vec<_> = s.steps.iter().map(|s| s.spec.name.as_str()).collect();
    assert_eq!(names, ["category", "finance"]);
    // Finance cannot approve the category step; the requester cannot approve at all.
    assert_eq!(kind(w.apply(&s, &approve("dan", 1))), WorkflowErrorKind::NotAuthorised);
    assert_eq!(kind(w.apply(&s, &approve("ann", 1))), WorkflowErrorKind::SelfApproval);
    assert_eq!(kind(w.apply(&s, &approve("zed", 1))), WorkflowErrorKind::UnknownActor);
    let s = w.apply(&s, &approve("cat", 1)).unwrap();
    assert_eq!((s.status, s.current), (ApprovalStatus::PendingApproval, 1));
    // The finance step escalates to the CFO only after 48 hours.
    assert_eq!(kind(w.apply(&s, &approve("fay", 2))), WorkflowErrorKind::NotAuthorised);
    assert_eq!(kind(w.apply(&s, &Event::Escalate { at: at(20) })), WorkflowErrorKind::NotDue);
    let s = w.apply(&s, &Event::Escalate { at: at(50) }).unwrap();
    // Events may not go back in time.
    assert_eq!(kind(w.apply(&s, &approve("fay", 49))), WorkflowErrorKind::OutOfOrder);
    let s = w.apply(&s, &approve("fay", 51)).unwrap();
    assert_eq!(s.status, ApprovalStatus::Approved);
    assert_eq!(s.steps[1].approvals[0].role, "cfo");
    assert_eq!(kind(w.apply(&s, &approve("dan", 52))), WorkflowErrorKind::InvalidTransition);
    assert!(verify(&s.audit, Some(&s.head_hash)).is_ok());
    assert_eq!(s.audit.len(), 4);
}

#[test]
fn small_pos_are_auto_approved_and_watched_suppliers_need_two_people() {
    let w = wf();
    let s = submit(&w, po(120.0, false), "ann");
    assert_eq!(s.status, ApprovalStatus::Approved);
    assert!(s.auto_approved_by.as_deref().unwrap().contains("total_value < 500"));
    let s = submit(&w, po(120.0, true), "ann");
    assert_eq!(s.steps.iter().map(|s| s.spec.name.as_str()).collect::<Vec<_>>(), ["category", "two buyers"]);
    let s = w.apply(&s, &approve("cat", 1)).unwrap();
    // cat already approved this PO: cannot fill the second step too.
    assert_eq!(kind(w.apply(&s, &approve("cat", 2))), WorkflowErrorKind::DuplicateApprover);
    let s = w.apply(&s, &approve("bob", 2)).unwrap();
    assert_eq!(s.status, ApprovalStatus::PendingApproval);
    // Nobody else holds a buyer or category-manager role: bob cannot delegate (he
    // already approved), and an approval on behalf of cat is refused.
    assert_eq!(
        kind(w.apply(&s, &Event::Delegate { actor: "bob".into(), to: "dan".into(), at: at(3) })),
        WorkflowErrorKind::DuplicateApprover
    );
}

#[test]
fn delegation_rejection_and_changes() {
    let w = wf();
    let s = submit(&w, po(25_000.0, false), "ann");
    let s = w.apply(&s, &approve("bob", 1)).unwrap();
    // dan delegates the finance approval to cat, who has not approved.
    assert_eq!(
        kind(w.apply(&s, &Event::Delegate { actor: "dan".into(), to: "ann".into(), at: at(2) })),
        WorkflowErrorKind::BadDelegation
    );
    let s = w.apply(&s, &Event::Delegate { actor: "dan".into(), to: "cat".into(), at: at(2) }).unwrap();
    let done = w.apply(&s, &approve("cat", 3)).unwrap();
    assert_eq!(done.status, ApprovalStatus::Approved);
    assert_eq!(done.steps[1].approvals[0].on_behalf_of.as_deref(), Some("dan"));
    // ... after which dan cannot approve again (he is used by the delegation).
    let rejected =
        w.apply(&s, &Event::Reject { actor: "eve".into(), at: at(3), reason: "over budget".into() }).unwrap();
    assert_eq!(rejected.status, ApprovalStatus::Rejected);
    assert_eq!(kind(w.apply(&rejected, &approve("dan", 4))), WorkflowErrorKind::InvalidTransition);
    let changes =
        w.apply(&s, &Event::RequestChanges { actor: "eve".into(), at: at(3), note: "split it".into() }).unwrap();
    assert_eq!(changes.status, ApprovalStatus::ChangesRequested);
    assert_eq!(
        kind(w.apply(&changes, &Event::Submit { actor: "bob".into(), at: at(4) })),
        WorkflowErrorKind::NotAuthorised
    );
    let again = w.apply(&changes, &Event::Submit { actor: "ann".into(), at: at(4) }).unwrap();
    assert_eq!((again.status, again.current), (ApprovalStatus::PendingApproval, 0));
    assert!(again.steps.iter().all(|s| s.approvals.is_empty()));
    assert!(verify(&again.audit, Some(&again.head_hash)).is_ok());
}

#[test]
fn bad_approval_rules_are_located() {
    let e =
        ApprovalConfig::from_toml("[[rules]]\nname = \"big\"\nwhen = \"total_vale > 1\"\nsteps = []\n").unwrap_err();
    match e {
        Error::Rule { rule, field, position, message, .. } => {
            assert_eq!((rule.as_str(), field.as_str(), position), ("big", "when", 0));
            assert!(message.contains("did you mean `total_value`"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(ApprovalConfig::from_toml("[[rules]]\nname = \"x\"\nsteps = [{ name = \"s\", roles = [] }]\n").is_err());
}

fn actors() -> Vec<&'static str> {
    vec!["ann", "bob", "cat", "dan", "eve", "fay", "zed"]
}

fn event_strategy() -> impl Strategy<Value = (u8, usize, usize, i64)> {
    (0u8..6, 0usize..7, 0usize..7, 0i64..30)
}

fn to_event((k, a, b, dh): (u8, usize, usize, i64), hour: &mut i64) -> Event {
    *hour += dh;
    let (actor, to, when) = (actors()[a].to_string(), actors()[b].to_string(), at(*hour));
    match k {
        0 => Event::Submit { actor, at: when },
        1 | 2 => Event::Approve { actor, at: when, comment: None },
        3 => Event::Reject { actor, at: when, reason: "no".into() },
        4 => Event::Delegate { actor, to, at: when },
        _ => Event::Escalate { at: when },
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Whatever events arrive, a PO is approved only with every step's required number
    /// of approvals, each by a distinct person other than the requester, holding a role
    /// of the step (or of its escalation, once escalated) — directly or through the
    /// person who delegated to them — unless it was auto-approved by its rule.
    #[test]
    fn approval_needs_every_authorised_distinct_approval(
        raw in prop::collection::vec(event_strategy(), 1..40),
        value in prop_oneof![Just(100.0), Just(2_000.0), Just(20_000.0)],
        watch in any::<bool>(),
    ) {
        let w = wf();
        let cfg = ApprovalConfig::from_toml(CONFIG).unwrap();
        let mut hour = 0;
        let events: Vec<Event> = raw.into_iter().map(|r| to_event(r, &mut hour)).collect();
        let mut s = PoApproval::new(po(value, watch));
        for e in &events {
            if let Ok(n) = w.apply(&s, e) {
                s = n;
            }
            prop_assert!(verify(&s.audit, Some(&s.head_hash)).is_ok());
            if s.status == ApprovalStatus::Approved {
                if s.auto_approved_by.is_some() {
                    prop_assert!(value < 500.0 && !watch);
                    continue;
                }
                let requester = s.requester.clone().unwrap();
                let mut people = Vec::new();
                prop_assert!(!s.steps.is_empty());
                for step in &s.steps {
                    prop_assert!(step.approvals.len() as u32 >= step.spec.min_approvers);
                    for a in &step.approvals {
                        let holder = a.on_behalf_of.clone().unwrap_or_else(|| a.actor.clone());
                        let roles = &cfg.actors[&holder];
                        let allowed = step.spec.roles.contains(&a.role)
                            || (step.escalated && step.spec.escalate_to.contains(&a.role));
                        prop_assert!(allowed && roles.contains(&a.role), "{a:?} in {}", step.spec.name);
                        for p in std::iter::once(a.actor.clone()).chain(a.on_behalf_of.clone()) {
                            prop_assert!(p != requester);
                            prop_assert!(!people.contains(&p), "{p} approved twice");
                            people.push(p);
                        }
                    }
                }
            }
        }
    }

    /// Every single-record edit, deletion and reordering of an audit log is detected.
    #[test]
    fn verify_detects_every_tampering(raw in prop::collection::vec(event_strategy(), 1..40), pick in any::<prop::sample::Index>(), other in any::<prop::sample::Index>()) {
        let w = wf();
        let mut hour = 0;
        let events: Vec<Event> = raw.into_iter().map(|r| to_event(r, &mut hour)).collect();
        let mut s = PoApproval::new(po(20_000.0, true));
        for e in &events {
            if let Ok(n) = w.apply(&s, e) {
                s = n;
            }
        }
        let log = s.audit.clone();
        prop_assume!(!log.is_empty());
        let head = Some(s.head_hash.as_str());
        prop_assert!(verify(&log, head).is_ok());
        let i = pick.index(log.len());
        // Edit: the event's time, its status, or its hash.
        let mut edited = log.clone();
        edited[i].event = Event::Escalate { at: at(10_000) };
        prop_assert!(verify(&edited, head).is_err());
        let mut edited = log.clone();
        edited[i].status = if edited[i].status == ApprovalStatus::Approved { ApprovalStatus::Rejected } else { ApprovalStatus::Approved };
        prop_assert!(verify(&edited, head).is_err());
        // Deletion, of any record including the last.
        let mut removed = log.clone();
        removed.remove(i);
        prop_assert!(verify(&removed, head).is_err());
        // Reordering: swap two distinct records.
        if log.len() > 1 {
            let j = other.index(log.len());
            if j != i {
                let mut swapped = log.clone();
                swapped.swap(i, j);
                prop_assert!(verify(&swapped, head).is_err());
            }
        }
    }
}

/// The property test above is not vacuous: random sequences like its own reach
/// approval through the steps (not only by auto-approval) and get refused often.
#[test]
fn random_sequences_reach_approval_and_refusals() {
    use rand::{Rng, SeedableRng};
    let w = wf();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    let (mut approved, mut refused) = (0, 0);
    for n in 0..2000 {
        let mut hour = 0;
        let mut s = PoApproval::new(po(if n % 2 == 0 { 2_000.0 } else { 20_000.0 }, n % 3 == 0));
        for _ in 0..40 {
            let raw =
                (rng.random_range(0..6u8), rng.random_range(0..7), rng.random_range(0..7), rng.random_range(0..30));
            match w.apply(&s, &to_event(raw, &mut hour)) {
                Ok(next) => s = next,
                Err(_) => refused += 1,
            }
        }
        approved += usize::from(s.status == ApprovalStatus::Approved && s.auto_approved_by.is_none());
    }
    assert!(approved > 200, "{approved} of 2000 approved");
    assert!(refused > 10_000, "{refused} refusals");
}
