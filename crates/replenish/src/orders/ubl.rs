//! Purchase orders as UBL 2.1 Order documents (OASIS Universal Business Language,
//! ISO/IEC 19845:2015), the format e-procurement networks such as PEPPOL exchange.
//! Pure: returns the XML text. The elements appear in the order the Order schema's
//! sequences require; a test validates the demo plan's orders against the official
//! schema (`python/tests/test_ubl.py`).

use crate::error::{Error, Result};
use crate::orders::PurchaseOrder;
use quick_xml::events::{BytesDecl, Event};
use quick_xml::Writer;
use serde::{Deserialize, Serialize};

/// The buying company, as it appears in every order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UblOptions {
    pub buyer_id: String,
    pub buyer_name: String,
    /// `cbc:CustomizationID` (e.g. a PEPPOL BIS customisation); none by default.
    pub customization_id: Option<String>,
    /// UN/ECE Rec. 20 unit code of quantities (`C62`: one, the default; `EA`: each).
    pub unit_code: String,
}

impl Default for UblOptions {
    fn default() -> Self {
        UblOptions {
            buyer_id: "BUYER".into(),
            buyer_name: "Buyer".into(),
            customization_id: None,
            unit_code: "C62".into(),
        }
    }
}

fn amount(v: f64) -> String {
    format!("{:.2}", (v * 100.0).round() / 100.0)
}

