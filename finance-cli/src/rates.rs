//! The commands about exchange rates and the base currency.

use finance_client::Finance;
use finance_core::domain::{ExchangeRate, ProfilePatch, RateQueryInput};

use crate::cli::{ConfigCommand, RatesCommand};
use crate::lookup::describe;
use crate::output::Out;

pub async fn rates(f: &dyn Finance, command: RatesCommand, out: &Out) -> Result<(), String> {
    let fail = |e| describe(e, f);
    match command {
        RatesCommand::Set {
            base,
            quote,
            rate,
            date,
        } => {
            let date = date.unwrap_or_else(|| time::OffsetDateTime::now_utc().date().to_string());
            let r = f
                .set_rate(&base, &quote, &date, &rate)
                .await
                .map_err(fail)?;
            if out.json() {
                out.value(&r);
            } else {
                out.line(&format!(
                    "{}: 1 {} = {} {}",
                    r.date, r.base, r.rate, r.quote
                ));
            }
        }
        RatesCommand::List {
            base,
            quote,
            from,
            to,
            limit,
            all,
        } => {
            let mut query = RateQueryInput {
                base,
                quote,
                from,
                to,
                limit: Some(limit),
                cursor: None,
            };
            let mut items: Vec<ExchangeRate> = Vec::new();
            let more = loop {
                let page = f.rates(&query).await.map_err(fail)?;
                items.extend(page.items);
                match page.next_cursor {
                    Some(c) if all => query.cursor = Some(c.encode()),
                    next => break next.is_some(),
                }
            };
            if out.json() {
                out.value(&items);
            } else {
                out.rates(&items);
                if more {
                    out.line("(more: --all lists every page)");
                }
            }
        }
        RatesCommand::Delete { base, quote, date } => {
            f.delete_rate(&base, &quote, &date).await.map_err(fail)?;
            if out.json() {
                out.value(
                    &serde_json::json!({"deleted": {"base": base, "quote": quote, "date": date}}),
                );
            } else {
                out.line(&format!("Deleted the {base}/{quote} rate of {date}"));
            }
        }
        RatesCommand::Import { file } => {
            let csv = crate::lookup::read_file(&file)?;
            let done = f
                .import_rates(&csv)
                .await
                .map_err(|e| format!("{}; nothing was imported", describe(e, f)))?;
            if out.json() {
                out.value(&done);
            } else {
                out.line(&format!(
                    "Imported {} new rate(s), updated {}",
                    done.added, done.updated
                ));
                if !done.skipped_currencies.is_empty() {
                    out.line(&format!(
                        "Skipped withdrawn currencies: {}",
                        done.skipped_currencies.join(", ")
                    ));
                }
            }
        }
    }
    Ok(())
}

pub async fn config(f: &dyn Finance, command: ConfigCommand, out: &Out) -> Result<(), String> {
    let fail = |e| describe(e, f);
    match command {
        ConfigCommand::BaseCurrency { currency, clear } => {
            let profile = if currency.is_some() || clear {
                let patch = ProfilePatch {
                    base_currency: Some(currency),
                };
                f.update_profile(&patch).await.map_err(fail)?
            } else {
                f.profile().await.map_err(fail)?
            };
            let base = profile.user.base_currency;
            if out.json() {
                out.value(&serde_json::json!({ "base_currency": base }));
            } else {
                match base {
                    Some(c) => out.line(&format!(
                        "Base currency: {c} (`finance overview` shows your net worth in it)"
                    )),
                    None => out
                        .line("No base currency (set one with `finance config base-currency EUR`)"),
                }
            }
        }
    }
    Ok(())
}
