//! The approval workflow of purchase orders: a pure state machine
//! `(state, event) -> new state | error`, configured by rules, with separation of
//! duties and a hash-chained audit log.
//!
//! * **Chain.** Rules (`when` expressions over the PO, in the language of
//!   [`crate::rules::expr`]) add approval steps: each step names the roles that may
//!   approve it, how many distinct approvers it needs, and optionally a deadline after
//!   which it escalates to more roles. The chain of a PO is the steps of every matching
//!   rule, in the order written (a step name appears once). A PO whose
//!   `auto_approve_when` holds, or whose chain is empty, is approved on submission.
//! * **Events.** submit, approve, reject (one rejection stops the PO), request
//!   changes (back to the requester, who resubmits), delegate (an approver passes
//!   their approval right for the waiting step to someone else), escalate (a clock
//!   event: a step past its deadline widens to its escalation roles).
//! * **Separation of duties.** The requester cannot approve, reject or receive a
//!   delegation; no person fills two approvals of the same PO (an approval on behalf
//!   of someone uses both people); an actor without a required role is refused. Every
//!   refusal is a [`WorkflowError`] of a stable kind and nothing changes.
//! * **Audit.** Every accepted event is appended to the PO's log as a record chained
//!   to the previous one by SHA-256 ([`verify`]): an edited, removed or reordered
//!   record breaks the chain, and a removed last record no longer matches the head
//!   hash kept with the state.

use crate::error::{Error, Result};
use crate::rules::expr::{Expr, Schema, Type, Value};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// What an approval rule's `when` can read of a PO.
pub const PO_ATTRIBUTES: &[(&str, Type)] = &[
    ("po_number", Type::Text),
    ("supplier", Type::Text),
    ("location", Type::Text),
    ("currency", Type::Text),
    ("total_value", Type::Number),
    ("total_quantity", Type::Number),
    ("lines", Type::Number),
    ("supplier_new", Type::Bool),
    ("supplier_on_watch", Type::Bool),
    ("over_budget", Type::Bool),
];

const PO_SCHEMA: Schema = Schema::fixed(&[PO_ATTRIBUTES], &[]);

/// One approval step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepSpec {
    pub name: String,
    /// Roles any one of which lets an actor approve this step.
    pub roles: Vec<String>,
    /// Distinct approvers needed.
    #[serde(default = "one")]
    pub min_approvers: u32,
    /// Hours the step may wait before an `escalate` event widens it.
    #[serde(default)]
    pub deadline_hours: Option<f64>,
    /// Roles that may also approve once the step has escalated.
    #[serde(default)]
    pub escalate_to: Vec<String>,
}

fn one() -> u32 {
    1
}

/// A rule adding steps to the chain of the POs where `when` holds (all, without it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainRule {
    pub name: String,
    #[serde(default)]
    pub when: Option<String>,
    pub steps: Vec<StepSpec>,
}

/// The approval configuration: who holds which roles, and the rules.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ApprovalConfig {
    /// Actor → roles.
    pub actors: BTreeMap<String, Vec<String>>,
    pub rules: Vec<ChainRule>,
    /// POs where this holds are approved on submission (low risk).
    pub auto_approve_when: Option<String>,
}

/// A PO as the approval rules see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoFacts {
    pub po_number: String,
    pub supplier: String,
    pub location: String,
    pub currency: String,
    pub total_value: f64,
    pub total_quantity: f64,
    pub lines: usize,
    #[serde(default)]
    pub supplier_new: bool,
    #[serde(default)]
    pub supplier_on_watch: bool,
    #[serde(default)]
    pub over_budget: bool,
}

impl PoFacts {
    /// The facts of a planned purchase order; the flags come from the caller.
    pub fn of(po: &crate::orders::PurchaseOrder) -> PoFacts {
        PoFacts {
            po_number: po.po_number.clone(),
            supplier: po.supplier_id.clone(),
            location: po.location.clone(),
            currency: po.currency.clone(),
            total_value: po.total_value,
            total_quantity: po.total_quantity,
            lines: po.lines.len(),
            supplier_new: false,
            supplier_on_watch: false,
            over_budget: false,
        }
    }