fn quantity(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

type W = Writer<Vec<u8>>;

fn xml_err(e: impl std::fmt::Display) -> Error {
    Error::Internal(format!("cannot write UBL XML: {e}"))
}

fn leaf(w: &mut W, name: &str, text: &str, attrs: &[(&str, &str)]) -> Result<()> {
    let mut el = w.create_element(name);
    for a in attrs {
        el = el.with_attribute(*a);
    }
    el.write_text_content(quick_xml::events::BytesText::new(text)).map_err(xml_err)?;
    Ok(())
}

fn open(w: &mut W, name: &str) -> Result<()> {
    w.write_event(Event::Start(quick_xml::events::BytesStart::new(name))).map_err(xml_err)
}

fn close(w: &mut W, name: &str) -> Result<()> {
    w.write_event(Event::End(quick_xml::events::BytesEnd::new(name))).map_err(xml_err)
}

fn party(w: &mut W, role: &str, id: &str, name: &str) -> Result<()> {
    open(w, role)?;
    open(w, "cac:Party")?;
    open(w, "cac:PartyIdentification")?;
    leaf(w, "cbc:ID", id, &[])?;
    close(w, "cac:PartyIdentification")?;
    open(w, "cac:PartyName")?;
    leaf(w, "cbc:Name", name, &[])?;
    close(w, "cac:PartyName")?;
    close(w, "cac:Party")?;
    close(w, role)
}

/// One purchase order as a UBL 2.1 Order document.
pub fn order_xml(po: &PurchaseOrder, opts: &UblOptions) -> Result<String> {
    if po.lines.is_empty() {
        return Err(Error::InvalidInput(format!(
            "purchase order {} has no lines: UBL needs at least one",
            po.po_number
        )));
    }
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None))).map_err(xml_err)?;
    let root = quick_xml::events::BytesStart::new("Order").with_attributes([
        ("xmlns", "urn:oasis:names:specification:ubl:schema:xsd:Order-2"),
        ("xmlns:cac", "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"),
        ("xmlns:cbc", "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"),
    ]);
    w.write_event(Event::Start(root)).map_err(xml_err)?;
    let currency = [("currencyID", po.currency.as_str())];
    leaf(&mut w, "cbc:UBLVersionID", "2.1", &[])?;
    if let Some(c) = &opts.customization_id {
        leaf(&mut w, "cbc:CustomizationID", c, &[])?;
    }
    leaf(&mut w, "cbc:ID", &po.po_number, &[])?;
    leaf(&mut w, "cbc:IssueDate", &po.order_date.to_string(), &[])?;
    leaf(&mut w, "cbc:DocumentCurrencyCode", &po.currency, &[])?;
    party(&mut w, "cac:BuyerCustomerParty", &opts.buyer_id, &opts.buyer_name)?;
    party(&mut w, "cac:SellerSupplierParty", &po.supplier_id, &po.supplier_name)?;
    open(&mut w, "cac:Delivery")?;
    open(&mut w, "cac:DeliveryLocation")?;
    leaf(&mut w, "cbc:ID", &po.location, &[])?;
    close(&mut w, "cac:DeliveryLocation")?;
    if let Some(d) = po.expected_delivery {
        open(&mut w, "cac:RequestedDeliveryPeriod")?;
        leaf(&mut w, "cbc:EndDate", &d.to_string(), &[])?;
        close(&mut w, "cac:RequestedDeliveryPeriod")?;
    }
    close(&mut w, "cac:Delivery")?;
    open(&mut w, "cac:AnticipatedMonetaryTotal")?;
    leaf(&mut w, "cbc:LineExtensionAmount", &amount(po.total_value), &currency)?;
    leaf(&mut w, "cbc:PayableAmount", &amount(po.total_value), &currency)?;
    close(&mut w, "cac:AnticipatedMonetaryTotal")?;
    for l in &po.lines {
        open(&mut w, "cac:OrderLine")?;
        open(&mut w, "cac:LineItem")?;
        leaf(&mut w, "cbc:ID", &l.line.to_string(), &[])?;
        leaf(&mut w, "cbc:Quantity", &quantity(l.quantity), &[("unitCode", opts.unit_code.as_str())])?;
        leaf(&mut w, "cbc:LineExtensionAmount", &amount(l.line_value), &currency)?;
        if let Some(d) = l.expected_delivery {
            open(&mut w, "cac:Delivery")?;
            open(&mut w, "cac:RequestedDeliveryPeriod")?;
            leaf(&mut w, "cbc:EndDate", &d.to_string(), &[])?;
            close(&mut w, "cac:RequestedDeliveryPeriod")?;
            close(&mut w, "cac:Delivery")?;
        }
        open(&mut w, "cac:Price")?;
        leaf(&mut w, "cbc:PriceAmount", &format!("{}", l.unit_cost), &currency)?;
        close(&mut w, "cac:Price")?;
        open(&mut w, "cac:Item")?;
        if l.pack_size > 1.0 {
            leaf(&mut w, "cbc:PackSizeNumeric", &quantity(l.pack_size), &[])?;
        }
        leaf(&mut w, "cbc:Name", if l.item_name.is_empty() { &l.sku } else { &l.item_name }, &[])?;
        open(&mut w, "cac:BuyersItemIdentification")?;
        leaf(&mut w, "cbc:ID", &l.sku, &[])?;
        close(&mut w, "cac:BuyersItemIdentification")?;
        close(&mut w, "cac:Item")?;
        close(&mut w, "cac:LineItem")?;
        close(&mut w, "cac:OrderLine")?;
    }
    close(&mut w, "Order")?;
    String::from_utf8(w.into_inner()).map_err(xml_err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PoStatus;
    use crate::orders::PoLine;
    use chrono::NaiveDate;

    #[test]
    fn an_order_in_schema_order_with_escaped_text() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap_or_default();
        let po = PurchaseOrder {
            po_number: "PO-1".into(),
            supplier_id: "SUP".into(),
            supplier_name: "Smith & Sons <Ltd>".into(),
            location: "L01".into(),
            order_date: d,
            expected_delivery: Some(d),
            currency: "EUR".into(),
            status: PoStatus::Draft,
            lines: vec![PoLine {
                line: 1,
                sku: "SKU-1".into(),
                item_name: "Milk 1l".into(),
                quantity: 24.0,
                pack_size: 12.0,
                unit_cost: 0.85,
                line_value: 20.4,
                expected_delivery: Some(d),
            }],
            total_quantity: 24.0,
            total_value: 20.4,
        };
        let x = order_xml(&po, &UblOptions::default()).unwrap_or_default();
        assert!(x.contains("<cbc:Name>Smith &amp; Sons &lt;Ltd&gt;</cbc:Name>"), "{x}");
        assert!(x.contains(r#"<cbc:Quantity unitCode="C62">24</cbc:Quantity>"#));
        assert!(x.contains(r#"<cbc:PayableAmount currencyID="EUR">20.40</cbc:PayableAmount>"#));
        let order = [
            "<cbc:UBLVersionID>",
            "<cbc:ID>PO-1",
            "<cbc:IssueDate>",
            "<cac:BuyerCustomerParty>",
            "<cac:SellerSupplierParty>",
            "<cac:Delivery>",
            "<cac:AnticipatedMonetaryTotal>",
            "<cac:OrderLine>",
        ];
        let pos: Vec<usize> = order.iter().map(|t| x.find(t).unwrap_or(usize::MAX)).collect();
        assert!(pos.windows(2).all(|w| w[0] < w[1]), "{pos:?}");
        let empty = PurchaseOrder { lines: vec![], ..po };
        assert!(order_xml(&empty, &UblOptions::default()).is_err());
    }
}
