//! Which key means what, depending on what is on screen.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::message::Key;
use crate::state::Mode;

pub fn action(key: KeyEvent, mode: &Mode) -> Option<Key> {
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
        return Some(Key::Quit);
    }
    let typing = matches!(mode, Mode::Form(_) | Mode::Filter | Mode::Confirm(_));
    Some(match key.code {
        KeyCode::Esc => Key::Cancel,
        KeyCode::Enter => Key::Submit,
        KeyCode::Up => Key::Up,
        KeyCode::Down => Key::Down,
        KeyCode::Tab if typing => Key::NextField,
        KeyCode::BackTab if typing => Key::PrevField,
        KeyCode::Tab | KeyCode::BackTab => Key::NextPane,
        KeyCode::Backspace if typing => Key::Backspace,
        // Ctrl/Alt chords are not text: typing them would put stray letters in a field.
        KeyCode::Char(_)
            if typing
                && key
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            return None;
        }
        KeyCode::Char(c) if typing => Key::Char(c),
        KeyCode::Char('k') => Key::Up,
        KeyCode::Char('j') => Key::Down,
        KeyCode::Char('a') => Key::OpenAddMovement,
        KeyCode::Char('n') => Key::OpenNewAccount,
        KeyCode::Char('e') => Key::EditMovement,
        KeyCode::Char('d') => Key::DeleteMovement,
        KeyCode::Char('t') => Key::OpenTransfer,
        KeyCode::Char('/') => Key::OpenFilter,
        KeyCode::Char('r') => Key::Refresh,
        KeyCode::Char('h') => Key::ToggleArchived,
        KeyCode::Char('c') => Key::SwitchCurrency,
        KeyCode::Char('g') => Key::ToggleReports,
        KeyCode::Char('s') => Key::ToggleSchedules,
        KeyCode::Char('m') => Key::ToggleMembers,
        KeyCode::Char('i') => Key::Invite,
        KeyCode::Char('x') => Key::Remove,
        KeyCode::Char('y') => Key::Accept,
        KeyCode::Char('u') => Key::ToggleRules,
        KeyCode::Char('l') => Key::ToggleHistory,
        KeyCode::Char('b') => Key::OpenReconcile,
        KeyCode::Char('?') => Key::ToggleHelp,
        KeyCode::Char('q') => Key::Quit,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::form::Form;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn normal_mode_keys() {
        let m = Mode::Normal;
        let cases = [
            (KeyCode::Up, Key::Up),
            (KeyCode::Char('k'), Key::Up),
            (KeyCode::Down, Key::Down),
            (KeyCode::Char('j'), Key::Down),
            (KeyCode::Tab, Key::NextPane),
            (KeyCode::Char('a'), Key::OpenAddMovement),
            (KeyCode::Char('n'), Key::OpenNewAccount),
            (KeyCode::Char('e'), Key::EditMovement),
            (KeyCode::Char('d'), Key::DeleteMovement),
            (KeyCode::Char('t'), Key::OpenTransfer),
            (KeyCode::Char('/'), Key::OpenFilter),
            (KeyCode::Char('r'), Key::Refresh),
            (KeyCode::Char('h'), Key::ToggleArchived),
            (KeyCode::Char('c'), Key::SwitchCurrency),
            (KeyCode::Char('g'), Key::ToggleReports),
            (KeyCode::Char('s'), Key::ToggleSchedules),
            (KeyCode::Char('m'), Key::ToggleMembers),
            (KeyCode::Char('i'), Key::Invite),
            (KeyCode::Char('x'), Key::Remove),
            (KeyCode::Char('y'), Key::Accept),
            (KeyCode::Char('u'), Key::ToggleRules),
            (KeyCode::Char('?'), Key::ToggleHelp),
            (KeyCode::Char('q'), Key::Quit),
            (KeyCode::Esc, Key::Cancel),
        ];
        for (code, want) in cases {
            assert_eq!(action(press(code), &m), Some(want), "{code:?}");
        }
        assert_eq!(action(press(KeyCode::Char('z')), &m), None);
    }

    #[test]
    fn typing_modes_take_letters_as_text() {
        for m in [Mode::Filter, Mode::Form(Form::account())] {
            assert_eq!(action(press(KeyCode::Char('q')), &m), Some(Key::Char('q')));
            assert_eq!(action(press(KeyCode::Char('a')), &m), Some(Key::Char('a')));
            assert_eq!(action(press(KeyCode::Tab), &m), Some(Key::NextField));
            assert_eq!(action(press(KeyCode::BackTab), &m), Some(Key::PrevField));
            assert_eq!(action(press(KeyCode::Backspace), &m), Some(Key::Backspace));
            assert_eq!(action(press(KeyCode::Enter), &m), Some(Key::Submit));
        }
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(
            action(ctrl_c, &Mode::Form(Form::account())),
            Some(Key::Quit)
        );
        let ctrl_u = KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL);
        assert_eq!(action(ctrl_u, &Mode::Form(Form::account())), None);
        let shifted = KeyEvent::new(KeyCode::Char('E'), KeyModifiers::SHIFT);
        assert_eq!(action(shifted, &Mode::Filter), Some(Key::Char('E')));
    }
}
