//! Bank files over HTTP, on both backends: CSV, OFX, QIF and camt.053 imported all or
//! nothing, every bad row named by its line, and the same file twice adds nothing.
//! The files are made here in the shapes of the formats' published examples.

#[path = "support/mail.rs"]
mod mail;
#[path = "support/pg.rs"]
mod pg;

#[path = "support/listening.rs"]
mod listening;
#[path = "support/server.rs"]
mod server;

use reqwest::StatusCode;
use serde_json::{Value, json};
use server::{Backend, Server, email, on_backends, read};

const OFX: &str = "OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nSECURITY:NONE\r\nENCODING:USASCII\r\nCHARSET:1252\r\nCOMPRESSION:NONE\r\nOLDFILEUID:NONE\r\nNEWFILEUID:NONE\r\n\r\n\
<OFX>\r\n<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20261130120000<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1>\r\n\
<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>\r\n<STMTRS><CURDEF>EUR\r\n\
<BANKACCTFROM><BANKID>121099999<ACCTID>999988<ACCTTYPE>CHECKING</BANKACCTFROM>\r\n\
<BANKTRANLIST><DTSTART>20261101<DTEND>20261130\r\n\
<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20261103120000[0:GMT]<TRNAMT>-12.50<FITID>2026110301<NAME>CAFE &amp; CO<MEMO>card 1234</STMTTRN>\r\n\
<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20261130<TRNAMT>2500.00<FITID>2026113001<NAME>ACME PAYROLL</STMTTRN>\r\n\
</BANKTRANLIST><LEDGERBAL><BALAMT>2487.50<DTASOF>20261130</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\r\n";

const QIF: &str = "!Type:Bank\nD11/03/2026\nT-12.50\nPCafe\nLfood\n^\nD11/30'26\nT2,500.00\nPACME payroll\n^\nD11/30'26\nT-3.00\nPBus\n^\n";

const CAMT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>STMT-2026-11</MsgId><CreDtTm>2026-11-30T18:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>2026-11</Id>
      <Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>
      <Ntry>
        <Amt Ccy="EUR">12.50</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>2026-11-03</Dt></BookgDt>
        <ValDt><Dt>2026-11-03</Dt></ValDt>
        <AcctSvcrRef>REF-0001</AcctSvcrRef>
        <NtryDtls><TxDtls><RmtInf><Ustrd>Cafe &amp; Co</Ustrd></RmtInf></TxDtls></NtryDtls>
      </Ntry>
      <Ntry>
        <NtryRef>N-0002</NtryRef>
        <Amt Ccy="EUR">2500.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <BookgDt><Dt>2026-11-30</Dt></BookgDt>
        <AddtlNtryInf>ACME payroll</AddtlNtryInf>
      </Ntry>
    </Stmt>
  </BkToCstmrStmt>
</Document>
"#;

const CSV: &str = "date,amount,description,category\n2026-11-03,-12.50,Cafe,food\n2026-11-03,-12.50,Cafe,food\n2026-11-30,2500.00,ACME payroll,\n";

async fn import(
    s: &Server,
    token: &str,
    account: &str,
    kind: &str,
    body: &str,
) -> (StatusCode, Value) {
    let req = s
        .http
        .post(s.url(&format!("/v1/accounts/{account}/imports")))
        .bearer_auth(token)
        .header("content-type", kind)
        .body(body.to_string());
    let (status, body, _) = read(req.send().await.expect("request")).await;
    (status, body)
}

async fn every_format_imports_once(s: Server) {
    let (token, _) = s.sign_in(&email()).await;
    for (kind, file, rows, balance) in [
        ("application/x-ofx", OFX, 2, "2487.50"),
        ("application/qif", QIF, 3, "2484.50"),
        ("application/vnd.camt+xml", CAMT, 2, "2487.50"),
        ("text/csv", CSV, 3, "2475.00"),
    ] {
        let account = s.create_account(&token, kind, "EUR").await;
        let (status, done) = import(&s, &token, &account, kind, file).await;
        assert_eq!(status, StatusCode::CREATED, "{kind}: {done}");
        assert_eq!(done, json!({"added": rows, "duplicates": 0}), "{kind}");
        assert_eq!(s.balance(&token, &account).await, balance, "{kind}");
        // The same file again: every row a duplicate, nothing added.
        let (status, again) = import(&s, &token, &account, kind, file).await;
        assert_eq!(status, StatusCode::CREATED, "{kind}: {again}");
        assert_eq!(again, json!({"added": 0, "duplicates": rows}), "{kind}");
        assert_eq!(s.balance(&token, &account).await, balance, "{kind}");
        let movements = s.all_movements(&token, &account).await;
        assert_eq!(movements.len(), rows as usize, "{kind}");
        assert!(
            movements
                .iter()
                .any(|m| m["occurred_on"] == "2026-11-03" && m["amount"] == "-12.50"),
            "{kind}: {movements:?}"
        );
    }
}

