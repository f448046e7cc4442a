use super::*;
use crate::chat::conversation::{Attachment, MessageStatus};

fn message(id: &str, order: f64, content: &str) -> ChatMessage {
    ChatMessage { order, ..ChatMessage::user(id.into(), content.into(), vec![]) }
}

fn conversation(messages: Vec<ChatMessage>) -> Conversation {
    let mut c = Conversation::new("c1".into(), 100.0, "grok-4".into());
    c.messages = messages;
    c
}

fn ids(c: &Conversation) -> Vec<&str> {
    c.messages.iter().map(|m| m.id.as_str()).collect()
}

#[test]
fn a_streaming_checkpoint_writes_only_its_message() {
    let image =
        Attachment { mime: "image/png".into(), data_url: format!("data:image/png;base64,{}", "A".repeat(4096)), name: "a.png".into() };
    let before = conversation(vec![
        ChatMessage { order: 1.0, ..ChatMessage::user("u1".into(), "look".into(), vec![image]) },
        ChatMessage { order: 2.0, ..ChatMessage::pending_answer("a1".into(), "grok-4".into()) },
    ]);
    let mut after = before.clone();
    after.messages[1].content = "It is a".into();
    let plan = plan_writes(Some(&before), &after);
    assert_eq!(plan.meta, None, "the conversation record is untouched");
    assert_eq!(plan.messages.len(), 1);
    assert_eq!(plan.messages[0].key, message_key("c1", "a1"));
    assert!(plan.removed.is_empty());
    // Nothing changed: nothing to write.
    assert!(plan_writes(Some(&after), &after).is_empty());
}

#[test]
fn a_new_turn_writes_its_two_messages_and_the_metadata_not_the_earlier_turns() {
    let before = conversation(vec![message("u1", 1.0, "hi"), message("a1", 2.0, "hello")]);
    let mut after = before.clone();
    after.updated_ms = 200.0;
    after.messages.push(message("u2", 3.0, "more"));
    after.messages.push(message("a2", 4.0, ""));
    let plan = plan_writes(Some(&before), &after);
    assert_eq!(plan.meta.as_ref().map(|m| m.updated_ms), Some(200.0));
    let keys: Vec<_> = plan.messages.iter().map(|m| m.message.id.as_str()).collect();
    assert_eq!(keys, ["u2", "a2"]);
}

#[test]
fn a_rename_writes_only_the_metadata_and_a_first_save_writes_everything() {
    let before = conversation(vec![message("u1", 1.0, "hi")]);
    let mut after = before.clone();
    after.title = "Renamed".into();
    let plan = plan_writes(Some(&before), &after);
    assert_eq!(plan.meta.map(|m| m.title), Some("Renamed".into()));
    assert!(plan.messages.is_empty());
    let whole = WritePlan::whole(&after);
    assert!(whole.meta.is_some() && whole.messages.len() == 1);
}

#[test]
fn a_replaced_conversation_removes_the_messages_it_no_longer_has() {
    let before = conversation(vec![message("u1", 1.0, "hi"), message("a1", 2.0, "x")]);
    let after = conversation(vec![message("u1", 1.0, "hi")]);
    assert_eq!(plan_writes(Some(&before), &after).removed, [message_key("c1", "a1")]);
}

#[test]
fn new_messages_are_placed_after_the_last_and_not_before_now() {
    let mut c = conversation(vec![message("u1", 10.0, ""), message("a1", 11.0, ""), message("u2", 0.0, ""), message("a2", 0.0, "")]);
    assert!(c.messages.iter().all(|m| m.order != 5000.0));
    assert!(assign_orders(&mut c, 5000.0));
    let orders: Vec<f64> = c.messages.iter().map(|m| m.order).collect();
    assert_eq!(orders, [10.0, 11.0, 5000.0, 5000.0 + IN_TURN_STEP]);
    assert!(!assign_orders(&mut c, 9000.0), "placed messages stay where they are");
    // Messages from before orders existed (all 0) keep their sequence.
    let mut legacy = conversation(vec![message("x", 0.0, ""), message("y", 0.0, ""), message("z", 0.0, "")]);
    assign_orders(&mut legacy, 7.0);
    let orders: Vec<f64> = legacy.messages.iter().map(|m| m.order).collect();
    assert_eq!(orders, [7.0, 7.0 + IN_TURN_STEP, 7.0 + 2.0 * IN_TURN_STEP]);
}

#[test]
fn two_tabs_appending_to_the_same_copy_keep_both_turns_each_together() {
    let base = conversation(vec![message("u1", 1.0, ""), message("a1", 2.0, "")]);
    let mut tab_a = base.clone();
    tab_a.messages.extend([message("ua", 0.0, "from A"), message("aa", 0.0, "")]);
    assign_orders(&mut tab_a, 1000.0);
    let mut tab_b = base.clone();
    tab_b.messages.extend([message("ub", 0.0, "from B"), message("ab", 0.0, "")]);
    // B sends one millisecond later (Date.now() counts whole milliseconds).
    assign_orders(&mut tab_b, 1001.0);
    // Both write their own records (distinct keys); loading reads them all.
    let records: Vec<MessageRecord> = tab_a.messages.iter().chain(&tab_b.messages[2..]).map(|m| MessageRecord::of("c1", m)).collect();
    let loaded = assemble(vec![ConversationRecord::of(&tab_b)], records, &HashSet::new());
    assert_eq!(ids(&loaded[0]), ["u1", "a1", "ua", "aa", "ub", "ab"]);
}

