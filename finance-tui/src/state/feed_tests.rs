use super::tests::loaded;
use super::*;

#[test]
fn a_change_elsewhere_reloads_what_is_shown_and_following_goes_on() {
    let mut s = loaded(3, false);
    let effects = s.update(Answer::ChangesSeen {
        next: Some("7.1".into()),
        changed: true,
    });
    assert_eq!(
        effects,
        vec![
            Effect::FollowChanges(Some("7.1".into())),
            Effect::LoadProfile(None)
        ]
    );
    // Only the reload is loading; the feed is followed quietly.
    assert_eq!(s.in_flight, 1);
    let bank = s.accounts.current().cloned().expect("bank");
    let reload = s.update(Answer::ProfileLoaded(super::tests::profile(vec![
        bank.clone(),
    ])));
    assert_eq!(
        reload,
        vec![Effect::LoadMovements {
            account: bank,
            cursor: None,
            q: None
        }]
    );
}

#[test]
fn nothing_changed_reads_nothing_again() {
    let mut s = loaded(3, false);
    let effects = s.update(Answer::ChangesSeen {
        next: Some("7.2".into()),
        changed: false,
    });
    assert_eq!(effects, vec![Effect::FollowChanges(Some("7.2".into()))]);
    assert_eq!(s.in_flight, 0);
}
