//! Trying rules on movements: each rule compiled once (its pattern from a shared cache),
//! then per movement, in position order, per field the first matching rule that names it.

use std::sync::{Arc, LazyLock};

use regex::Regex;

use super::super::bound::AmountBound;
use super::super::entities::AccountId;
use super::super::error::ValidationError;
use super::super::money::Money;
use super::super::movement::Movement;
use super::super::tags::with_tags;
use super::{PATTERN_MAX, Rule};

/// Compiled patterns, by their text: a pattern is compiled once per process however many
/// movements and requests try it.
static PATTERNS: LazyLock<quick_cache::sync::Cache<String, Arc<Regex>>> =
    LazyLock::new(|| quick_cache::sync::Cache::new(4096));

/// Compiled size a pattern may take: `a{1000}{1000}` and the like are refused, not built.
const PATTERN_SIZE: usize = 1 << 20;

/// A `description_matches` pattern, compiled (or from the cache); 422 under `field` when
/// it is not a valid pattern, too long, or too large once compiled.
pub fn compile_pattern(field: &str, pattern: &str) -> Result<Arc<Regex>, ValidationError> {
    if pattern.is_empty() || pattern.chars().count() > PATTERN_MAX {
        return Err(ValidationError::new(
            field,
            format!("must be 1 to {PATTERN_MAX} characters"),
        ));
    }
    if let Some(re) = PATTERNS.get(pattern) {
        return Ok(re);
    }
    let re = regex::RegexBuilder::new(pattern)
        .size_limit(PATTERN_SIZE)
        .dfa_size_limit(PATTERN_SIZE)
        .build()
        .map_err(|e| {
            let why = match e {
                regex::Error::CompiledTooBig(_) => "is too large once compiled".to_string(),
                // The parser's message draws the pattern over several lines; its last line
                // says what is wrong ("error: unclosed group").
                other => {
                    let text = other.to_string();
                    let why = text.lines().last().unwrap_or_default();
                    let why = why.trim().trim_start_matches("error: ");
                    format!("is not a valid regular expression: {why}")
                }
            };
            ValidationError::new(field, why)
        })?;
    let re = Arc::new(re);
    PATTERNS.insert(pattern.to_string(), re.clone());
    Ok(re)
}

/// What a rule is tried on: a movement's description as recorded (before any rule
/// rewrote it), amount and account.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    pub description: &'a str,
    pub amount: Money,
    pub account: AccountId,
}

/// One rule, ready to try.
#[derive(Debug, Clone)]
struct Compiled {
    rule: Rule,
    /// `description_contains`, lower-cased once.
    contains: Option<String>,
    matches: Option<Arc<Regex>>,
    min: Option<AmountBound>,
    max: Option<AmountBound>,
    account: Option<AccountId>,
    /// False for a stored rule that no longer reads.
    valid: bool,
}

impl Compiled {
    fn new(rule: Rule) -> Self {
        let when = &rule.when;
        // Stored rules were checked when written; one that no longer reads (short of a
        // hand-edited row it cannot happen) matches nothing rather than everything.
        let mut valid = true;
        let mut read = |ok: bool| valid &= ok;
        let matches = when.description_matches.as_deref().and_then(|p| {
            let re = compile_pattern("", p).ok();
            read(re.is_some());
            re
        });
        let mut bound = |text: Option<&str>| {
            text.and_then(|a| {
                let b = AmountBound::parse("", a).ok();
                read(b.is_some());
                b
            })
        };
        let (min, max) = (
            bound(when.amount_min.as_deref()),
            bound(when.amount_max.as_deref()),
        );
        let account = when.account.as_deref().and_then(|a| {
            let id = AccountId::parse("", a).ok();
            read(id.is_some());
            id
        });
        Self {
            contains: when.description_contains.as_ref().map(|t| t.to_lowercase()),
            matches,
            min,
            max,
            account,
            valid,
            rule,
        }
    }

