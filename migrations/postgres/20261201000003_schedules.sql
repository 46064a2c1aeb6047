-- Recurring movements. booked_through is the latest date booked so far: the next run
-- starts after it.
CREATE TABLE schedules (
    id UUID PRIMARY KEY NOT NULL,
    owner_id UUID NOT NULL REFERENCES users (id),
    account_id UUID NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    amount BIGINT NOT NULL,
    description TEXT NOT NULL,
    category TEXT,
    start_on DATE NOT NULL,
    end_on DATE,
    every TEXT NOT NULL,
    every_n INTEGER NOT NULL,
    booked_through DATE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX schedules_owner ON schedules (owner_id);

-- Each date of a schedule is booked once, whatever runs the booking (several servers, a
-- server and a CLI): the key refuses the second.
CREATE TABLE schedule_bookings (
    schedule_id UUID NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
    day DATE NOT NULL,
    movement_id UUID NOT NULL,
    PRIMARY KEY (schedule_id, day)
);

-- The schedule a movement was booked by (kept when the schedule is deleted).
ALTER TABLE movements ADD COLUMN schedule_id UUID;
