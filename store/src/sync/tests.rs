use super::StoredExchange;
use crate::test_support::{at, each_backend};

fn ex(endpoint: &str, body: &str, fetched: &str) -> StoredExchange {
    StoredExchange {
        vendor: "billetweb".into(),
        endpoint: endpoint.into(),
        request: format!("GET https://www.billetweb.fr/api{endpoint}?user=***&key=***&version=1"),
        status: 200,
        body: body.into(),
        fetched_at: at(fetched),
    }
}

#[tokio::test]
async fn cursor_moves_with_each_committed_sync_and_exchanges_come_back_in_order() {
    each_backend(|store| async move {
        assert_eq!(
            store.sync_cursor("digues", "billetweb").await.unwrap(),
            None
        );
        let first = vec![
            ex("/attendees", "[1]", "2026-03-16 04:00"),
            ex("/events", "[2]", "2026-03-16 04:00"),
            ex("/event/1/attendees", "[3]", "2026-03-16 04:00"),
        ];
        store
            .commit_sync("digues", "billetweb", at("2026-03-16 04:00"), &first)
            .await
            .unwrap();
        assert_eq!(
            store.sync_cursor("digues", "billetweb").await.unwrap(),
            Some(at("2026-03-16 04:00"))
        );
        let second = vec![ex("/attendees", "[4]", "2026-04-01 05:00")];
        store
            .commit_sync("digues", "billetweb", at("2026-04-01 05:00"), &second)
            .await
            .unwrap();
        assert_eq!(
            store.sync_cursor("digues", "billetweb").await.unwrap(),
            Some(at("2026-04-01 05:00"))
        );
        let all = store.raw_exchanges("digues", "billetweb").await.unwrap();
        let bodies: Vec<&str> = all.iter().map(|e| e.body.as_str()).collect();
        assert_eq!(bodies, ["[1]", "[2]", "[3]", "[4]"]);
        assert_eq!(all[0], first[0]);
        // Other sources and organisations are separate.
        assert!(store
            .raw_exchanges("digues", "helloasso")
            .await
            .unwrap()
            .is_empty());
        assert_eq!(store.sync_cursor("autre", "billetweb").await.unwrap(), None);
    })
    .await;
}

#[tokio::test]
async fn an_empty_sync_still_moves_the_cursor() {
    each_backend(|store| async move {
        store
            .commit_sync("digues", "mapado", at("2026-04-01 05:00"), &[])
            .await
            .unwrap();
        assert_eq!(
            store.sync_cursor("digues", "mapado").await.unwrap(),
            Some(at("2026-04-01 05:00"))
        );
    })
    .await;
}
