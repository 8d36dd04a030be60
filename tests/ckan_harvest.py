"""CKAN's own DCAT harvester code on a catalogue file: run with the Python of the venv that
holds ``ckan`` and ``ckanext-dcat`` (.ci/run makes .venv-ckan; their pins clash with ours).

    .venv-ckan/bin/python tests/ckan_harvest.py dist/catalog.ttl euro_dcat_ap_3

Prints the CKAN dataset dicts that ckanext-dcat's RDFParser makes, as JSON. No database:
the parser needs only ``ckan.site_url`` and the profiles in ckan.common.config, as
ckanext-dcat's own tests set them.
"""

import json
import sys

SITE_URL = "http://portal.example.org"


def harvest(path: str, profile: str) -> list[dict]:
    from ckan.common import config

    config["ckan.site_url"] = SITE_URL
    config["ckanext.dcat.rdf.profiles"] = profile
    from ckanext.dcat.processors import RDFParser

    parser = RDFParser(profiles=[profile])
    with open(path, "rb") as data:
        parser.parse(data.read(), _format="turtle")
    return list(parser.datasets())


if __name__ == "__main__":
    json.dump(harvest(sys.argv[1], sys.argv[2]), sys.stdout, ensure_ascii=False, indent=1)
