//! Which key means what, depending on what is on screen.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::state::{Action, Mode};

pub fn action(key: KeyEvent, mode: &Mode) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
        return Some(Action::Quit);
    }
    let typing = matches!(mode, Mode::Form(_) | Mode::Filter);
    Some(match key.code {
        KeyCode::Esc => Action::Cancel,
        KeyCode::Enter => Action::Submit,
        KeyCode::Up => Action::Up,
        KeyCode::Down => Action::Down,
        KeyCode::Tab if typing => Action::NextField,
        KeyCode::BackTab if typing => Action::PrevField,
        KeyCode::Tab | KeyCode::BackTab => Action::NextPane,
        KeyCode::Backspace if typing => Action::Backspace,
        // Ctrl/Alt chords are not text: typing them would put stray letters in a field.
        KeyCode::Char(_)
            if typing
                && key
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            return None;
        }
        KeyCode::Char(c) if typing => Action::Char(c),
        KeyCode::Char('k') => Action::Up,
        KeyCode::Char('j') => Action::Down,
        KeyCode::Char('a') => Action::OpenAddMovement,
        KeyCode::Char('n') => Action::OpenNewAccount,
        KeyCode::Char('/') => Action::OpenFilter,
        KeyCode::Char('r') => Action::Refresh,
        KeyCode::Char('?') => Action::ToggleHelp,
        KeyCode::Char('q') => Action::Quit,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::Form;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn normal_mode_keys() {
        let m = Mode::Normal;
        let cases = [
            (KeyCode::Up, Action::Up),
            (KeyCode::Char('k'), Action::Up),
            (KeyCode::Down, Action::Down),
            (KeyCode::Char('j'), Action::Down),
            (KeyCode::Tab, Action::NextPane),
            (KeyCode::Char('a'), Action::OpenAddMovement),
            (KeyCode::Char('n'), Action::OpenNewAccount),
            (KeyCode::Char('/'), Action::OpenFilter),
            (KeyCode::Char('r'), Action::Refresh),
            (KeyCode::Char('?'), Action::ToggleHelp),
            (KeyCode::Char('q'), Action::Quit),
            (KeyCode::Esc, Action::Cancel),
        ];
        for (code, want) in cases {
            assert_eq!(action(press(code), &m), Some(want), "{code:?}");
        }
        assert_eq!(action(press(KeyCode::Char('x')), &m), None);
    }

    #[test]
    fn typing_modes_take_letters_as_text() {
        for m in [Mode::Filter, Mode::Form(Form::account())] {
            assert_eq!(
                action(press(KeyCode::Char('q')), &m),
                Some(Action::Char('q'))
            );
            assert_eq!(
                action(press(KeyCode::Char('a')), &m),
                Some(Action::Char('a'))
            );
            assert_eq!(action(press(KeyCode::Tab), &m), Some(Action::NextField));
            assert_eq!(action(press(KeyCode::BackTab), &m), Some(Action::PrevField));
            assert_eq!(
                action(press(KeyCode::Backspace), &m),
                Some(Action::Backspace)
            );
            assert_eq!(action(press(KeyCode::Enter), &m), Some(Action::Submit));
        }
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(
            action(ctrl_c, &Mode::Form(Form::account())),
            Some(Action::Quit)
        );
        let ctrl_u = KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL);
        assert_eq!(action(ctrl_u, &Mode::Form(Form::account())), None);
        let shifted = KeyEvent::new(KeyCode::Char('E'), KeyModifiers::SHIFT);
        assert_eq!(action(shifted, &Mode::Filter), Some(Action::Char('E')));
    }
}
