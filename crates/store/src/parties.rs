//! The Parties table, kept in step with the shipped country list at every start.

use qpr_domain::countries;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Store, StoreError};

/// A Party as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyRow {
    /// Alpha-3 code.
    pub iso3: String,
    /// English name.
    pub name_en: String,
    /// French name.
    pub name_fr: String,
    /// UNESCO region id, if any.
    pub region: Option<String>,
    /// Date the instrument was deposited (`YYYY-MM-DD` or `YYYY`), if known.
    pub deposit_date: Option<String>,
    /// Ratification, accession, acceptance or approval.
    pub instrument: Option<String>,
}

impl Store {
    /// Upserts every country of the shipped list (names, region, ratification) so that an
    /// edit of the data file reaches the database at the next start.
    pub(crate) async fn load_parties(&self) -> Result<(), StoreError> {
        let stored: Vec<PartyRow> =
            sqlx::query("SELECT iso3, name_en, name_fr, region, deposit_date, instrument FROM parties")
                .fetch_all(&self.writer)
                .await?
                .iter()
                .map(party_from_row)
                .collect::<Result<_, _>>()?;
        let mut tx = self.writer.begin().await?;
        // Rows stored under a Party's former code move to its current one (the EU's `EUE`
        // became `EUU`): once, then these find nothing. A report or membership the current
        // code already has for the same year or user stays where it is; lookups by the former
        // code still find the Party.
        for (former, current) in countries::FORMER_CODES {
            sqlx::query(
                "UPDATE reports SET party_iso3 = $2 WHERE party_iso3 = $1 AND NOT EXISTS
                 (SELECT 1 FROM reports AS taken WHERE taken.party_iso3 = $2 AND taken.year = reports.year)",
            )
            .bind(former)
            .bind(current)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE memberships SET party_iso3 = $2 WHERE party_iso3 = $1 AND NOT EXISTS
                 (SELECT 1 FROM memberships AS taken WHERE taken.party_iso3 = $2 AND taken.user_id = memberships.user_id)",
            )
            .bind(former)
            .bind(current)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM parties WHERE iso3 = $1").bind(former).execute(&mut *tx).await?;
        }
        for country in countries::all() {
            let ratification = country.ratification.as_ref();
            let shipped = PartyRow {
                iso3: country.iso3.to_string(),
                name_en: country.name.en.clone(),
                name_fr: country.name.fr.clone(),
                region: country.region.map(|r| r.id().to_owned()),
                deposit_date: ratification.and_then(|r| r.date.clone()),
                instrument: ratification.and_then(|r| r.instrument.clone()),
            };
            // Most starts find the table as shipped: only differences are written.
            if stored.contains(&shipped) {
                continue;
            }
            sqlx::query(
                "INSERT INTO parties (iso3, name_en, name_fr, region, deposit_date, instrument) VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (iso3) DO UPDATE SET name_en = excluded.name_en, name_fr = excluded.name_fr, region = excluded.region,
                 deposit_date = excluded.deposit_date, instrument = excluded.instrument",
            )
            .bind(shipped.iso3)
            .bind(shipped.name_en)
            .bind(shipped.name_fr)
            .bind(shipped.region)
            .bind(shipped.deposit_date)
            .bind(shipped.instrument)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// A Party by code.
    pub async fn party(&self, iso3: &str) -> Result<Option<PartyRow>, StoreError> {
        let row =
            sqlx::query("SELECT iso3, name_en, name_fr, region, deposit_date, instrument FROM parties WHERE iso3 = $1")
                .bind(iso3.to_owned())
                .fetch_optional(&self.pool)
                .await?;
        row.as_ref().map(party_from_row).transpose()
    }
}

fn party_from_row(row: &AnyRow) -> Result<PartyRow, StoreError> {
    Ok(PartyRow {
        iso3: row.try_get("iso3")?,
        name_en: row.try_get("name_en")?,
        name_fr: row.try_get("name_fr")?,
        region: row.try_get("region")?,
        deposit_date: row.try_get("deposit_date")?,
        instrument: row.try_get("instrument")?,
    })
}
