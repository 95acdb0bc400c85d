//! Purchase orders as UBL 2.1 Order documents (OASIS Universal Business Language,
//! ISO/IEC 19845:2015), the format e-procurement networks such as PEPPOL exchange.
//! Pure: returns the XML text. The elements appear in the order the Order schema's
//! sequences require; a test validates the demo plan's orders against the official
//! schema (`python/tests/test_ubl.py`).

use crate::error::{Error, Result};
use crate::orders::tracking::{LineQuantity, PoEvent, PoEventFor, TrackEvent};
use crate::orders::PurchaseOrder;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
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

// ---------------------------------------------------------------------------
// Import: supplier documents. quick-xml's deserializer matches elements by local
// name, so `cbc:ID` is `ID`; elements not named here are ignored.

mod x {
    use serde::Deserialize;

    #[derive(Deserialize)]
    pub struct Text {
        #[serde(rename = "$text", default)]
        pub value: String,
    }

    #[derive(Deserialize)]
    pub struct Reference {
        #[serde(rename = "ID")]
        pub id: Text,
    }

    #[derive(Deserialize, Default)]
    pub struct Period {
        #[serde(rename = "StartDate", default)]
        pub start: Option<Text>,
        #[serde(rename = "EndDate", default)]
        pub end: Option<Text>,
    }

    #[derive(Deserialize, Default)]
    pub struct Delivery {
        #[serde(rename = "ActualDeliveryDate", default)]
        pub actual: Option<Text>,
        #[serde(rename = "LatestDeliveryDate", default)]
        pub latest: Option<Text>,
        #[serde(rename = "RequestedDeliveryPeriod", default)]
        pub requested: Option<Period>,
        #[serde(rename = "PromisedDeliveryPeriod", default)]
        pub promised: Option<Period>,
        #[serde(rename = "EstimatedDeliveryPeriod", default)]
        pub estimated: Option<Period>,
    }

    #[derive(Deserialize)]
    pub struct LineReference {
        #[serde(rename = "LineID")]
        pub line_id: Text,
        #[serde(rename = "OrderReference", default)]
        pub order: Option<Reference>,
    }

    #[derive(Deserialize)]
    pub struct LineItem {
        #[serde(rename = "ID")]
        pub id: Text,
        #[serde(rename = "LineStatusCode", default)]
        pub status: Option<Text>,
        #[serde(rename = "Quantity", default)]
        pub quantity: Option<Text>,
        #[serde(rename = "Delivery", default)]
        pub delivery: Vec<Delivery>,
    }

    #[derive(Deserialize)]
    pub struct OrderLine {
        #[serde(rename = "LineItem")]
        pub item: LineItem,
        #[serde(rename = "OrderLineReference", default)]
        pub reference: Option<LineReference>,
    }

    #[derive(Deserialize)]
    pub struct OrderResponse {
        #[serde(rename = "ID")]
        pub id: Text,
        #[serde(rename = "IssueDate")]
        pub issue_date: Text,
        #[serde(rename = "IssueTime", default)]
        pub issue_time: Option<Text>,
        #[serde(rename = "OrderResponseCode", default)]
        pub code: Option<Text>,
        #[serde(rename = "OrderReference")]
        pub order: Reference,
        #[serde(rename = "OrderLine", default)]
        pub lines: Vec<OrderLine>,
    }

    #[derive(Deserialize)]
    pub struct ItemIdentification {
        #[serde(rename = "ID")]
        pub id: Text,
    }

    #[derive(Deserialize, Default)]
    pub struct Item {
        #[serde(rename = "BuyersItemIdentification", default)]
        pub buyers: Option<ItemIdentification>,
        #[serde(rename = "SellersItemIdentification", default)]
        pub sellers: Option<ItemIdentification>,
    }

