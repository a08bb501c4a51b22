//! Failed logins counted per key (`email:…`, `ip:…`) in a window, for the login throttle of
//! `qpr_workflow::auth`, which owns the limits: the store only counts, in the database, so that
//! every server of a platform sees the same count.

use crate::{Store, StoreError, Timestamp, now};

impl Store {
    /// The failures counted for each of `keys` in windows opened after `window_opened_after`
    /// (keys without any are left out).
    pub async fn login_failures(
        &self,
        keys: &[String],
        window_opened_after: &Timestamp,
    ) -> Result<Vec<(String, u32)>, StoreError> {
        let mut counts = Vec::with_capacity(keys.len());
        for key in keys {
            let failures: Option<i64> =
                sqlx::query_scalar("SELECT failures FROM login_failures WHERE key = $1 AND since > $2")
                    .bind(key)
                    .bind(window_opened_after.as_str())
                    .fetch_optional(&self.pool)
                    .await?;
            if let Some(failures) = failures {
                counts.push((key.clone(), u32::try_from(failures).unwrap_or(u32::MAX)));
            }
        }
        Ok(counts)
    }

    /// Counts one failure for each of `keys`: one more in its window, or the first of a new
    /// window when its window opened at or before `window_opened_after`. Rows of closed windows
    /// are deleted on the way. One transaction: two servers counting at once both count.
    pub async fn count_login_failure(
        &self,
        keys: &[String],
        window_opened_after: &Timestamp,
    ) -> Result<(), StoreError> {
        let at = now();
        let mut tx = self.writer.begin().await?;
        sqlx::query("DELETE FROM login_failures WHERE since <= $1")
            .bind(window_opened_after.as_str())
            .execute(&mut *tx)
            .await?;
        for key in keys {
            sqlx::query(
                "INSERT INTO login_failures (key, failures, since) VALUES ($1, 1, $2)
                 ON CONFLICT (key) DO UPDATE SET failures = login_failures.failures + 1",
            )
            .bind(key)
            .bind(at.as_str())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Forgets the failures counted for `key` (an account after a successful login).
    pub async fn forget_login_failures(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_failures WHERE key = $1").bind(key).execute(&self.writer).await?;
        Ok(())
    }
}