    fn values(&self) -> Vec<Value> {
        vec![
            Value::Text(self.po_number.clone()),
            Value::Text(self.supplier.clone()),
            Value::Text(self.location.clone()),
            Value::Text(self.currency.clone()),
            Value::Number(self.total_value),
            Value::Number(self.total_quantity),
            Value::Number(self.lines as f64),
            Value::Bool(self.supplier_new),
            Value::Bool(self.supplier_on_watch),
            Value::Bool(self.over_budget),
        ]
    }
}

/// Where a PO is in its approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalStatus {
    Draft,
    PendingApproval,
    ChangesRequested,
    Approved,
    Rejected,
}

impl ApprovalStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalStatus::Draft => "draft",
            ApprovalStatus::PendingApproval => "pending_approval",
            ApprovalStatus::ChangesRequested => "changes_requested",
            ApprovalStatus::Approved => "approved",
            ApprovalStatus::Rejected => "rejected",
        }
    }
}

/// Something that happened to a PO's approval. `at` must not go back in time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    Submit {
        actor: String,
        at: NaiveDateTime,
    },
    Approve {
        actor: String,
        at: NaiveDateTime,
        #[serde(default)]
        comment: Option<String>,
    },
    Reject {
        actor: String,
        at: NaiveDateTime,
        reason: String,
    },
    RequestChanges {
        actor: String,
        at: NaiveDateTime,
        note: String,
    },
    /// `actor` passes their approval right for the waiting step to `to`.
    Delegate {
        actor: String,
        to: String,
        at: NaiveDateTime,
    },
    /// A clock event: escalates the waiting step if its deadline has passed.
    Escalate {
        at: NaiveDateTime,
    },
}

impl Event {
    pub fn at(&self) -> NaiveDateTime {
        match self {
            Event::Submit { at, .. }
            | Event::Approve { at, .. }
            | Event::Reject { at, .. }
            | Event::RequestChanges { at, .. }
            | Event::Delegate { at, .. }
            | Event::Escalate { at } => *at,
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Event::Submit { .. } => "submit",
            Event::Approve { .. } => "approve",
            Event::Reject { .. } => "reject",
            Event::RequestChanges { .. } => "request_changes",
            Event::Delegate { .. } => "delegate",
            Event::Escalate { .. } => "escalate",
        }
    }
}

/// Why an event was refused. Stable names (`as_str`) for the bindings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkflowErrorKind {
    /// The event does not apply in the PO's status.
    InvalidTransition,
    /// The actor is not in the configuration's `actors`.
    UnknownActor,
    /// The actor holds none of the roles the step needs (nor a delegation).
    NotAuthorised,
    /// The requester tried to approve, reject or take a delegation of their own PO.
    SelfApproval,
    /// The person already filled an approval of this PO.
    DuplicateApprover,
    /// A delegation to oneself, or to someone who cannot take it.
    BadDelegation,
    /// An escalation before the step's deadline (or of a step without one).
    NotDue,
    /// The event is dated before the last accepted one.
    OutOfOrder,
    /// A tracking event names a line the PO does not have, or a document of another PO.
    UnknownLine,
    /// A quantity below zero, or confirmed, shipped or received beyond the over-delivery tolerance.
    BadQuantity,
    /// A change that would raise an approved PO's value (it needs a new approval).
    NeedsApproval,
}

impl WorkflowErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            WorkflowErrorKind::InvalidTransition => "invalid_transition",
            WorkflowErrorKind::UnknownActor => "unknown_actor",
            WorkflowErrorKind::NotAuthorised => "not_authorised",
            WorkflowErrorKind::SelfApproval => "self_approval",
            WorkflowErrorKind::DuplicateApprover => "duplicate_approver",
            WorkflowErrorKind::BadDelegation => "bad_delegation",
            WorkflowErrorKind::NotDue => "not_due",
            WorkflowErrorKind::OutOfOrder => "out_of_order",
            WorkflowErrorKind::UnknownLine => "unknown_line",
            WorkflowErrorKind::BadQuantity => "bad_quantity",
            WorkflowErrorKind::NeedsApproval => "needs_approval",
        }
    }
}

