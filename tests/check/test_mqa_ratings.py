"""The MQA's ratings at their bounds, as data.europa.eu's methodology gives them: Excellent
351-405, Good 221-350, Sufficient 121-220, Bad 0-120 (points of 405)."""

import pytest

from mc2cm_graph.check.mqa import Indicator, total


@pytest.mark.parametrize(("points", "rating"), [
    (0, "Bad"), (120, "Bad"), (121, "Sufficient"), (220, "Sufficient"), (221, "Good"),
    (350, "Good"), (351, "Excellent"), (405, "Excellent")])
def test_each_rating_begins_and_ends_where_the_methodology_says(points, rating):
    # two indicators, one fully met and one half met, adding up to the points
    found = [Indicator("Findability", "keyword usage", points - points // 2, 1.0),
             Indicator("Reusability", "licence information", 2 * (points // 2), 0.5)]
    assert total(found) == (points, rating)


def test_dcat_ap_compliance_is_worth_30_points_all_or_nothing():
    """The same catalogue scores 30 points more when it passes the DCAT-AP shapes than when
    it fails them (the methodology's Interoperability indicator, weight 30)."""
    from rdflib import Graph

    from mc2cm_graph.check.mqa import indicators

    catalogue = Graph().parse(data="""
        @prefix dcat: <http://www.w3.org/ns/dcat#> .
        <urn:x:catalogue> a dcat:Catalog ; dcat:dataset <urn:x:d> .
        <urn:x:d> a dcat:Dataset ; dcat:keyword "migration" .
    """, format="turtle")
    passes = total(indicators(catalogue, lambda url: True, lambda graph: True))[0]
    fails = total(indicators(catalogue, lambda url: True, lambda graph: False))[0]
    assert passes - fails == 30
