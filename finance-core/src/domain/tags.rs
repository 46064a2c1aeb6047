//! Tags: short lowercase labels across categories and months (`trip`, `tax-2026`).

use super::error::ValidationError;

/// Most tags one movement may carry.
pub const MAX_TAGS: usize = 10;
/// Longest tag, in characters.
pub const TAG_MAX: usize = 32;

/// One tag, lower-cased and checked: 1..=32 of `a-z`, `0-9`, `-`, `_`.
pub fn parse_tag(field: &str, raw: &str) -> Result<String, ValidationError> {
    // Checked as sent (no trimming, ASCII only, as the document's pattern says), then
    // lower-cased: "Trip" is "trip", " trip" and the Kelvin sign are refused.
    let allowed = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let len = raw.chars().count();
    let tag = raw.to_ascii_lowercase();
    if len == 0 || len > TAG_MAX || !raw.chars().all(allowed) {
        return Err(ValidationError::new(
            field,
            format!("{raw:?} is not a tag: 1 to {TAG_MAX} lowercase letters, digits, '-' or '_'"),
        ));
    }
    Ok(tag)
}

/// A movement's tags: each checked, lower-cased, without repeats, sorted (so two movements
/// with the same tags compare equal), at most [`MAX_TAGS`].
pub fn parse_tags(raw: &[String]) -> Result<Vec<String>, ValidationError> {
    // Counted as sent (the document's maxItems), repeats included.
    if raw.len() > MAX_TAGS {
        return Err(ValidationError::new(
            "tags",
            format!("at most {MAX_TAGS} tags, got {}", raw.len()),
        ));
    }
    let mut errors = Vec::new();
    let mut tags = Vec::with_capacity(raw.len());
    for (i, r) in raw.iter().enumerate() {
        match parse_tag(&format!("tags[{i}]"), r) {
            Ok(t) => tags.push(t),
            Err(e) => errors.extend(e.errors),
        }
    }
    if !errors.is_empty() {
        return Err(ValidationError { errors });
    }
    tags.sort();
    tags.dedup();
    Ok(tags)
}

/// `tags` with `more` added (already valid tags), sorted, without repeats, the first
/// [`MAX_TAGS`] kept: a rule's tags never make a request invalid.
pub fn with_tags(tags: &[String], more: &[String]) -> Vec<String> {
    let mut all: Vec<String> = tags.iter().chain(more).cloned().collect();
    all.sort();
    all.dedup();
    all.truncate(MAX_TAGS);
    all
}

/// Tags as stored in a movement's row: space-separated (a tag never holds a space).
pub fn tags_to_text(tags: &[String]) -> Option<String> {
    (!tags.is_empty()).then(|| tags.join(" "))
}

/// Tags read back from a row.
pub fn tags_from_text(text: Option<&str>) -> Vec<String> {
    text.map(|t| {
        t.split(' ')
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect()
    })
    .unwrap_or_default()
}

/// A tag and how many movements carry it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TagCount {
    pub name: String,
    pub count: u64,
}

/// Every tag in use.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TagList {
    pub items: Vec<TagCount>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(all: &[&str]) -> Vec<String> {
        all.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn tags_are_lowercased_sorted_and_checked() {
        assert_eq!(
            parse_tags(&strings(&["Trip", "food_2026", "trip", "a-b"])).expect("valid"),
            strings(&["a-b", "food_2026", "trip"])
        );
        let bad = parse_tags(&strings(&[
            "ok",
            "",
            "with space",
            &"x".repeat(33),
            "é",
            " a",
        ]))
        .expect_err("invalid");
        let fields: Vec<&str> = bad.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["tags[1]", "tags[2]", "tags[3]", "tags[4]", "tags[5]"]
        );
        let many: Vec<String> = (0..11).map(|i| format!("t{i}")).collect();
        assert_eq!(parse_tags(&many).expect_err("11").errors[0].field, "tags");
        assert_eq!(parse_tags(&many[..10]).expect("10").len(), 10);
        // Counted as sent: eleven with a repeat are still too many.
        let repeated = [&many[..9], &many[..2]].concat();
        assert_eq!(
            parse_tags(&repeated).expect_err("11").errors[0].field,
            "tags"
        );
    }

    #[test]
    fn stored_text_reads_back() {
        let tags = strings(&["a", "trip"]);
        assert_eq!(tags_from_text(tags_to_text(&tags).as_deref()), tags);
        assert_eq!(tags_to_text(&[]), None);
        assert!(tags_from_text(None).is_empty());
        assert_eq!(
            with_tags(&tags, &strings(&["b", "a"])),
            strings(&["a", "b", "trip"])
        );
    }
}