pub(crate) fn refuse<T>(kind: WorkflowErrorKind, message: String) -> Result<T> {
    Err(Error::Workflow { kind, message })
}

/// One approval given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Approval {
    pub actor: String,
    /// The role it was given under (the delegator's, for a delegated approval).
    pub role: String,
    pub at: NaiveDateTime,
    /// The person whose right was delegated to `actor`, if any.
    pub on_behalf_of: Option<String>,
}

/// A step of a PO's chain and how far it got.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub spec: StepSpec,
    /// The rule that added it.
    pub rule: String,
    pub started_at: Option<NaiveDateTime>,
    pub escalated: bool,
    pub approvals: Vec<Approval>,
    /// Delegations for this step: (from, to).
    pub delegations: Vec<(String, String)>,
}

/// One accepted event in the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub seq: u64,
    pub po_number: String,
    pub event: Event,
    /// The status after the event.
    pub status: ApprovalStatus,
    /// Hex SHA-256 of the previous record (64 zeros for the first).
    pub prev_hash: String,
    /// Hex SHA-256 of `prev_hash` and this record's content.
    pub hash: String,
}

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

fn record_hash(seq: u64, po_number: &str, event: &Event, status: ApprovalStatus, prev_hash: &str) -> String {
    chain_hash(prev_hash, &serde_json::json!({ "seq": seq, "po_number": po_number, "event": event, "status": status }))
}

/// Hex SHA-256 of the previous hash, a newline and the record's content as JSON.
pub(crate) fn chain_hash(prev_hash: &str, content: &serde_json::Value) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(b"\n");
    h.update(content.to_string().as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// A record of a hash-chained log ([`AuditRecord`], [`crate::orders::tracking::TrackRecord`]).
pub trait Chained {
    fn seq(&self) -> u64;
    fn prev_hash(&self) -> &str;
    fn hash(&self) -> &str;
    /// The hash recomputed from the record's content and `prev_hash`.
    fn recompute(&self) -> String;
}

impl Chained for AuditRecord {
    fn seq(&self) -> u64 {
        self.seq
    }
    fn prev_hash(&self) -> &str {
        &self.prev_hash
    }
    fn hash(&self) -> &str {
        &self.hash
    }
    fn recompute(&self) -> String {
        record_hash(self.seq, &self.po_number, &self.event, self.status, &self.prev_hash)
    }
}

pub(crate) const GENESIS_HASH: &str = GENESIS;

/// What is wrong with an audit log, at which record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditProblem {
    pub index: usize,
    pub message: String,
}

/// Checks an audit log: sequence numbers 0, 1, 2, ..., each record's `prev_hash`
/// equal to the previous record's hash, each hash recomputed from the content, and,
/// given the head hash kept with the state, that the last record is the head (so a
/// removed last record is found too).
pub fn verify<R: Chained>(log: &[R], head: Option<&str>) -> std::result::Result<(), AuditProblem> {
    let mut prev = GENESIS.to_string();
    for (i, r) in log.iter().enumerate() {
        let bad = |message: String| Err(AuditProblem { index: i, message });
        if r.seq() != i as u64 {
            return bad(format!("record {i} has sequence number {}", r.seq()));
        }
        if r.prev_hash() != prev {
            return bad(format!("record {i} does not follow the record before it"));
        }
        if r.recompute() != r.hash() {
            return bad(format!("record {i} was changed after it was written"));
        }
        prev = r.hash().to_string();
    }
    match head {
        Some(h) if h != prev => Err(AuditProblem {
            index: log.len(),
            message: "the log does not end at the recorded head: records were removed or added at the end".into(),
        }),
        _ => Ok(()),
    }
}