    #[derive(Deserialize)]
    pub struct DespatchLine {
        #[serde(rename = "ID")]
        pub id: Text,
        #[serde(rename = "DeliveredQuantity", default)]
        pub quantity: Option<Text>,
        #[serde(rename = "OrderLineReference")]
        pub reference: LineReference,
        #[serde(rename = "Item", default)]
        pub item: Item,
    }

    #[derive(Deserialize, Default)]
    pub struct Shipment {
        #[serde(rename = "Delivery", default)]
        pub delivery: Option<Delivery>,
    }

    #[derive(Deserialize)]
    pub struct DespatchAdvice {
        #[serde(rename = "ID")]
        pub id: Text,
        #[serde(rename = "IssueDate")]
        pub issue_date: Text,
        #[serde(rename = "IssueTime", default)]
        pub issue_time: Option<Text>,
        #[serde(rename = "OrderReference", default)]
        pub order: Vec<Reference>,
        #[serde(rename = "Shipment", default)]
        pub shipment: Option<Shipment>,
        #[serde(rename = "DespatchLine", default)]
        pub lines: Vec<DespatchLine>,
    }
}

/// A supplier's answer to an order (UBL OrderResponse), read into what tracking needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderResponseDoc {
    pub document_id: String,
    pub po_number: String,
    pub at: NaiveDateTime,
    /// UNCL 4343 response code: `AP` accepted, `RE` rejected, `CA` accepted with
    /// changes, `AB` received (no decision yet); `None` when absent.
    pub response_code: Option<String>,
    pub lines: Vec<ResponseLine>,
}

/// One answered line: the buyer's line number, the confirmed quantity and date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseLine {
    pub line: u32,
    pub quantity: Option<f64>,
    pub date: Option<NaiveDate>,
    pub status_code: Option<String>,
}

/// A supplier's shipment notice (UBL DespatchAdvice).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DespatchDoc {
    pub document_id: String,
    pub po_number: String,
    pub at: NaiveDateTime,
    /// Estimated arrival of the shipment.
    pub expected_date: Option<NaiveDate>,
    pub lines: Vec<DespatchedLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DespatchedLine {
    /// The buyer's order line.
    pub line: u32,
    pub sku: Option<String>,
    pub quantity: f64,
}

fn bad_doc(kind: &str, message: impl std::fmt::Display) -> Error {
    Error::InvalidInput(format!("UBL {kind}: {message}"))
}

fn date_of(kind: &str, field: &str, t: &x::Text) -> Result<NaiveDate> {
    // xsd:date may carry a time zone (`2026-11-02Z`, `2026-11-02+01:00`).
    let v = t.value.trim();
    v.get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .ok_or_else(|| bad_doc(kind, format!("{field} `{v}` is not a date (YYYY-MM-DD)")))
}

fn issued_at(kind: &str, date: &x::Text, time: Option<&x::Text>) -> Result<NaiveDateTime> {
    let d = date_of(kind, "IssueDate", date)?;
    let t = match time {
        Some(t) => {
            let v = t.value.trim();
            v.get(..8)
                .and_then(|s| NaiveTime::parse_from_str(s, "%H:%M:%S").ok())
                .ok_or_else(|| bad_doc(kind, format!("IssueTime `{v}` is not a time (HH:MM:SS)")))?
        }
        None => NaiveTime::MIN,
    };
    Ok(d.and_time(t))
}

fn line_number(kind: &str, t: &x::Text) -> Result<u32> {
    let v = t.value.trim();
    v.parse::<u32>().map_err(|_| bad_doc(kind, format!("line `{v}` is not an order line number of ours")))
}

fn number(kind: &str, field: &str, t: &x::Text) -> Result<f64> {
    let v = t.value.trim();
    match v.parse::<f64>() {
        Ok(q) if q.is_finite() && q >= 0.0 => Ok(q),
        _ => Err(bad_doc(kind, format!("{field} `{v}` is not a quantity ≥ 0"))),
    }
}

