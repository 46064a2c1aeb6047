//! Following the change feed: what another device (the phone, the CLI, another member)
//! wrote appears without a key press.

use crate::message::Effect;

use super::State;

impl State {
    /// The feed was read: keep following it, and read the profile and the shown
    /// movements again if anything changed.
    pub(super) fn followed(&mut self, next: Option<String>, changed: bool) -> Vec<Effect> {
        let mut effects = vec![Effect::FollowChanges(next)];
        if changed {
            self.movements.account = None;
            effects.push(self.load_profile());
        }
        effects
    }
}