/// A PO's approval state with its audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoApproval {
    pub po: PoFacts,
    pub status: ApprovalStatus,
    pub requester: Option<String>,
    pub steps: Vec<Step>,
    /// The waiting step (index into `steps`) while pending.
    pub current: usize,
    /// Why the PO needed no approval, when it was auto-approved.
    pub auto_approved_by: Option<String>,
    pub audit: Vec<AuditRecord>,
    /// Hash of the last audit record (keep it apart from the log to detect truncation).
    pub head_hash: String,
}

impl PoApproval {
    /// A draft PO, not yet submitted.
    pub fn new(po: PoFacts) -> PoApproval {
        PoApproval {
            po,
            status: ApprovalStatus::Draft,
            requester: None,
            steps: Vec::new(),
            current: 0,
            auto_approved_by: None,
            audit: Vec::new(),
            head_hash: GENESIS.to_string(),
        }
    }

    /// Everyone who filled an approval of this PO (delegators included).
    fn used(&self) -> Vec<&str> {
        self.steps
            .iter()
            .flat_map(|s| s.approvals.iter())
            .flat_map(|a| std::iter::once(a.actor.as_str()).chain(a.on_behalf_of.as_deref()))
            .collect()
    }
}

/// An approval configuration checked and ready.
#[derive(Debug, Clone)]
pub struct Workflow {
    config: ApprovalConfig,
    rules: Vec<(ChainRule, Option<Expr>)>,
    auto: Option<Expr>,
}

impl ApprovalConfig {
    /// Parses the configuration from TOML and checks it.
    pub fn from_toml(text: &str) -> Result<ApprovalConfig> {
        let c: ApprovalConfig = toml::from_str(text).map_err(|e| Error::config("(approval file)", e.to_string()))?;
        c.compile()?;
        Ok(c)
    }

    /// Parses the configuration from JSON (what the bindings pass) and checks it.
    pub fn from_json(text: &str) -> Result<ApprovalConfig> {
        let c: ApprovalConfig =
            serde_json::from_str(text).map_err(|e| Error::config("(approval config)", e.to_string()))?;
        c.compile()?;
        Ok(c)
    }

    /// Checks every rule and parses its expressions.
    pub fn compile(&self) -> Result<Workflow> {
        let parse = |rule: &str, field: &str, src: &str| {
            Expr::parse(src, &PO_SCHEMA, Type::Bool).map_err(|e| Error::Rule {
                rule: rule.to_string(),
                field: field.to_string(),
                expression: src.to_string(),
                position: e.position,
                message: e.message,
            })
        };
        let mut rules = Vec::new();
        for (i, r) in self.rules.iter().enumerate() {
            if r.name.trim().is_empty() {
                return Err(Error::config(format!("rules[{i}].name"), "every approval rule needs a name"));
            }
            for s in &r.steps {
                if s.roles.is_empty() || s.min_approvers == 0 {
                    return Err(Error::config(
                        format!("{}.steps.{}", r.name, s.name),
                        "a step needs at least one role and min_approvers ≥ 1",
                    ));
                }
                if let Some(h) = s.deadline_hours {
                    if !(h.is_finite() && h > 0.0) {
                        return Err(Error::config(
                            format!("{}.steps.{}.deadline_hours", r.name, s.name),
                            "must be > 0",
                        ));
                    }
                }
            }
            let when = r.when.as_deref().map(|w| parse(&r.name, "when", w)).transpose()?;
            rules.push((r.clone(), when));
        }
        let auto = self
            .auto_approve_when
            .as_deref()
            .map(|w| parse("auto_approve_when", "auto_approve_when", w))
            .transpose()?;
        Ok(Workflow { config: self.clone(), rules, auto })
    }
}

impl Workflow {
    /// The steps a PO must pass, each with the rule that added it.
    pub fn chain(&self, po: &PoFacts) -> Vec<(StepSpec, String)> {
        let values = po.values();
        let mut out: Vec<(StepSpec, String)> = Vec::new();
        for (rule, when) in &self.rules {
            if when.as_ref().is_none_or(|e| e.test(&values)) {
                for s in &rule.steps {
                    if !out.iter().any(|(x, _)| x.name == s.name) {
                        out.push((s.clone(), rule.name.clone()));
                    }
                }
            }
        }
        out
    }

