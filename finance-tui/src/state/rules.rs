//! How the state answers keys and answers on the rules screen.

use crate::message::{Answer, Effect, Key};

use super::{Mode, State, Status};

impl State {
    pub(super) fn open_rules(&mut self) -> Vec<Effect> {
        self.mode = Mode::Rules;
        self.rules.preview = None;
        vec![Effect::LoadRules]
    }

    pub(super) fn rules_key(&mut self, key: Key) -> Vec<Effect> {
        match key {
            Key::Quit => {
                self.quit = true;
                Vec::new()
            }
            // Esc leaves a preview for the list, the list for the dashboard.
            Key::Cancel if self.rules.preview.is_some() => {
                self.rules.preview = None;
                Vec::new()
            }
            Key::Cancel | Key::ToggleRules => {
                self.mode = Mode::Normal;
                Vec::new()
            }
            Key::Up | Key::Down if self.rules.preview.is_none() => {
                self.rules.step(key == Key::Down);
                Vec::new()
            }
            Key::Submit if self.rules.preview.is_none() => match self.rules.selected() {
                Some(r) => {
                    self.status = Some(Status::Info(format!("Previewing \"{}\"…", r.name)));
                    vec![Effect::PreviewRule(r.id)]
                }
                None => Vec::new(),
            },
            // Only from a preview on screen: the user has seen what it changes.
            Key::Accept if self.rules.preview.is_some() => match self.rules.selected() {
                Some(r) => vec![Effect::ApplyRule(r.id)],
                None => Vec::new(),
            },
            Key::Refresh => vec![Effect::LoadRules],
            _ => Vec::new(),
        }
    }

    pub(super) fn rules_answer(&mut self, answer: Answer) -> Vec<Effect> {
        match answer {
            Answer::RulesLoaded(list) => {
                self.rules.items = list.items;
                self.rules.row = self.rules.row.min(self.rules.items.len().saturating_sub(1));
                Vec::new()
            }
            Answer::RulePreviewed { rule, preview } => {
                if self.mode == Mode::Rules && self.rules.selected().map(|r| r.id) == Some(rule) {
                    self.status = None;
                    self.rules.preview = Some(preview);
                }
                Vec::new()
            }
            Answer::RuleApplied(applied) => {
                self.rules.preview = None;
                self.status = Some(Status::Info(format!(
                    "Changed {} movement(s)",
                    applied.changed
                )));
                // Categories and descriptions changed: the lists are read again.
                self.movements.account = None;
                vec![Effect::LoadRules, self.load_profile()]
            }
            _ => Vec::new(),
        }
    }
}
