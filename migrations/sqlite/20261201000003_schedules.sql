-- Recurring movements. booked_through is the latest date booked so far: the next run
-- starts after it.
CREATE TABLE schedules (
    id BLOB PRIMARY KEY NOT NULL,
    owner_id BLOB NOT NULL REFERENCES users (id),
    account_id BLOB NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    amount INTEGER NOT NULL,
    description TEXT NOT NULL,
    category TEXT,
    start_on TEXT NOT NULL,
    end_on TEXT,
    every TEXT NOT NULL,
    every_n INTEGER NOT NULL,
    booked_through TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX schedules_owner ON schedules (owner_id);

-- Each date of a schedule is booked once, whatever runs the booking (several servers, a
-- server and a CLI): the key refuses the second.
CREATE TABLE schedule_bookings (
    schedule_id BLOB NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    movement_id BLOB NOT NULL,
    PRIMARY KEY (schedule_id, day)
) WITHOUT ROWID;

-- The schedule a movement was booked by (kept when the schedule is deleted).
ALTER TABLE movements ADD COLUMN schedule_id BLOB;
