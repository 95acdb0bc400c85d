//! A purchase order as an e-mail message (RFC 5322 / MIME) for suppliers without
//! an electronic connection: a readable plain-text and HTML body, the PO as CSV and
//! as UBL 2.1 Order XML attached. Pure: it returns the message text; the host
//! application sends it. The same PO and options always give the same bytes (the
//! date, the Message-ID and the MIME boundaries come from the input, not the clock).

use crate::error::{Error, Result};
use crate::export::purchase_orders_csv;
use crate::orders::ubl::{order_xml, UblOptions};
use crate::orders::PurchaseOrder;
use crate::policy::fmt_qty;
use chrono::NaiveDateTime;
use mail_builder::headers::address::Address;
use mail_builder::headers::content_type::ContentType;
use mail_builder::mime::MimePart;
use mail_builder::MessageBuilder;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Who sends the order and what goes with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailOptions {
    /// Sender address (the buyer's purchasing mailbox).
    pub from: String,
    #[serde(default)]
    pub from_name: Option<String>,
    /// Recipient; default: the supplier's `email`.
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub cc: Vec<String>,
    #[serde(default)]
    pub reply_to: Option<String>,
    /// The message date (UTC).
    pub date: NaiveDateTime,
    /// The buyer in the UBL attachment; the UBL document is attached unless `attach_ubl` is false.
    #[serde(default)]
    pub ubl: UblOptions,
    #[serde(default = "yes")]
    pub attach_ubl: bool,
    /// A note to the supplier, put above the lines.
    #[serde(default)]
    pub note: Option<String>,
}

fn yes() -> bool {
    true
}