    /// Whether every condition holds; `lower` is the description lower-cased (made once
    /// per movement, by the first rule that needs it).
    fn matches(&self, c: &Candidate<'_>, lower: &mut Option<String>) -> bool {
        let when = &self.rule.when;
        if !self.valid {
            return false;
        }
        let exp = c.amount.currency().exponent();
        self.account.is_none_or(|a| a == c.account)
            && when
                .currency
                .as_deref()
                .is_none_or(|code| code == c.amount.currency().code())
            && self
                .min
                .is_none_or(|b| c.amount.minor() >= b.minor(exp, true))
            && self
                .max
                .is_none_or(|b| c.amount.minor() <= b.minor(exp, false))
            && self.contains.as_deref().is_none_or(|needle| {
                lower
                    .get_or_insert_with(|| c.description.to_lowercase())
                    .contains(needle)
            })
            && self
                .matches
                .as_ref()
                .is_none_or(|re| re.is_match(c.description))
    }
}

/// A user's rules in position order, compiled, to try on movements as they are recorded.
#[derive(Debug, Clone, Default)]
pub struct RuleBook {
    rules: Vec<Compiled>,
}

impl RuleBook {
    /// The book of `rules` (in position order).
    pub fn new(rules: Vec<Rule>) -> Self {
        Self {
            rules: rules.into_iter().map(Compiled::new).collect(),
        }
    }

    /// Applies the rules to a movement being recorded: per field, the first matching rule
    /// that names it wins. It sets the category unless `category_sent` (the request named
    /// one) or the movement is split, rewrites the description, and adds the tags of every
    /// matching rule; `rule_id` becomes the first rule that changed something.
    pub fn categorise(&self, m: &mut Movement, category_sent: bool) {
        if self.rules.is_empty() {
            return;
        }
        let candidate = Candidate {
            description: &m.description.clone(),
            amount: m.amount,
            account: m.account_id,
        };
        let mut lower = None;
        let (mut category_done, mut description_done) = (
            category_sent || m.splits.is_some() || m.category.is_some(),
            false,
        );
        for c in &self.rules {
            if !c.matches(&candidate, &mut lower) {
                continue;
            }
            let then = &c.rule.then;
            let mut changed = false;
            if !category_done && let Some(category) = &then.category {
                category_done = true;
                changed |= m.category.as_ref() != Some(category);
                m.category = Some(category.clone());
            }
            if !description_done && let Some(description) = &then.description {
                description_done = true;
                changed |= m.description != *description;
                m.description = description.clone();
            }
            if !then.add_tags.is_empty() {
                let tags = with_tags(&m.tags, &then.add_tags);
                changed |= tags != m.tags;
                m.tags = tags;
            }
            if changed && m.rule_id.is_none() {
                m.rule_id = Some(c.rule.id);
            }
        }
    }
}

impl Rule {
    /// Whether this rule's conditions hold for `c`.
    pub fn matches(&self, c: &Candidate<'_>) -> bool {
        Compiled::new(self.clone()).matches(c, &mut None)
    }

    /// What this rule alone makes of an existing movement, if it changes it: the category
    /// where it has none (or any, with `overwrite`) unless split or a transfer's leg, the
    /// description rewritten, the tags added; `rule_id` set where none was.
    pub fn change(&self, m: &Movement, overwrite: bool) -> Option<Movement> {
        self.changer()(m, overwrite)
    }

    /// [`Self::change`] with the rule compiled once, for many movements.
    pub fn changer(&self) -> impl Fn(&Movement, bool) -> Option<Movement> + '_ {
        let compiled = Compiled::new(self.clone());
        move |m, overwrite| {
            let candidate = Candidate {
                description: &m.description,
                amount: m.amount,
                account: m.account_id,
            };
            if m.transfer_id.is_some() || !compiled.matches(&candidate, &mut None) {
                return None;
            }
            let mut after = m.clone();
            let then = &self.then;
            if let Some(category) = &then.category
                && m.splits.is_none()
                && (m.category.is_none() || overwrite)
            {
                after.category = Some(category.clone());
            }
            if let Some(description) = &then.description {
                after.description = description.clone();
            }
            after.tags = with_tags(&m.tags, &then.add_tags);
            if after == *m {
                return None;
            }
            after.rule_id = after.rule_id.or(Some(self.id));
            Some(after)
        }
    }
}