async fn a_bad_row_is_named_and_nothing_is_written(s: Server) {
    let (token, _) = s.sign_in(&email()).await;
    let account = s.create_account(&token, "Bank", "EUR").await;
    let broken = [
        (
            "text/csv",
            "date,amount,description\n2026-11-03,-12.505,Cafe\n2026-13-01,1.00,Bad date\n2026-11-05,5.00,Fine\n",
            vec![2, 3],
        ),
        (
            "application/x-ofx",
            &OFX.replace("<TRNAMT>2500.00", "<TRNAMT>2500.001"),
            vec![18],
        ),
        (
            "application/qif",
            "!Type:Bank\nD11/03/2026\nT-1.00\nPok\n^\nDsomeday\nT2.00\nPbad\n^\n",
            vec![6],
        ),
        (
            "application/vnd.camt+xml",
            &CAMT.replace(
                "<Amt Ccy=\"EUR\">2500.00</Amt>",
                "<Amt Ccy=\"USD\">2500.00</Amt>",
            ),
            vec![17],
        ),
        ("application/vnd.camt+xml", "<Document><Ntry>", vec![1]),
    ];
    for (kind, file, lines) in broken {
        let (status, problem) = import(&s, &token, &account, kind, file).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{kind}: {problem}"
        );
        let found: Vec<u64> = problem["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .filter_map(|e| e["line"].as_u64())
            .collect();
        assert_eq!(found, lines, "{kind}: {problem}");
    }
    assert!(
        s.all_movements(&token, &account).await.is_empty(),
        "nothing of a bad file is written"
    );
    assert_eq!(s.balance(&token, &account).await, "0.00");
    // Another currency's account refuses the EUR file's rows, each by line.
    let dollars = s.create_account(&token, "Dollars", "USD").await;
    let (status, problem) = import(&s, &token, &dollars, "application/vnd.camt+xml", CAMT).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "currency", "{problem}");
    // Past 10 MiB: 413.
    assert_eq!(
        s.oversized(&format!("/v1/accounts/{account}/imports"), &token)
            .await,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    let (other, _) = s.sign_in(&email()).await;
    let (status, _) = import(&s, &other, &account, "text/csv", CSV).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

on_backends!(
    every_format_imports_once,
    a_bad_row_is_named_and_nothing_is_written,
    writes_cut_off_by_a_hang_up_are_all_or_nothing,
);

/// Clients hang up at random moments of imports, schedule creations and budget PUTs:
/// afterwards each file is in the account whole or not at all, and each schedule that
/// exists has booked every date it had due.
async fn writes_cut_off_by_a_hang_up_are_all_or_nothing(s: Server) {
    let (token, _) = s.sign_in(&email()).await;
    let account = s.create_account(&token, "Bank", "EUR").await;
    let rows = 300;
    for attempt in 0..10 {
        let mut csv = String::from("date,amount,description,id\n");
        for r in 0..rows {
            csv.push_str(&format!(
                "2026-01-{:02},-1.00,file{attempt} row{r},F{attempt}-{r}\n",
                r % 28 + 1
            ));
        }
        let cut = reqwest::Client::builder()
            .timeout(std::time::Duration::from_micros(
                u64::from(uuid::Uuid::new_v4().as_bytes()[0]) * 40,
            ))
            .build()
            .expect("client");
        let _ = cut
            .post(s.url(&format!("/v1/accounts/{account}/imports")))
            .bearer_auth(&token)
            .header("content-type", "text/csv")
            .body(csv)
            .send()
            .await;
        let _ = cut
            .post(s.url("/v1/schedules"))
            .bearer_auth(&token)
            .json(&json!({"account": account, "amount": "-2.00", "description": format!("sched{attempt}"),
                          "start": "2026-01-01", "end": "2026-03-31", "every": "week"}))
            .send()
            .await;
        let _ = cut
            .put(s.url(&format!("/v1/budgets/cat{attempt}")))
            .bearer_auth(&token)
            .json(&json!({"amount": "10", "currency": "EUR"}))
            .send()
            .await;
    }
    let (s, token, account) = (&s, &token, &account);
    // Work of hung-up clients may still be committing (it is not cancelled): wait until
    // nothing changes between two looks, then check.
    let look = || async move {
        let (_, list, _) = s.get("/v1/schedules", Some(token)).await;
        let schedules = list["items"].as_array().map(Vec::len).unwrap_or(0);
        (schedules, s.all_movements(token, account).await)
    };
    let mut last = look().await;
    for _ in 0..100 {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let now = look().await;
        let settled = now.0 == last.0 && now.1.len() == last.1.len();
        last = now;
        if settled {
            break;
        }
    }
    let (schedules, all) = last;
    for attempt in 0..10 {
        let prefix = format!("file{attempt} ");
        let file = all
            .iter()
            .filter(|m| {
                m["description"]
                    .as_str()
                    .is_some_and(|d| d.starts_with(&prefix))
            })
            .count();
        assert!(
            file == 0 || file == rows,
            "file {attempt}: {file} of {rows} rows"
        );
    }
    // Each schedule has 13 weekly dates from 2026-01-01 to 2026-03-31, all booked with it.
    let booked = all.iter().filter(|m| m["schedule_id"].is_string()).count();
    assert_eq!(booked, schedules * 13);
    let (status, budgets, _) = s.get("/v1/budgets", Some(token)).await;
    assert_eq!(status, StatusCode::OK, "{budgets}");
}