fn delivery_date(kind: &str, d: &x::Delivery) -> Result<Option<NaiveDate>> {
    fn period(p: &Option<x::Period>) -> Option<&x::Text> {
        p.as_ref().and_then(|p| p.end.as_ref().or(p.start.as_ref()))
    }
    let pick = d
        .actual
        .as_ref()
        .or(period(&d.promised))
        .or(period(&d.estimated))
        .or(d.latest.as_ref())
        .or(period(&d.requested));
    pick.map(|t| date_of(kind, "delivery date", t)).transpose()
}

/// Reads a UBL 2.1 OrderResponse.
pub fn parse_order_response(xml: &str) -> Result<OrderResponseDoc> {
    const K: &str = "OrderResponse";
    let doc: x::OrderResponse = quick_xml::de::from_str(xml).map_err(|e| bad_doc(K, e))?;
    let mut lines = Vec::with_capacity(doc.lines.len());
    for l in &doc.lines {
        let id = l.reference.as_ref().map_or(&l.item.id, |r| &r.line_id);
        let mut date = None;
        for d in &l.item.delivery {
            date = date.or(delivery_date(K, d)?);
        }
        lines.push(ResponseLine {
            line: line_number(K, id)?,
            quantity: l.item.quantity.as_ref().map(|q| number(K, "Quantity", q)).transpose()?,
            date,
            status_code: l.item.status.as_ref().map(|s| s.value.trim().to_string()),
        });
    }
    Ok(OrderResponseDoc {
        document_id: doc.id.value.trim().to_string(),
        po_number: doc.order.id.value.trim().to_string(),
        at: issued_at(K, &doc.issue_date, doc.issue_time.as_ref())?,
        response_code: doc.code.map(|c| c.value.trim().to_ascii_uppercase()),
        lines,
    })
}

/// Reads a UBL 2.1 DespatchAdvice.
pub fn parse_despatch_advice(xml: &str) -> Result<DespatchDoc> {
    const K: &str = "DespatchAdvice";
    let doc: x::DespatchAdvice = quick_xml::de::from_str(xml).map_err(|e| bad_doc(K, e))?;
    let po_number = doc
        .order
        .first()
        .map(|r| r.id.value.trim().to_string())
        .or_else(|| doc.lines.iter().find_map(|l| l.reference.order.as_ref().map(|r| r.id.value.trim().to_string())))
        .ok_or_else(|| bad_doc(K, "no OrderReference: which purchase order does it ship?"))?;
    let expected_date = match doc.shipment.as_ref().and_then(|s| s.delivery.as_ref()) {
        Some(d) => delivery_date(K, d)?,
        None => None,
    };
    let mut lines = Vec::with_capacity(doc.lines.len());
    for l in &doc.lines {
        if let Some(other) = l.reference.order.as_ref().map(|r| r.id.value.trim()) {
            if other != po_number {
                return Err(bad_doc(
                    K,
                    format!("despatch line {} refers to order {other}, the document to {po_number}", l.id.value.trim()),
                ));
            }
        }
        let quantity = l
            .quantity
            .as_ref()
            .map(|q| number(K, "DeliveredQuantity", q))
            .transpose()?
            .ok_or_else(|| bad_doc(K, format!("despatch line {} has no DeliveredQuantity", l.id.value.trim())))?;
        lines.push(DespatchedLine {
            line: line_number(K, &l.reference.line_id)?,
            sku: l.item.buyers.as_ref().or(l.item.sellers.as_ref()).map(|i| i.id.value.trim().to_string()),
            quantity,
        });
    }
    Ok(DespatchDoc {
        document_id: doc.id.value.trim().to_string(),
        po_number,
        at: issued_at(K, &doc.issue_date, doc.issue_time.as_ref())?,
        expected_date,
        lines,
    })
}

/// Line status codes that mean "not accepted": UNCL 1229 `7` (PEPPOL) and the UBL names.
const LINE_REFUSED: [&str; 4] = ["7", "CANCELLED", "REJECTED", "NOTACCEPTED"];

