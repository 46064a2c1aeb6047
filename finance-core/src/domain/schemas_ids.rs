//! The ids' schemas: UUID strings.

use super::*;
use crate::domain::{EventId, WebhookId};

string_schema!(
    UserId,
    "UserId",
    UUID,
    "A user's id.",
    "0b6f1c54-3c5e-4a53-9d0e-6f1f2d1c9a77"
);
string_schema!(
    AccountId,
    "AccountId",
    UUID,
    "An account's id.",
    "5d9c1e0a-8f3b-4c2e-9a7d-1b2c3d4e5f60"
);
string_schema!(
    MovementId,
    "MovementId",
    UUID,
    "A movement's id.",
    "7a1b2c3d-4e5f-4061-8a9b-0c1d2e3f4a5b"
);
string_schema!(
    TransferId,
    "TransferId",
    UUID,
    "A transfer's id.",
    "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"
);
string_schema!(
    ScheduleId,
    "ScheduleId",
    UUID,
    "A schedule's id.",
    "4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f70"
);
string_schema!(
    InvitationId,
    "InvitationId",
    UUID,
    "An invitation's id.",
    "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a81"
);
string_schema!(
    RuleId,
    "RuleId",
    UUID,
    "A rule's id.",
    "6f7a8b9c-0d1e-4f2a-9b3c-4d5e6f7a8b92"
);
string_schema!(
    WebhookId,
    "WebhookId",
    UUID,
    "A webhook's id.",
    "8b9c0d1e-2f3a-4b4c-9d5e-6f7a8b9c0d14"
);
string_schema!(
    EventId,
    "EventId",
    UUID,
    "An event's id: the same on every attempt to deliver it.",
    "9c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e25"
);
string_schema!(
    ReconciliationId,
    "ReconciliationId",
    UUID,
    "A reconciliation's id.",
    "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c03"
);