#[test]
fn deleted_conversations_are_not_loaded_and_the_rest_come_newest_first() {
    let mut old = conversation(vec![message("m", 1.0, "")]);
    old.id = "old".into();
    old.updated_ms = 1.0;
    let mut new = conversation(vec![]);
    new.id = "new".into();
    new.updated_ms = 5.0;
    let mut gone = conversation(vec![]);
    gone.id = "gone".into();
    let metas = vec![ConversationRecord::of(&old), ConversationRecord::of(&gone), ConversationRecord::of(&new)];
    let records = vec![MessageRecord::of("old", &old.messages[0]), MessageRecord::of("gone", &message("g", 1.0, ""))];
    let loaded = assemble(metas, records, &HashSet::from(["gone".to_owned()]));
    let loaded_ids: Vec<_> = loaded.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(loaded_ids, ["new", "old"]);
    assert_eq!(loaded[1].messages.len(), 1);
}

#[test]
fn another_tabs_turn_merges_in_order_and_the_live_answer_stays_as_it_is_here() {
    // This tab streams "a2" into its copy; another tab's older record of it must not replace it.
    let mut local = conversation(vec![message("u1", 1.0, "hi"), message("a1", 2.0, "hello")]);
    let mut live = ChatMessage { order: 10.0, ..ChatMessage::pending_answer("a2".into(), "grok-4".into()) };
    live.content = "partial answer, growing".into();
    local.messages.extend([message("u2", 9.0, "mine"), live.clone()]);
    let mut remote_meta = ConversationRecord::of(&local);
    remote_meta.title = "Renamed elsewhere".into();
    let stored = StoredChange {
        meta: Some(remote_meta),
        messages: vec![message("u3", 5.0, "theirs"), message("a3", 6.0, "their answer"), message("a2", 10.0, "")],
        whole: false,
    };
    let merged = merge(&local, stored, Some("a2"));
    assert_eq!(ids(&merged), ["u1", "a1", "u3", "a3", "u2", "a2"]);
    assert_eq!(merged.messages[5].content, "partial answer, growing");
    assert_eq!(merged.title, "Renamed elsewhere");
}

#[test]
fn a_stored_message_replaces_the_local_copy_when_it_is_not_live() {
    let local = conversation(vec![message("u1", 1.0, "hi"), message("a1", 2.0, "part")]);
    let mut finished = message("a1", 2.0, "the whole answer");
    finished.status = MessageStatus::Complete;
    let merged = merge(&local, StoredChange { meta: None, messages: vec![finished.clone()], whole: false }, None);
    assert_eq!(merged.messages[1], finished);
    assert_eq!(merged.title, local.title);
}

#[test]
fn a_whole_read_drops_local_messages_the_store_no_longer_has_except_the_live_one() {
    let local = conversation(vec![message("u1", 1.0, "hi"), message("old", 2.0, "x"), message("live", 3.0, "streaming")]);
    let stored = StoredChange { meta: None, messages: vec![message("u1", 1.0, "hi")], whole: true };
    assert_eq!(ids(&merge(&local, stored, Some("live"))), ["u1", "live"]);
}

#[test]
fn the_notice_counts_unreadable_records() {
    assert_eq!(skipped_notice(0), None);
    assert_eq!(skipped_notice(1).unwrap(), "1 saved item could not be read and was skipped.");
    assert_eq!(skipped_notice(3).unwrap(), "3 saved items could not be read and were skipped.");
}

#[test]
fn a_regenerated_answer_keeps_its_place_before_later_messages() {
    let before = conversation(vec![message("u1", 1.0, ""), message("a1", 2.0, "old"), message("u2", 3.0, ""), message("a2", 4.0, "")]);
    let mut after = before.clone();
    after.messages[1] = ChatMessage::pending_answer("a1".into(), "grok-4".into());
    keep_orders(&before, &mut after);
    assert!(!assign_orders(&mut after, 5000.0));
    assert_eq!(after.messages[1].order, 2.0);
}

#[test]
fn a_checkpoint_of_a_chat_with_a_megabyte_image_writes_kilobytes_not_the_chat() {
    let image =
        Attachment { mime: "image/png".into(), data_url: format!("data:image/png;base64,{}", "A".repeat(1 << 20)), name: "big.png".into() };
    let mut before = conversation(vec![ChatMessage { order: 1.0, ..ChatMessage::user("u0".into(), "look".into(), vec![image]) }]);
    for turn in 1..20 {
        before.messages.push(message(&format!("u{turn}"), 2.0 * turn as f64, &"question ".repeat(20)));
        before.messages.push(message(&format!("a{turn}"), 2.0 * turn as f64 + 1.0, &"answer ".repeat(200)));
    }
    let mut after = before.clone();
    after.messages.last_mut().unwrap().content.push_str(" and a few more words");
    let written: usize = plan_writes(Some(&before), &after).messages.iter().map(|r| serde_json::to_string(r).unwrap().len()).sum();
    let whole = serde_json::to_string(&after).unwrap().len();
    assert!(written < 2_000 && whole > 1_000_000, "checkpoint writes {written} bytes; the whole chat is {whole}");
}