impl OrderResponseDoc {
    /// The tracking event this response stands for: a rejected order confirms
    /// nothing, a refused line is confirmed at zero, other lines at their quantity
    /// and date (or as ordered when the response leaves them out).
    pub fn event(&self) -> PoEventFor {
        let rejected = self.response_code.as_deref() == Some("RE");
        let lines =
            self.lines
                .iter()
                .map(|l| {
                    let refused = l.status_code.as_deref().is_some_and(|c| {
                        LINE_REFUSED.contains(&c.to_ascii_uppercase().replace([' ', '_'], "").as_str())
                    });
                    LineQuantity {
                        line: l.line,
                        quantity: if rejected || refused { Some(0.0) } else { l.quantity },
                        date: l.date,
                    }
                })
                .collect();
        PoEventFor {
            po_number: self.po_number.clone(),
            event: PoEvent::Tracking(TrackEvent::Acknowledge {
                at: self.at,
                document_id: Some(self.document_id.clone()),
                lines,
            }),
        }
    }

    /// Whether the supplier rejected the whole order (code `RE`).
    pub fn rejected(&self) -> bool {
        self.response_code.as_deref() == Some("RE")
    }
}

impl DespatchDoc {
    /// The tracking event this despatch advice stands for.
    pub fn event(&self) -> PoEventFor {
        PoEventFor {
            po_number: self.po_number.clone(),
            event: PoEvent::Tracking(TrackEvent::Ship {
                at: self.at,
                despatch_id: Some(self.document_id.clone()),
                expected_date: self.expected_date,
                lines: self
                    .lines
                    .iter()
                    .map(|l| LineQuantity { line: l.line, quantity: Some(l.quantity), date: None })
                    .collect(),
            }),
        }
    }
}

