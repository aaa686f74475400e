-- flashpoint event store, schema version 1.
-- One DuckDB file. One writer at a time (DuckDB's model); readers in the writing process use their own
-- cursors and see committed snapshots. Every ingest batch is one transaction: a crash leaves the store as it
-- was after the last committed batch, and re-running the same ingest skips what is already there.

CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER PRIMARY KEY,
    applied_at  TIMESTAMP DEFAULT current_timestamp
);

CREATE TABLE IF NOT EXISTS runs (
    run_id       VARCHAR PRIMARY KEY,
    started_at   TIMESTAMP,
    finished_at  TIMESTAMP,
    command      VARCHAR,
    inputs       JSON,
    n_read       INTEGER,
    n_new        INTEGER,
    n_unchanged  INTEGER,
    n_updated    INTEGER,
    n_skipped    INTEGER,
    n_events     INTEGER,
    status       VARCHAR
);

CREATE TABLE IF NOT EXISTS articles (
    article_id    VARCHAR PRIMARY KEY,
    title         VARCHAR,
    outlet        VARCHAR,
    url           VARCHAR,
    published_at  VARCHAR,          -- ISO timestamp with zone when known
    pub_date      DATE,             -- calendar date, NULL when unknown
    text          VARCHAR,
    origin        VARCHAR,          -- file:line it was read from
    content_hash  VARCHAR,          -- sha1 of title+text: re-ingest of the same content changes nothing
    run_id        VARCHAR,
    ingested_at   TIMESTAMP,
    meta          JSON
);

CREATE TABLE IF NOT EXISTS sentences (
    article_id  VARCHAR,
    idx         INTEGER,
    start_char  INTEGER,
    end_char    INTEGER,
    text        VARCHAR,
    PRIMARY KEY (article_id, idx)
);

CREATE TABLE IF NOT EXISTS events (
    event_id          VARCHAR PRIMARY KEY,
    article_id        VARCHAR,
    sentence_idx      INTEGER,
    event_type        VARCHAR,
    mode              VARCHAR,
    quad              VARCHAR,
    intensity         DOUBLE,
    modality          VARCHAR,
    confidence        DOUBLE,
    trigger_text      VARCHAR,
    trigger_start     INTEGER,
    trigger_end       INTEGER,
    event_date        DATE,
    date_text         VARCHAR,
    date_resolution   VARCHAR,
    source_text       VARCHAR,
    source_code       VARCHAR,
    source_sector     VARCHAR,
    source_name       VARCHAR,
    source_codes      VARCHAR[],
    source_resolution VARCHAR,
    target_text       VARCHAR,
    target_code       VARCHAR,
    target_sector     VARCHAR,
    target_name       VARCHAR,
    target_codes      VARCHAR[],
    target_resolution VARCHAR,
    reciprocal        BOOLEAN,
    location          JSON,
    location_country  VARCHAR,
    attribution       JSON,             -- innermost first: speaker, then outlets
    speaker_code      VARCHAR,
    speaker_text      VARCHAR,
    outlet_chain      VARCHAR[],        -- outlets named in the sentence, innermost first
    outlet            VARCHAR,          -- the publisher
    published_at      VARCHAR,
    cameo             VARCHAR,
    rule              VARCHAR,
    stage             VARCHAR,
    cluster_id        VARCHAR,
    created_at        TIMESTAMP
);

CREATE INDEX IF NOT EXISTS events_article ON events (article_id);
CREATE INDEX IF NOT EXISTS events_date ON events (event_date);
CREATE INDEX IF NOT EXISTS events_source ON events (source_code);
CREATE INDEX IF NOT EXISTS events_target ON events (target_code);
CREATE INDEX IF NOT EXISTS sentences_article ON sentences (article_id);

-- One row per real-world happening: the reports of it are the events with this cluster_id.
CREATE TABLE IF NOT EXISTS clusters (
    cluster_id          VARCHAR PRIMARY KEY,
    canonical_event_id  VARCHAR,
    event_type          VARCHAR,
    source_code         VARCHAR,
    target_code         VARCHAR,
    event_date          DATE,
    first_seen          VARCHAR,
    first_outlet        VARCHAR,
    n_reports           INTEGER,
    n_outlets           INTEGER,
    n_independent       INTEGER,
    independence        JSON,            -- the reasoning: groups of reports that count as one source
    updated_at          TIMESTAMP
);

-- Inputs that could not be read or coded: where, why, and the raw input so they can be re-run.
CREATE TABLE IF NOT EXISTS skipped (
    skip_id     VARCHAR PRIMARY KEY,     -- sha1 of origin + raw
    origin      VARCHAR,
    reason      VARCHAR,
    code        VARCHAR,
    raw         VARCHAR,
    run_id      VARCHAR,
    first_seen  TIMESTAMP,
    last_seen   TIMESTAMP,
    resolved    BOOLEAN DEFAULT false
);

CREATE TABLE IF NOT EXISTS alerts (
    alert_id     VARCHAR PRIMARY KEY,
    dyad         VARCHAR,
    directed     BOOLEAN,
    kind         VARCHAR,                -- escalation | de-escalation
    start_date   DATE,
    end_date     DATE,
    strength     DOUBLE,
    baseline     DOUBLE,
    level        DOUBLE,
    method       VARCHAR,
    explanation  VARCHAR,
    event_ids    VARCHAR[],
    created_at   TIMESTAMP
);

-- Near-duplicate detection of articles (syndicated copies): a MinHash signature per article and the
-- pairs found similar. Reports in one syndication group count as one independent source.
CREATE TABLE IF NOT EXISTS article_signatures (
    article_id  VARCHAR PRIMARY KEY,
    outlet      VARCHAR,
    pub_date    DATE,
    signature   UBIGINT[]
);

CREATE TABLE IF NOT EXISTS article_duplicates (
    article_id    VARCHAR,
    duplicate_of  VARCHAR,       -- the earlier article it copies
    similarity    DOUBLE,
    PRIMARY KEY (article_id, duplicate_of)
);