fn check_address(field: &str, a: &str) -> Result<()> {
    let ok = a.split_once('@').is_some_and(|(user, host)| {
        !user.is_empty() && host.contains('.') && !a.chars().any(|c| c.is_whitespace() || "<>,;\"".contains(c))
    });
    if ok {
        Ok(())
    } else {
        Err(Error::config(format!("email.{field}"), format!("`{a}` is not an e-mail address")))
    }
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The message for one PO. `supplier_email` is used when `opts.to` is none.
pub fn po_email(po: &PurchaseOrder, supplier_email: Option<&str>, opts: &EmailOptions) -> Result<String> {
    let to = opts.to.as_deref().or(supplier_email).ok_or_else(|| {
        Error::config(
            "email.to",
            format!("supplier `{}` has no e-mail address: give `to` or a supplier_email column", po.supplier_id),
        )
    })?;
    check_address("from", &opts.from)?;
    check_address("to", to)?;
    for c in &opts.cc {
        check_address("cc", c)?;
    }
    if let Some(r) = &opts.reply_to {
        check_address("reply_to", r)?;
    }
    if po.lines.is_empty() {
        return Err(Error::InvalidInput(format!("purchase order {} has no lines", po.po_number)));
    }
    let buyer = &opts.ubl.buyer_name;
    let subject = format!("Purchase order {} from {buyer}", po.po_number);
    let money = |v: f64| format!("{v:.2} {}", po.currency);
    let date_of = |d: Option<chrono::NaiveDate>| d.map_or("-".to_string(), |d| d.to_string());

    // Plain text.
    let mut text = format!("Dear {},\n\nplease supply the following order.\n\n", po.supplier_name);
    if let Some(n) = &opts.note {
        text.push_str(&format!("{n}\n\n"));
    }
    text.push_str(&format!(
        "Order number:  {}\nOrder date:    {}\nDeliver to:    {}\nDelivery by:   {}\n\n",
        po.po_number,
        po.order_date,
        po.location,
        date_of(po.expected_delivery)
    ));
    text.push_str(&format!(
        "{:>4}  {:<16} {:<28} {:>10} {:>8} {:>12} {:>14}\n",
        "Line", "SKU", "Item", "Quantity", "Pack", "Unit price", "Value"
    ));
    for l in &po.lines {
        text.push_str(&format!(
            "{:>4}  {:<16} {:<28} {:>10} {:>8} {:>12.2} {:>14}\n",
            l.line,
            l.sku,
            l.item_name.chars().take(28).collect::<String>(),
            fmt_qty(l.quantity),
            fmt_qty(l.pack_size),
            l.unit_cost,
            money(l.line_value)
        ));
    }
    text.push_str(&format!(
        "\nTotal: {} units, {}\n\nPlease confirm quantities and delivery dates by replying to this message{}.\n\nThe order is attached as CSV{}.\n\n{buyer}\n",
        fmt_qty(po.total_quantity),
        money(po.total_value),
        " (or send a UBL OrderResponse)",
        if opts.attach_ubl { " and as a UBL 2.1 Order document" } else { "" }
    ));

    // HTML.
    let mut html = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{}</title></head><body style=\"font-family:sans-serif\">\
         <p>Dear {},</p><p>please supply the following order.</p>",
        html_escape(&subject),
        html_escape(&po.supplier_name)
    );
    if let Some(n) = &opts.note {
        html.push_str(&format!("<p>{}</p>", html_escape(n)));
    }
    html.push_str(&format!(
        "<table><tr><th align=\"left\">Order number</th><td>{}</td></tr><tr><th align=\"left\">Order date</th><td>{}</td></tr>\
         <tr><th align=\"left\">Deliver to</th><td>{}</td></tr><tr><th align=\"left\">Delivery by</th><td>{}</td></tr></table><br>",
        html_escape(&po.po_number),
        po.order_date,
        html_escape(&po.location),
        date_of(po.expected_delivery)
    ));
    html.push_str(
        "<table border=\"1\" cellpadding=\"4\" style=\"border-collapse:collapse\"><thead><tr><th>Line</th><th>SKU</th><th>Item</th>\
         <th>Quantity</th><th>Pack</th><th>Unit price</th><th>Value</th></tr></thead><tbody>",
    );
    for l in &po.lines {
        html.push_str(&format!(
            "<tr><td align=\"right\">{}</td><td>{}</td><td>{}</td><td align=\"right\">{}</td><td align=\"right\">{}</td>\
             <td align=\"right\">{:.2}</td><td align=\"right\">{}</td></tr>",
            l.line,
            html_escape(&l.sku),
            html_escape(&l.item_name),
            fmt_qty(l.quantity),
            fmt_qty(l.pack_size),
            l.unit_cost,
            html_escape(&money(l.line_value))
        ));
    }
    html.push_str(&format!(
        "</tbody><tfoot><tr><th colspan=\"3\" align=\"left\">Total</th><th align=\"right\">{}</th><th></th><th></th><th align=\"right\">{}</th></tr></tfoot></table>\
         <p>Please confirm quantities and delivery dates by replying to this message (or send a UBL OrderResponse).</p><p>{}</p></body></html>",
        fmt_qty(po.total_quantity),
        html_escape(&money(po.total_value)),
        html_escape(buyer)
    ));

    let csv = purchase_orders_csv(std::slice::from_ref(po))?;
    // Boundaries and Message-ID derived from the content: "=_" never occurs in
    // quoted-printable or base64 text, so the boundaries cannot clash with a body.
    let digest: String = {
        let mut h = Sha256::new();
        h.update(serde_json::to_string(po).unwrap_or_default().as_bytes());
        h.update(opts.date.to_string().as_bytes());
        h.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect()
    };
    let alternative = MimePart::new(
        ContentType::new("multipart/alternative").attribute("boundary", format!("=_alt_{digest}")),
        vec![MimePart::new("text/plain", text), MimePart::new("text/html", html)],
    );
    let mut parts = vec![alternative, MimePart::new("text/csv", csv).attachment(format!("{}.csv", po.po_number))];
    if opts.attach_ubl {
        let xml = order_xml(po, &opts.ubl)?;
        parts.push(MimePart::new("application/xml", xml.into_bytes()).attachment(format!("{}.xml", po.po_number)));
    }
    let body =
        MimePart::new(ContentType::new("multipart/mixed").attribute("boundary", format!("=_mixed_{digest}")), parts);
    let domain = opts.from.rsplit('@').next().unwrap_or("localhost");
    let from: Address = match &opts.from_name {
        Some(n) => (n.as_str(), opts.from.as_str()).into(),
        None => opts.from.as_str().into(),
    };
    let mut m = MessageBuilder::new()
        .from(from)
        .to(to)
        .subject(subject)
        .date(opts.date.and_utc().timestamp())
        .message_id(format!("{}.{digest}@{domain}", po.po_number))
        .body(body);
    if !opts.cc.is_empty() {
        m = m.cc(opts.cc.iter().map(|c| Address::from(c.as_str())).collect::<Vec<_>>());
    }
    if let Some(r) = &opts.reply_to {
        m = m.reply_to(r.as_str());
    }
    m.write_to_string().map_err(|e| Error::Internal(format!("cannot write the e-mail: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PoStatus;
    use crate::orders::PoLine;
    use chrono::NaiveDate;

    fn po() -> PurchaseOrder {
        let d = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or_default();
        PurchaseOrder {
            po_number: "PO-20261124-0001".into(),
            supplier_id: "S1".into(),
            supplier_name: "Müller & Söhne".into(),
            location: "STORE-1".into(),
            order_date: d,
            expected_delivery: Some(d + chrono::Duration::days(3)),
            currency: "EUR".into(),
            status: PoStatus::Draft,
            lines: vec![PoLine {
                line: 1,
                sku: "SKU-1".into(),
                item_name: "Milk <1l>".into(),
                quantity: 24.0,
                pack_size: 12.0,
                unit_cost: 0.85,
                line_value: 20.4,
                expected_delivery: Some(d + chrono::Duration::days(3)),
            }],
            total_quantity: 24.0,
            total_value: 20.4,
            load: None,
        }
    }

    fn opts() -> EmailOptions {
        EmailOptions {
            from: "buying@shop.example".into(),
            from_name: Some("Shop purchasing".into()),
            to: None,
            cc: vec!["finance@shop.example".into()],
            reply_to: None,
            date: NaiveDate::from_ymd_opt(2026, 11, 24).and_then(|d| d.and_hms_opt(9, 30, 0)).unwrap_or_default(),
            ubl: UblOptions { buyer_name: "Shop".into(), ..Default::default() },
            attach_ubl: true,
            note: None,
        }
    }

    #[test]
    fn a_po_becomes_a_deterministic_mime_message_with_attachments() {
        let m = po_email(&po(), Some("orders@mueller.example"), &opts()).unwrap_or_else(|e| panic!("{e}"));
        for needle in [
            "To: <orders@mueller.example>",
            "Subject: Purchase order PO-20261124-0001 from Shop",
            "Content-Type: multipart/mixed",
            "Content-Type: multipart/alternative",
            "Content-Type: text/plain",
            "Content-Type: text/html",
            "filename=\"PO-20261124-0001.csv\"",
            "filename=\"PO-20261124-0001.xml\"",
            "Message-ID: <PO-20261124-0001.",
            "Date: Tue, 24 Nov 2026 09:30:00 +0000",
        ] {
            assert!(m.contains(needle), "missing {needle}:\n{m}");
        }
        assert_eq!(m, po_email(&po(), Some("orders@mueller.example"), &opts()).unwrap_or_default());
        assert!(po_email(&po(), None, &opts()).is_err(), "no recipient");
        let bad = EmailOptions { from: "not an address".into(), ..opts() };
        assert!(po_email(&po(), Some("orders@mueller.example"), &bad).is_err());
        let no_ubl = EmailOptions { attach_ubl: false, ..opts() };
        let m2 = po_email(&po(), Some("orders@mueller.example"), &no_ubl).unwrap_or_default();
        assert!(!m2.contains(".xml\""));
    }
}