/// Reads a UBL OrderResponse or DespatchAdvice (told apart by the root element)
/// into the tracking event it stands for.
pub fn import_event(xml: &str) -> Result<PoEventFor> {
    let root = xml
        .split('<')
        .skip(1)
        .find(|t| !t.starts_with('?') && !t.starts_with('!'))
        .map(|t| t.split(|c: char| c.is_whitespace() || c == '>' || c == '/').next().unwrap_or_default())
        .map(|n| n.rsplit(':').next().unwrap_or_default())
        .unwrap_or_default();
    match root {
        "OrderResponse" => Ok(parse_order_response(xml)?.event()),
        "DespatchAdvice" => Ok(parse_despatch_advice(xml)?.event()),
        other => Err(Error::InvalidInput(format!(
            "UBL import reads OrderResponse and DespatchAdvice documents, not `{other}`"
        ))),
    }
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
            load: None,
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

    const RESPONSE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<OrderResponse xmlns="urn:oasis:names:specification:ubl:schema:xsd:OrderResponse-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:UBLVersionID>2.1</cbc:UBLVersionID>
  <cbc:ID>R-77</cbc:ID>
  <cbc:IssueDate>2026-11-03+01:00</cbc:IssueDate>
  <cbc:IssueTime>08:15:00</cbc:IssueTime>
  <cbc:OrderResponseCode>CA</cbc:OrderResponseCode>
  <cac:OrderReference><cbc:ID>PO-1</cbc:ID></cac:OrderReference>
  <cac:SellerSupplierParty><cac:Party><cac:PartyName><cbc:Name>S</cbc:Name></cac:PartyName></cac:Party></cac:SellerSupplierParty>
  <cac:BuyerCustomerParty><cac:Party><cac:PartyName><cbc:Name>B</cbc:Name></cac:PartyName></cac:Party></cac:BuyerCustomerParty>
  <cac:OrderLine>
    <cac:LineItem>
      <cbc:ID>10</cbc:ID>
      <cbc:LineStatusCode>3</cbc:LineStatusCode>
      <cbc:Quantity unitCode="C62">60</cbc:Quantity>
      <cac:Delivery><cac:PromisedDeliveryPeriod><cbc:EndDate>2026-11-12</cbc:EndDate></cac:PromisedDeliveryPeriod></cac:Delivery>
      <cac:Item/>
    </cac:LineItem>
    <cac:OrderLineReference><cbc:LineID>1</cbc:LineID></cac:OrderLineReference>
  </cac:OrderLine>
  <cac:OrderLine>
    <cac:LineItem><cbc:ID>2</cbc:ID><cbc:LineStatusCode>7</cbc:LineStatusCode><cac:Item/></cac:LineItem>
  </cac:OrderLine>
</OrderResponse>"#;

    #[test]
    fn an_order_response_becomes_an_acknowledgement() {
        let r = parse_order_response(RESPONSE).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((r.document_id.as_str(), r.po_number.as_str()), ("R-77", "PO-1"));
        assert_eq!(r.at.to_string(), "2026-11-03 08:15:00");
        assert_eq!(r.lines[0].line, 1, "the OrderLineReference names our line");
        assert_eq!(r.lines[0].quantity, Some(60.0));
        assert_eq!(r.lines[0].date, NaiveDate::from_ymd_opt(2026, 11, 12));
        match import_event(RESPONSE).map(|e| e.event) {
            Ok(PoEvent::Tracking(TrackEvent::Acknowledge { lines, .. })) => {
                assert_eq!(lines[0].quantity, Some(60.0));
                assert_eq!(lines[1].quantity, Some(0.0), "status 7: not accepted");
            }
            other => panic!("{other:?}"),
        }
        let broken = RESPONSE.replace("<cbc:LineID>1</cbc:LineID>", "<cbc:LineID>one</cbc:LineID>");
        let e = parse_order_response(&broken).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("line `one`"), "{e}");
        assert!(import_event("<Invoice/>").is_err());
    }

    #[test]
    fn a_despatch_advice_becomes_a_shipment() {
        let xml = r#"<?xml version="1.0"?>
<DespatchAdvice xmlns="urn:oasis:names:specification:ubl:schema:xsd:DespatchAdvice-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:ID>D-9</cbc:ID><cbc:IssueDate>2026-11-08</cbc:IssueDate>
  <cac:OrderReference><cbc:ID>PO-1</cbc:ID></cac:OrderReference>
  <cac:DespatchSupplierParty/><cac:DeliveryCustomerParty/>
  <cac:Shipment><cbc:ID>1</cbc:ID><cac:Delivery><cac:EstimatedDeliveryPeriod><cbc:EndDate>2026-11-10</cbc:EndDate></cac:EstimatedDeliveryPeriod></cac:Delivery></cac:Shipment>
  <cac:DespatchLine><cbc:ID>1</cbc:ID><cbc:DeliveredQuantity unitCode="C62">100</cbc:DeliveredQuantity>
    <cac:OrderLineReference><cbc:LineID>1</cbc:LineID></cac:OrderLineReference>
    <cac:Item><cac:BuyersItemIdentification><cbc:ID>A</cbc:ID></cac:BuyersItemIdentification></cac:Item></cac:DespatchLine>
</DespatchAdvice>"#;
        let d = parse_despatch_advice(xml).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d.expected_date, NaiveDate::from_ymd_opt(2026, 11, 10));
        assert_eq!(d.lines, [DespatchedLine { line: 1, sku: Some("A".into()), quantity: 100.0 }]);
        let no_order = xml.replace("<cac:OrderReference><cbc:ID>PO-1</cbc:ID></cac:OrderReference>", "");
        assert!(parse_despatch_advice(&no_order).is_err());
    }

    #[test]
    fn the_official_order_response_example_reads() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/standards/ubl-2.1/xml/UBL-OrderResponse-2.1-Example.xml"
        );
        let Ok(xml) = std::fs::read_to_string(path) else {
            eprintln!("skipped: {path} is absent");
            return;
        };
        let r = parse_order_response(&xml).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((r.po_number.as_str(), r.lines.len()), ("34", 2));
        assert_eq!(r.lines[1].status_code.as_deref(), Some("Disputed"));
    }
}
