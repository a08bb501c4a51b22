-- Seals of the audit log: the platform key's Ed25519 signature over each entry's sequence
-- number and hash (see crates/store/src/audit.rs), with the id of the key that made it. The
-- key is kept outside the database, so an entry rewritten here (even with every later hash
-- recomputed) no longer matches its seal. Entries written before this migration have none.
ALTER TABLE audit_log ADD COLUMN seal_key_id TEXT;
ALTER TABLE audit_log ADD COLUMN seal TEXT;
