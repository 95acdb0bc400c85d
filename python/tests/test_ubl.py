"""The demo plan's purchase orders as UBL 2.1 Order documents, validated against the
official OASIS schema (../shared/standards/ubl-2.1; skipped when it is absent)."""

import pathlib

import pytest

import replenish

SCHEMA = pathlib.Path(__file__).resolve().parents[3] / "shared" / "standards" / "ubl-2.1" / "xsd" / "maindoc" / "UBL-Order-2.1.xsd"


@pytest.fixture(scope="module")
def schema():
    if not SCHEMA.exists():
        pytest.skip(f"UBL 2.1 schema not found at {SCHEMA}")
    etree = pytest.importorskip("lxml.etree")
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def test_every_demo_order_validates_against_the_ubl_21_order_schema(schema):
    from lxml import etree

    p = replenish.plan(replenish.read_tables(**replenish.demo_data()))
    docs = p.ubl_orders(buyer_id="7300070011115", buyer_name="Demo Retail & Co")
    assert len(docs) == len(p.purchase_orders) > 10
    for po_number, xml in docs.items():
        doc = etree.fromstring(xml.encode())
        schema.assertValid(doc)
        ns = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
              "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"}
        assert doc.findtext("cbc:ID", namespaces=ns) == po_number
        row = p.purchase_orders.set_index("po_number").loc[po_number]
        assert len(doc.findall("cac:OrderLine", ns)) == row["lines"]
        assert float(doc.findtext("cac:AnticipatedMonetaryTotal/cbc:PayableAmount", namespaces=ns)) == pytest.approx(
            row["total_value"], abs=0.006)
    # The official example validates too (the schema is the real one).
    schema.assertValid(etree.parse(str(SCHEMA.parents[2] / "xml" / "UBL-Order-2.1-Example.xml")))