    fn roles(&self, actor: &str) -> Result<&[String]> {
        match self.config.actors.get(actor) {
            Some(r) => Ok(r),
            None => refuse(WorkflowErrorKind::UnknownActor, format!("`{actor}` is not a known actor")),
        }
    }

    /// The role under which `actor` may act on `step` by themselves.
    fn own_role(&self, actor: &str, step: &Step) -> Result<Option<String>> {
        let roles = self.roles(actor)?;
        let allowed =
            step.spec.roles.iter().chain(step.escalated.then_some(&step.spec.escalate_to).into_iter().flatten());
        Ok(allowed.into_iter().find(|r| roles.contains(r)).cloned())
    }

    /// Applies an event: the new state, or a typed error and no change.
    pub fn apply(&self, state: &PoApproval, event: &Event) -> Result<PoApproval> {
        use ApprovalStatus as S;
        use WorkflowErrorKind as K;
        if let Some(last) = state.audit.last() {
            if event.at() < last.event.at() {
                return refuse(
                    K::OutOfOrder,
                    format!("event at {} is before the last one at {}", event.at(), last.event.at()),
                );
            }
        }
        let wrong =
            || refuse(K::InvalidTransition, format!("cannot {} a PO that is {}", event.name(), state.status.as_str()));
        let mut next = state.clone();
        match event {
            Event::Submit { actor, at } => {
                if !matches!(state.status, S::Draft | S::ChangesRequested) {
                    return wrong();
                }
                self.roles(actor)?;
                if let Some(r) = &state.requester {
                    if r != actor {
                        return refuse(K::NotAuthorised, format!("only the requester `{r}` can resubmit this PO"));
                    }
                }
                next.requester = Some(actor.clone());
                let auto = self.auto.as_ref().is_some_and(|e| e.test(&state.po.values()));
                let chain = self.chain(&state.po);
                next.steps = chain
                    .into_iter()
                    .map(|(spec, rule)| Step {
                        spec,
                        rule,
                        started_at: None,
                        escalated: false,
                        approvals: Vec::new(),
                        delegations: Vec::new(),
                    })
                    .collect();
                next.current = 0;
                if auto || next.steps.is_empty() {
                    next.status = S::Approved;
                    next.auto_approved_by = Some(if auto {
                        format!("auto_approve_when `{}`", self.config.auto_approve_when.as_deref().unwrap_or_default())
                    } else {
                        "no approval rule applies".to_string()
                    });
                    next.steps.clear();
                } else {
                    next.status = S::PendingApproval;
                    next.steps[0].started_at = Some(*at);
                }
            }
            Event::Approve { actor, at, .. }
            | Event::Reject { actor, at, .. }
            | Event::RequestChanges { actor, at, .. } => {
                if state.status != S::PendingApproval {
                    return wrong();
                }
                self.roles(actor)?;
                if state.requester.as_deref() == Some(actor.as_str()) {
                    return refuse(K::SelfApproval, format!("`{actor}` requested this PO and cannot decide on it"));
                }
                let step = &state.steps[state.current];
                let delegated_from = step.delegations.iter().find(|(_, to)| to == actor).map(|(from, _)| from.clone());
                let (role, on_behalf_of) = match (self.own_role(actor, step)?, delegated_from) {
                    (Some(r), _) => (r, None),
                    (None, Some(from)) => match self.own_role(&from, step)? {
                        Some(r) => (r, Some(from)),
                        None => {
                            return refuse(
                                K::NotAuthorised,
                                format!(
                                    "`{from}`, who delegated to `{actor}`, no longer holds a role of step `{}`",
                                    step.spec.name
                                ),
                            )
                        }
                    },
                    (None, None) => {
                        return refuse(
                            K::NotAuthorised,
                            format!(
                                "`{actor}` holds none of the roles of step `{}` ({})",
                                step.spec.name,
                                step.spec.roles.join(", ")
                            ),
                        )
                    }
                };
                let used = state.used();
                for person in std::iter::once(actor.as_str()).chain(on_behalf_of.as_deref()) {
                    if used.contains(&person) {
                        return refuse(
                            K::DuplicateApprover,
                            format!("`{person}` already filled an approval of this PO"),
                        );
                    }
                }
                match event {
                    Event::Approve { .. } => {
                        let cur = state.current;
                        next.steps[cur].approvals.push(Approval { actor: actor.clone(), role, at: *at, on_behalf_of });
                        if next.steps[cur].approvals.len() as u32 >= next.steps[cur].spec.min_approvers {
                            if cur + 1 < next.steps.len() {
                                next.current = cur + 1;
                                next.steps[cur + 1].started_at = Some(*at);
                            } else {
                                next.status = S::Approved;
                            }
                        }
                    }
                    Event::Reject { .. } => next.status = S::Rejected,
                    _ => {
                        next.status = S::ChangesRequested;
                        next.steps.clear();
                        next.current = 0;
                    }
                }
            }
            Event::Delegate { actor, to, .. } => {
                if state.status != S::PendingApproval {
                    return wrong();
                }
                self.roles(actor)?;
                self.roles(to)?;
                let step = &state.steps[state.current];
                if self.own_role(actor, step)?.is_none() {
                    return refuse(
                        K::NotAuthorised,
                        format!("`{actor}` holds no role of step `{}` to delegate", step.spec.name),
                    );
                }
                let requester = state.requester.as_deref();
                let used = state.used();
                if to == actor || requester == Some(to.as_str()) || requester == Some(actor.as_str()) {
                    return refuse(K::BadDelegation, format!("`{actor}` cannot delegate to `{to}`"));
                }
                if used.contains(&to.as_str()) || used.contains(&actor.as_str()) {
                    return refuse(
                        K::DuplicateApprover,
                        format!("`{actor}` or `{to}` already filled an approval of this PO"),
                    );
                }
                if step.delegations.iter().any(|(_, t)| t == to) {
                    return refuse(K::BadDelegation, format!("`{to}` already holds a delegation for this step"));
                }
                next.steps[state.current].delegations.push((actor.clone(), to.clone()));
            }
            Event::Escalate { at } => {
                if state.status != S::PendingApproval {
                    return wrong();
                }
                let step = &state.steps[state.current];
                let due = match (step.spec.deadline_hours, step.started_at) {
                    (Some(h), Some(start)) => Some(start + chrono::Duration::seconds((h * 3600.0).round() as i64)),
                    _ => None,
                };
                match due {
                    Some(d) if *at >= d && !step.escalated => next.steps[state.current].escalated = true,
                    Some(d) if !step.escalated => {
                        return refuse(K::NotDue, format!("step `{}` is due at {d}, not yet at {at}", step.spec.name))
                    }
                    _ => {
                        return refuse(
                            K::NotDue,
                            format!("step `{}` has no deadline or already escalated", step.spec.name),
                        )
                    }
                }
            }
        }
        // Audit.
        let seq = state.audit.len() as u64;
        let hash = record_hash(seq, &state.po.po_number, event, next.status, &state.head_hash);
        next.audit.push(AuditRecord {
            seq,
            po_number: state.po.po_number.clone(),
            event: event.clone(),
            status: next.status,
            prev_hash: state.head_hash.clone(),
            hash: hash.clone(),
        });
        next.head_hash = hash;
        Ok(next)
    }

    /// Applies events in order, stopping at the first refused one: the state reached
    /// and, if any, the refused event's index and error.
    pub fn run(&self, mut state: PoApproval, events: &[Event]) -> (PoApproval, Option<(usize, Error)>) {
        for (i, e) in events.iter().enumerate() {
            match self.apply(&state, e) {
                Ok(s) => state = s,
                Err(err) => return (state, Some((i, err))),
            }
        }
        (state, None)
    }
}
