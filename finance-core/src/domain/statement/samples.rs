//! Well-formed bank files of any size, in every format: the benchmarks' input and the
//! seeds the parsers' fuzz tests mutate.

use super::Format;

/// A file of `rows` entries in `format`, EUR, dated through November 2026, with
/// descriptions that are not all ASCII (`Café n°…`).
pub fn statement(format: Format, rows: usize) -> String {
    let mut out = String::with_capacity(rows * 120 + 512);
    let row = |i: usize| {
        let day = i % 28 + 1;
        let cents = (i * 7919) % 100_000 + 1;
        let sign = if i.is_multiple_of(3) { "" } else { "-" };
        (
            format!("2026-11-{day:02}"),
            format!("{sign}{}.{:02}", cents / 100, cents % 100),
            format!("Café n°{i}"),
        )
    };
    match format {
        Format::Csv => {
            out.push_str("date,amount,description,category,id\n");
            for i in 0..rows {
                let (date, amount, text) = row(i);
                out.push_str(&format!("{date},{amount},{text},food,c{i}\n"));
            }
        }
        Format::Qif => {
            out.push_str("!Type:Bank\n");
            for i in 0..rows {
                let (date, amount, text) = row(i);
                out.push_str(&format!("D{date}\nT{amount}\nP{text}\nLfood\n^\n"));
            }
        }
        Format::Ofx => {
            out.push_str(
                "OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\n\r\n<OFX>\r\n<BANKMSGSRSV1><STMTTRNRS>\
                 <STMTRS><CURDEF>EUR\r\n<BANKTRANLIST><DTSTART>20261101<DTEND>20261130\r\n",
            );
            for i in 0..rows {
                let (date, amount, text) = row(i);
                let date = date.replace('-', "");
                out.push_str(&format!(
                    "<STMTTRN><TRNTYPE>OTHER<DTPOSTED>{date}<TRNAMT>{amount}<FITID>o{i}\
                     <NAME>{text}<MEMO>card &amp; co</STMTTRN>\r\n"
                ));
            }
            out.push_str("</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\r\n");
        }
        Format::Camt => {
            out.push_str(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:\
                 tech:xsd:camt.053.001.02\">\n<BkToCstmrStmt><Stmt><Id>1</Id>\n",
            );
            for i in 0..rows {
                let (date, amount, text) = row(i);
                let (indicator, amount) = match amount.strip_prefix('-') {
                    Some(a) => ("DBIT", a.to_string()),
                    None => ("CRDT", amount),
                };
                out.push_str(&format!(
                    "<Ntry><Amt Ccy=\"EUR\">{amount}</Amt><CdtDbtInd>{indicator}</CdtDbtInd>\
                     <BookgDt><Dt>{date}</Dt></BookgDt><AcctSvcrRef>r{i}</AcctSvcrRef>\
                     <NtryDtls><TxDtls><RmtInf><Ustrd>{text} &amp; co</Ustrd></RmtInf></TxDtls>\
                     </NtryDtls></Ntry>\n"
                ));
            }
            out.push_str("</Stmt></BkToCstmrStmt>\n</Document>\n");
        }
    }
    out
}

/// A file of about `bytes` bytes (at least one entry) in `format`.
pub fn statement_of_size(format: Format, bytes: usize) -> String {
    // Rows grow with their number's digits: estimate, then shrink until it fits.
    let hundred = statement(format, 101).len() - statement(format, 1).len();
    let mut rows = (bytes * 100 / hundred).max(1);
    loop {
        let text = statement(format, rows);
        if text.len() <= bytes || rows == 1 {
            return text;
        }
        rows = (rows * bytes / text.len()).min(rows - 1).max(1);
    }
}
