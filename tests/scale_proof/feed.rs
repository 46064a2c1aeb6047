//! The change feed across three servers: eight writers commit through the balancer (so
//! on all three, out of order) while a reader follows the feed through it too; the reader
//! sees every committed change, and none twice.

use std::collections::HashMap;

use super::*;

/// Reads the feed from `cursor` until it has nothing more now: the items and the cursor.
async fn drain(s: &Server, token: &str, cursor: &str) -> (Vec<Value>, String) {
    let mut items = Vec::new();
    let mut cursor = cursor.to_string();
    loop {
        let (status, page, _) = s
            .get(
                &format!("/v1/changes?since={cursor}&limit=200"),
                Some(token),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        items.extend(page["items"].as_array().expect("items").iter().cloned());
        cursor = str(&page["next"]);
        if page["has_more"] == false {
            return (items, cursor);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
pub(super) async fn eight_writers_on_three_servers_and_the_feed_misses_nothing() {
    let Some((s, _)) = setup().await else {
        return;
    };
    let s = Arc::new(s);
    let (token, _) = s.sign_in(&email()).await;
    let accounts = [
        s.create_account(&token, "Bank", "EUR").await,
        s.create_account(&token, "Cash", "EUR").await,
    ];
    // The state first, then the cursor the feed goes on from.
    let mut cursor = None::<String>;
    loop {
        let path = match &cursor {
            Some(c) => format!("/v1/changes?since={c}&limit=200"),
            None => "/v1/changes?limit=200".to_string(),
        };
        let (status, page, _) = s.get(&path, Some(&token)).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        cursor = Some(str(&page["next"]));
        if page["has_more"] == false {
            break;
        }
    }
    let cursor = cursor.expect("a cursor");

    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let (s, token, done) = (s.clone(), token.clone(), done.clone());
        tokio::spawn(async move {
            let mut seen = Vec::new();
            let mut cursor = cursor;
            while !done.load(Ordering::SeqCst) {
                let (items, next) = drain(&s, &token, &cursor).await;
                seen.extend(items);
                cursor = next;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            (seen, cursor)
        })
    };
    // Eight writers; each deletes every fifth movement it made.
    let mut writers = Vec::new();
    for w in 0..8 {
        let (s, token, accounts) = (s.clone(), token.clone(), accounts.clone());
        writers.push(tokio::spawn(async move {
            let mut kept = Vec::new();
            let mut deleted = Vec::new();
            for i in 0..25 {
                let account = &accounts[(w + i) % 2];
                let path = format!("/v1/accounts/{account}/movements");
                let body =
                    json!({"amount": format!("-{}.{i:02}", w + 1), "description": format!("w{w} {i}")});
                let (status, made, _) = s.post(&path, Some(&token), body).await;
                assert_eq!(status, StatusCode::CREATED, "{made}");
                let id = str(&made["id"]);
                if i % 5 == 4 {
                    let (status, _, _) = s
                        .send(Method::DELETE, &format!("{path}/{id}"), Some(&token), None)
                        .await;
                    assert_eq!(status, StatusCode::NO_CONTENT);
                    deleted.push(id);
                } else {
                    kept.push(id);
                }
            }
            (kept, deleted)
        }));
    }
    let (mut kept, mut deleted) = (Vec::new(), Vec::new());
    for w in writers {
        let (k, d) = w.await.expect("writer");
        kept.extend(k);
        deleted.extend(d);
    }
    // Everything is committed; the reader must now see all of it (bounded).
    let deadline = Instant::now() + Duration::from_secs(60);
    let (mut seen, cursor) = loop {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let (items, _) = drain(&s, &token, "0.0").await;
        let movements: HashMap<String, String> = items
            .iter()
            .filter(|i| i["entity"] == "movement")
            .map(|i| (str(&i["id"]), str(&i["action"])))
            .collect();
        let all = kept
            .iter()
            .all(|k| movements.get(k).is_some_and(|a| a == "upserted"))
            && deleted
                .iter()
                .all(|d| movements.get(d).is_some_and(|a| a == "deleted"));
        if all || Instant::now() > deadline {
            done.store(true, Ordering::SeqCst);
            break reader.await.expect("reader");
        }
    };
    // What the reader still had to read when it stopped.
    let (rest, _) = drain(&s, &token, &cursor).await;
    seen.extend(rest);

    let mut by_movement: HashMap<String, Vec<String>> = HashMap::new();
    for item in seen.iter().filter(|i| i["entity"] == "movement") {
        by_movement
            .entry(str(&item["id"]))
            .or_default()
            .push(str(&item["action"]));
    }
    for id in &kept {
        assert_eq!(
            by_movement.get(id).map(Vec::as_slice),
            Some(&["upserted".to_string()][..]),
            "{id}"
        );
    }
    for id in &deleted {
        let actions = by_movement.get(id).expect("a deleted movement was seen");
        // Seen made then gone, or only gone (both changes between two reads): never twice.
        assert!(
            actions == &["upserted", "deleted"] || actions == &["deleted"],
            "{id}: {actions:?}"
        );
    }
    assert_eq!(by_movement.len(), kept.len() + deleted.len());
}
